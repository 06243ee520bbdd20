// The status header fields `spamlab filter` adds to a message passing through,
// and the byte-level header surgery that adds them: everything else in the
// message stays byte for byte as it came (8-bit bodies, CRLF line ends).

export const FILTER_HEADER_PREFIX = 'X-Spamlab-';
export const FILTER_HEADERS = {
  status: `${FILTER_HEADER_PREFIX}Status`,
  probability: `${FILTER_HEADER_PREFIX}Probability`,
  run: `${FILTER_HEADER_PREFIX}Run`,
  tokens: `${FILTER_HEADER_PREFIX}Tokens`,
  decidedBy: `${FILTER_HEADER_PREFIX}Decided-By`,
} as const;

export const FILTER_STATUSES = ['spam', 'ham', 'unsure', 'error'] as const;
export type FilterStatus = (typeof FILTER_STATUSES)[number];

const LF = 0x0a;
const CR = 0x0d;
const FIELD_NAME = /^([!-9;-~]+)[ \t]*:/;
const OWN_FIELD = new RegExp(`^${FILTER_HEADER_PREFIX}`, 'i');
const latin1 = (bytes: Uint8Array) => String.fromCharCode(...bytes.subarray(0, Math.min(bytes.length, 200)));

/** The message's own line end: that of its first line, LF when it has none. */
export function lineEndOf(raw: Uint8Array): '\r\n' | '\n' {
  const lf = raw.indexOf(LF);
  return lf > 0 && raw[lf - 1] === CR ? '\r\n' : '\n';
}

/** Where a leading mbox envelope line ("From sender date", as procmail passes it) ends: new header fields go after it. */
function envelopeEnd(raw: Uint8Array): number {
  if (latin1(raw.subarray(0, 5)) !== 'From ') return 0;
  const lf = raw.indexOf(LF);
  return lf < 0 ? raw.length : lf + 1;
}

/**
 * The message without the header fields named X-Spamlab-* (folded continuation lines included), which only
 * this filter may set: a sender must not be able to pre-set a verdict. Input that does not start with a header
 * block comes back unchanged.
 */
export function withoutOwnFields(raw: Uint8Array): Uint8Array {
  const kept: Uint8Array[] = [];
  let start = envelopeEnd(raw);
  kept.push(raw.subarray(0, start));
  let dropping = false;
  let removed = false;
  while (start < raw.length) {
    const lf = raw.indexOf(LF, start);
    const end = lf < 0 ? raw.length : lf + 1;
    const line = raw.subarray(start, end);
    if (line[0] === LF || (line[0] === CR && line[1] === LF)) break;
    const folded = line[0] === 0x20 || line[0] === 0x09;
    if (!folded) {
      const name = FIELD_NAME.exec(latin1(line));
      if (!name) break;
      dropping = OWN_FIELD.test(name[1]!);
    }
    if (dropping) removed = true;
    else kept.push(line);
    start = end;
  }
  if (!removed) return raw;
  kept.push(raw.subarray(start));
  return concat(kept);
}

/** The message with header fields added at the top of its header block (after an envelope line), in its own line ends. */
export function withFields(raw: Uint8Array, fields: Array<[name: string, value: string]>): Uint8Array {
  const eol = lineEndOf(raw);
  const at = envelopeEnd(raw);
  const added = new TextEncoder().encode(fields.map(([name, value]) => `${name}: ${value}${eol}`).join(''));
  return concat([raw.subarray(0, at), added, raw.subarray(at)]);
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}
