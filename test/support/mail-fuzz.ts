// Hostile mail made from real mail, for the ingest fuzz test
// (test/ingest/fuzz.test.ts) and the mail soak (soak/mail.soak.ts): fast-check
// arbitraries of mutations applied to real SpamAssassin messages.
import fc from 'fast-check';

/** Pieces of MIME and mbox syntax, planted where they break the structure around them. */
const INJECTIONS = [
  '\r\n--boundary\r\nContent-Type: text/html; charset=x-broken\r\n\r\n<p>',
  '\nContent-Transfer-Encoding: base64\n\n!!!not base64!!!\n',
  '\n=?utf-8?B?////?= =?iso-8859-99?Q?=FF=FE?=\n',
  '\nContent-Type: multipart/mixed; boundary=""\n\n',
  '\nFrom evil Sat Jan 1 00:00:00 2000\n',
  '\r\n\r\n\r\n',
  '\u0000\u0000\u0000',
] as const;

/** Charset names as mail carries them: real, legacy, misspelt, empty, hostile. */
export const CHARSETS = [
  'utf-8',
  'utf-7',
  'utf-16le',
  'utf-32',
  'iso-2022-jp',
  'gb18030',
  'big5',
  'koi8-r',
  'windows-1252',
  'iso-8859-99',
  'x-unknown-42',
  'unicode-1-1-utf-7',
  '',
  '"',
  '../../etc/passwd',
  'utf-8\u0000',
  '%s%s%n',
  '__proto__',
  'x'.repeat(300),
] as const;

export const mutation = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ kind: fc.constant('cut' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), bytes: fc.uint8Array({ maxLength: 64 }) }),
  fc.record({ kind: fc.constant('inject' as const), at: fc.nat(), text: fc.constantFrom(...INJECTIONS) }),
  fc.record({
    kind: fc.constant('control' as const),
    at: fc.nat(),
    bytes: fc.uint8Array({ minLength: 1, maxLength: 300 }).map((bytes) => bytes.map((b) => (b % 33 === 32 ? 0x7f : b % 33))),
  }),
  fc.record({
    kind: fc.constant('header' as const),
    name: fc.constantFrom('Subject', 'From', 'Content-Type', 'X-Long', 'Received'),
    length: fc.integer({ min: 1_000, max: 400_000 }),
    folded: fc.boolean(),
  }),
  fc.record({ kind: fc.constant('charset' as const), charset: fc.constantFrom(...CHARSETS), where: fc.constantFrom('header', 'word') }),
  // Mostly within the parser's depth limit (64), where the structure is parsed; sometimes past it, where it must refuse.
  fc.record({
    kind: fc.constant('nest' as const),
    depth: fc.oneof({ weight: 3, arbitrary: fc.integer({ min: 1, max: 64 }) }, fc.integer({ min: 65, max: 300 })),
  }),
);

export type Mutation = typeof mutation extends fc.Arbitrary<infer T> ? T : never;

const splice = (bytes: Buffer, at: number, inserted: Uint8Array) =>
  Buffer.concat([bytes.subarray(0, at), Buffer.from(inserted), bytes.subarray(at)]);

/** The message wrapped in `depth` levels of multipart, its own headers innermost. */
function nest(bytes: Buffer, depth: number): Buffer {
  const parts: Buffer[] = [Buffer.from('Subject: nested\n')];
  for (let i = 0; i < depth; i++) parts.push(Buffer.from(`Content-Type: multipart/mixed; boundary="n${i}"\n\n--n${i}\n`));
  parts.push(bytes, Buffer.from('\n'));
  for (let i = depth - 1; i >= 0; i--) parts.push(Buffer.from(`--n${i}--\n`));
  return Buffer.concat(parts);
}

export function mutate(bytes: Buffer, mutations: Mutation[]): Buffer {
  let out: Buffer = Buffer.from(bytes);
  for (const m of mutations) {
    if (m.kind === 'header') {
      const value = m.folded ? 'word '.repeat(m.length / 5).replace(/(.{70})/g, '$1\n ') : 'A'.repeat(m.length);
      out = Buffer.concat([Buffer.from(`${m.name}: ${value}\n`, 'latin1'), out]);
      continue;
    }
    if (m.kind === 'charset') {
      out =
        m.where === 'header'
          ? Buffer.concat([Buffer.from(`Content-Type: text/plain; charset="${m.charset}"\n`, 'latin1'), out])
          : Buffer.concat([Buffer.from(`Subject: =?${m.charset}?Q?caf=E9_=1B$B?= =?${m.charset}?B?////?=\n`, 'latin1'), out]);
      continue;
    }
    if (m.kind === 'nest') {
      out = nest(out, m.depth);
      continue;
    }
    const at = out.length ? m.at % out.length : 0;
    if (m.kind === 'flip') out[at] = m.byte;
    else if (m.kind === 'cut') out = out.subarray(0, at);
    else if (m.kind === 'inject') out = splice(out, at, Buffer.from(m.text, 'latin1'));
    else out = splice(out, at, m.bytes);
  }
  return out;
}

/** A real message, by index into `messages`, with one to six mutations applied. */
export const mutatedMail = (messages: ReadonlyArray<{ bytes: Buffer }>) =>
  fc
    .tuple(fc.nat({ max: messages.length - 1 }), fc.array(mutation, { minLength: 1, maxLength: 6 }))
    .map(([index, mutations]) => mutate(messages[index]!.bytes, mutations));
