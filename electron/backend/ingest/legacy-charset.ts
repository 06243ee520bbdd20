// Mail from before UTF-8 was everywhere often sends 8-bit text with no
// charset at all. Read as UTF-8 (the parser's default) every accented letter
// becomes U+FFFD; mail clients read such text as windows-1252, and so do we.

const TEXT_CONTENT_TYPE = /^(content-type:[ \t]*text\/[\w.+-]+)((?:;[^\n]*|\n[ \t][^\n]*)*)(?=\r?$)/gim;
const LEGACY = 'windows-1252';

/** How many replacement characters the decoded text and HTML hold. */
export function replacementCount(...texts: Array<string | undefined>): number {
  let count = 0;
  for (const text of texts) for (let at = text?.indexOf('\uFFFD') ?? -1; at >= 0; at = text!.indexOf('\uFFFD', at + 1)) count++;
  return count;
}

/**
 * The message with windows-1252 declared on every text part that declares no
 * charset (and on the message itself when it has no Content-Type), or null
 * when every text part already names one.
 */
export function declareLegacyCharset(raw: Uint8Array): Uint8Array | null {
  let source = Buffer.from(raw.buffer, raw.byteOffset, raw.length).toString('latin1');
  let changed = false;
  source = source.replace(TEXT_CONTENT_TYPE, (field: string, type: string, params: string) => {
    if (/charset\s*=/i.test(params)) return field;
    changed = true;
    return `${type}; charset=${LEGACY}${params}`;
  });
  const headerEnd = source.search(/\r?\n\r?\n/);
  const header = headerEnd < 0 ? source : source.slice(0, headerEnd);
  if (!/^content-type:/im.test(header)) {
    source = `Content-Type: text/plain; charset=${LEGACY}\n${source}`;
    changed = true;
  }
  return changed ? Buffer.from(source, 'latin1') : null;
}

/** Where the top-level header block ends: the offset of its empty line, or the end of the message when it has none. */
function headerEnd(raw: Uint8Array): number {
  for (let i = 0; i < raw.length; i++) {
    if (raw[i] !== 0x0a) continue;
    if (raw[i + 1] === 0x0a) return i + 1;
    if (raw[i + 1] === 0x0d && raw[i + 2] === 0x0a) return i + 1;
  }
  return raw.length;
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });
const legacy = new TextDecoder(LEGACY);

/**
 * Header fields may carry raw 8-bit text (an "£" sent as the bare byte 0xA3)
 * that the parser would read as UTF-8, every such byte a U+FFFD. When the
 * header block holds 8-bit bytes that are not UTF-8, the message with that
 * block read as windows-1252 and written as UTF-8; null when there is nothing
 * to do. The body's bytes are left as they are.
 */
export function legacyHeadersAsUtf8(raw: Uint8Array): Uint8Array | null {
  const end = headerEnd(raw);
  const head = raw.subarray(0, end);
  if (!head.some((byte) => byte >= 0x80)) return null;
  try {
    strictUtf8.decode(head);
    return null;
  } catch {
    return Buffer.concat([Buffer.from(legacy.decode(head), 'utf8'), raw.subarray(end)]);
  }
}
