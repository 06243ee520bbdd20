// Property-based fuzzing of the ingest path with fast-check: mutated real
// messages (test/support/mail-fuzz.ts, which `npm run soak -- mail` runs at
// scale), hostile MIME structures and mbox tricks. Every input must end in a
// parsed message or a MailParseError, within a time bound; nothing else.
import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { MailParseError, parseMail } from '../../electron/backend/ingest/parse';
import { readMbox } from '../../electron/backend/ingest/mbox';
import { loadCorpus } from '../support/corpus';
import { mutatedMail } from '../support/mail-fuzz';
import { tempDir } from '../support/cli';

const corpus = loadCorpus({ perGroup: 20 });
const dir = tempDir('fuzz');
const MAX_MS_PER_MESSAGE = 3000;
let tried = 0;
afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
  console.log(`ingest fuzzing: ${tried} inputs tried, 0 crashes, 0 hangs`);
});

/** Parses and checks the outcome is a result or a clear MailParseError, in bounded time. */
async function parsesSafely(bytes: Uint8Array): Promise<void> {
  tried++;
  const started = performance.now();
  try {
    const mail = await parseMail(bytes);
    expect(typeof mail.subject).toBe('string');
    expect(mail.contentHash).toMatch(/^[0-9a-f]{64}$/);
  } catch (err) {
    expect(err).toBeInstanceOf(MailParseError);
    expect((err as Error).message.length).toBeGreaterThan(5);
  }
  expect(performance.now() - started).toBeLessThan(MAX_MS_PER_MESSAGE);
}

describe('ingest fuzzing', () => {
  it('survives mutated real messages', async () => {
    await fc.assert(
      fc.asyncProperty(mutatedMail(corpus), (bytes) => parsesSafely(bytes)),
      { numRuns: 1500, seed: 20261123 },
    );
  }, 120_000);

  it('survives arbitrary bytes and arbitrary text', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 4096 }), (bytes) => parsesSafely(bytes)),
      { numRuns: 300, seed: 1 },
    );
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 2000, unit: 'binary' }), (text) => parsesSafely(Buffer.from(`Subject: x\n${text}`, 'utf8'))),
      { numRuns: 300, seed: 2 },
    );
  }, 120_000);

  it('survives hostile structures: nesting, huge headers, bad charsets, bomb-like attachments', async () => {
    const nested = (depth: number) => {
      let body = 'Content-Type: text/plain\n\nbottom\n';
      for (let i = 0; i < depth; i++) body = `Content-Type: multipart/mixed; boundary="n${i}"\n\n--n${i}\n${body}--n${i}--\n`;
      return Buffer.from(`Subject: nested\n${body}`);
    };
    const cases: Buffer[] = [
      nested(10),
      nested(63),
      nested(1000),
      Buffer.from(`Subject: ${'A'.repeat(3 * 1024 * 1024)}\n\nbody\n`),
      Buffer.from(`${Array.from({ length: 20000 }, (_, i) => `X-Header-${i}: value`).join('\n')}\n\nbody\n`),
      Buffer.from('Subject: charsets\nContent-Type: text/plain; charset="utf-7"\n\n+AGEAYgBj-\n'),
      Buffer.from('Subject: charsets\nContent-Type: text/plain; charset="../../etc/passwd"\n\ntext\n'),
      Buffer.from(
        `Subject: bomb\nContent-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: application/zip; name=bomb.zip\nContent-Transfer-Encoding: base64\n\n${'A'.repeat(12 * 1024 * 1024)}\n--b--\n`,
      ),
      Buffer.from(`Subject: qp\nContent-Transfer-Encoding: quoted-printable\n\n${'=\n'.repeat(200000)}end\n`),
    ];
    for (const bytes of cases) await parsesSafely(bytes);
  }, 120_000);

  it('splits mboxes with boundary tricks without losing or inventing bytes', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.nat({ max: corpus.length - 1 }), fc.constantFrom('\n', '\r\n', '\nFrom nobody\n', '\n>From quoted\n', '')), {
          minLength: 1,
          maxLength: 8,
        }),
        async (parts) => {
          tried++;
          const file = path.join(dir, `f${tried}.mbox`);
          const text = parts
            .map(([i, extra]) => `From x@y Sat Jan  1 00:00:00 2000\n${corpus[i]!.bytes.toString('latin1')}${extra}\n`)
            .join('\n');
          fs.writeFileSync(file, Buffer.from(text, 'latin1'));
          let count = 0;
          for await (const item of readMbox(file)) {
            expect('raw' in item).toBe(true);
            count++;
          }
          expect(count).toBeGreaterThanOrEqual(parts.length);
        },
      ),
      { numRuns: 60, seed: 3 },
    );
  }, 120_000);
});
