import { createHash } from 'node:crypto';
import PostalMime, { Address, Email } from 'postal-mime';
import { declareLegacyCharset, legacyHeadersAsUtf8, replacementCount } from './legacy-charset';
import type { AttachmentInfo, MailContent, ParsedMail } from '../../../shared/types';
import { htmlToText } from './html-text';

export interface ParseLimits {
  /** Bytes of a message parsed; the rest is cut, with a warning. */
  maxRawBytes: number;
  maxTextChars: number;
  maxHtmlChars: number;
  maxHeaders: number;
  maxNestingDepth: number;
}

export const DEFAULT_PARSE_LIMITS: ParseLimits = {
  maxRawBytes: 10 * 1024 * 1024,
  maxTextChars: 1_000_000,
  maxHtmlChars: 2_000_000,
  maxHeaders: 500,
  maxNestingDepth: 64,
};

/** The bytes are not a mail message, or the parser gave up on them. */
export class MailParseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MailParseError';
  }
}

const LF = 0x0a;
const CR = 0x0d;

/** Drops a leading mbox envelope line ("From sender date"), which is not part of the message. */
export function stripMboxEnvelope(raw: Uint8Array): Uint8Array {
  if (raw[0] !== 0x46 || raw[1] !== 0x72 || raw[2] !== 0x6f || raw[3] !== 0x6d || raw[4] !== 0x20) return raw;
  const end = raw.indexOf(LF);
  return end < 0 ? raw.subarray(raw.length) : raw.subarray(end + 1);
}

// A header field as mail has it: a name of letters, digits and the few marks real field names use, then a colon.
const HEADER_FIELD = /^([A-Za-z0-9][\w.+/-]*)[ \t]*:/;
// Fields that only mail (and news) carry; a block of `name: value` lines with none of them is some other key-value text.
const MAIL_FIELD =
  /^(from|to|cc|bcc|subject|date|sender|reply-to|received|return-path|delivered-to|delivery-date|envelope-to|message-id|in-reply-to|references|mime-version|content-[\w-]+|resent-[\w-]+|list-[\w-]+|x-[\w.+/-]+|dkim-signature|domainkey-signature|authentication-results|arc-[\w-]+|received-spf|precedence|errors-to|organization|user-agent|importance|priority|thread-(topic|index)|comments|keywords|status|newsgroups|path|xref|lines|nntp-posting-host|apparently-to|disposition-notification-to|return-receipt-to|auto-submitted)$/i;
const HEADER_SCAN_BYTES = 4096;
// ISO-2022-JP and its kin switch character sets with ESC, SO and SI inside ordinary header text.
const ESC = 0x1b;
const SO = 0x0e;
const SI = 0x0f;

/** Where the header block ends (its empty line), looking no further than `limit` bytes. */
function headerBlockEnd(raw: Uint8Array, start: number, limit: number): number {
  for (let i = start; i + 1 < limit; i++) {
    if (raw[i] !== LF) continue;
    if (raw[i + 1] === LF) return i;
    if (raw[i + 1] === CR && raw[i + 2] === LF) return i;
  }
  return limit;
}

/**
 * Refuses what is plainly not mail, before the MIME parser spends time on it.
 * Only the header block counts: a body may hold any bytes (a spammer's NUL or form feeds included) and is still scored.
 */
function assertLooksLikeMail(raw: Uint8Array): void {
  if (raw.length === 0) throw new MailParseError('empty message');
  const scanEnd = Math.min(raw.length, HEADER_SCAN_BYTES);
  let lineStart = 0;
  while (lineStart < scanEnd && (raw[lineStart] === LF || raw[lineStart] === CR)) lineStart++;
  const headEnd = headerBlockEnd(raw, lineStart, scanEnd);
  let control = 0;
  for (let i = lineStart; i < headEnd; i++) {
    const c = raw[i]!;
    if (c === 0) throw new MailParseError('binary data, not a mail message (NUL byte in the header block)');
    if (c < 0x20 && c !== 0x09 && c !== LF && c !== CR && c !== ESC && c !== SO && c !== SI) control++;
  }
  if (control > (headEnd - lineStart) / 20) throw new MailParseError('binary data, not a mail message (control bytes in the header block)');
  const head = Buffer.from(raw.buffer, raw.byteOffset + lineStart, headEnd - lineStart).toString('latin1');
  const firstLine = head.slice(0, head.search(/\r?\n|$/));
  if (!HEADER_FIELD.test(firstLine)) {
    const looksLike = /^\s*[[{]/.test(firstLine)
      ? ' (it looks like JSON)'
      : /,/.test(firstLine) && !firstLine.includes(':')
        ? ' (it looks like CSV)'
        : '';
    throw new MailParseError(
      `not a mail message: it does not start with a header line${looksLike} (starts with ${JSON.stringify(firstLine.slice(0, 40))})`,
    );
  }
  const names = head.split(/\r?\n/).flatMap((line) => HEADER_FIELD.exec(line)?.[1] ?? []);
  if (!names.some((name) => MAIL_FIELD.test(name))) {
    throw new MailParseError(
      `not a mail message: no mail header field (From, To, Subject, Date, Received…) among ${names
        .slice(0, 5)
        .map((n) => JSON.stringify(n))
        .join(', ')}${names.length > 5 ? ', …' : ''}`,
    );
  }
}

function formatAddress(address: Address | undefined): string {
  if (!address) return '';
  if (address.group) return address.group.map((m) => formatAddress(m)).join(', ');
  return address.name ? `${address.name} <${address.address ?? ''}>` : (address.address ?? '');
}

const formatAddresses = (list: Address[] | undefined) => (list ?? []).map(formatAddress).join(', ');

function cut(value: string, max: number, what: string, warnings: string[]): string {
  if (value.length <= max) return value;
  warnings.push(`${what} cut at ${max} characters (was ${value.length})`);
  return value.slice(0, max);
}

/** Charsets named in the message that TextDecoder cannot decode: the parser falls back, we say so. */
function unknownCharsets(raw: Uint8Array): string[] {
  const sample = Buffer.from(raw.buffer, raw.byteOffset, Math.min(raw.length, 256 * 1024)).toString('latin1');
  const unknown = new Set<string>();
  // Only in Content-Type header fields (folded lines included), not in bodies where "charset=3D…" is quoted-printable.
  for (const match of sample.matchAll(/content-type:(?:[^\n]|\n[ \t])*?charset\s*=\s*["']?([^"'\s;>]+)/gi)) {
    const label = match[1]!;
    try {
      new TextDecoder(label);
    } catch {
      unknown.add(label);
    }
  }
  return [...unknown];
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** Line endings at the very end differ between an .eml and the same message in an mbox; they are not content. */
function withoutTrailingNewlines(bytes: Uint8Array): Uint8Array {
  let end = bytes.length;
  while (end > 0 && (bytes[end - 1] === 0x0a || bytes[end - 1] === 0x0d)) end--;
  return bytes.subarray(0, end);
}

function attachmentInfo(email: Email): AttachmentInfo[] {
  return email.attachments.map((a) => ({
    filename: a.filename,
    mimeType: a.mimeType,
    size: typeof a.content === 'string' ? a.content.length : a.content.byteLength,
  }));
}

/** Decodes a message (envelope line already removed); notes what it cut or guessed in `warnings` when given. */
async function readMail(
  message: Uint8Array,
  limit: ParseLimits,
  warnings: string[] | null,
): Promise<Omit<ParsedMail, 'contentHash' | 'warnings' | 'size'>> {
  assertLooksLikeMail(message);
  const notes = warnings ?? [];
  let raw = message;
  if (raw.length > limit.maxRawBytes) {
    notes.push(`message cut at ${limit.maxRawBytes} bytes (was ${raw.length})`);
    raw = raw.subarray(0, limit.maxRawBytes);
  }
  if (warnings) for (const charset of unknownCharsets(raw)) warnings.push(`unknown charset "${charset}": decoded as windows-1252`);
  const legacyHeaders = legacyHeadersAsUtf8(raw);
  if (legacyHeaders) {
    raw = legacyHeaders;
    notes.push('8-bit header text that is not UTF-8: read as windows-1252');
  }
  const mime = async (bytes: Uint8Array) => {
    try {
      return await PostalMime.parse(bytes, { maxNestingDepth: limit.maxNestingDepth, attachmentEncoding: 'arraybuffer' });
    } catch (err) {
      throw new MailParseError(`MIME parser failed: ${(err as Error).message}`);
    }
  };
  let email: Email = await mime(raw);
  const lost = replacementCount(email.text, email.html);
  if (lost > 0) {
    const declared = declareLegacyCharset(raw);
    const again = declared && (await mime(declared));
    if (again && replacementCount(again.text, again.html) < lost) {
      email = again;
      notes.push('8-bit text with no charset that is not UTF-8: read as windows-1252');
    }
  }
  let headers = email.headers.map((h): [string, string] => [h.key, h.value]);
  if (headers.length > limit.maxHeaders) {
    notes.push(`kept the first ${limit.maxHeaders} of ${headers.length} header fields`);
    headers = headers.slice(0, limit.maxHeaders);
  }
  const html = email.html ? cut(email.html, limit.maxHtmlChars, 'HTML body', notes) : null;
  const text = cut(email.text?.trim() ? email.text : html ? htmlToText(html) : '', limit.maxTextChars, 'text body', notes);
  const dateMs = email.date ? Date.parse(email.date) : NaN;
  return {
    subject: email.subject ?? '',
    from: formatAddress(email.from),
    to: formatAddresses(email.to),
    date: Number.isFinite(dateMs) ? dateMs : null,
    headers,
    text,
    html,
    attachments: attachmentInfo(email),
  };
}

export async function parseMail(input: Uint8Array, limits: Partial<ParseLimits> = {}): Promise<ParsedMail> {
  const message = stripMboxEnvelope(input);
  const warnings: string[] = [];
  const content = await readMail(message, { ...DEFAULT_PARSE_LIMITS, ...limits }, warnings);
  return { contentHash: sha256(withoutTrailingNewlines(message)), ...content, warnings, size: message.length };
}

/** What the tokenizer reads of a message, the same as `parseMail` gives, without its hash or warnings: for scoring. */
export const parseMailContent = (input: Uint8Array): Promise<MailContent> => readMail(stripMboxEnvelope(input), DEFAULT_PARSE_LIMITS, null);

/** A message from a CSV or JSONL row: only a subject and a body. */
export function parseRecord(text: string, subject: string | null): ParsedMail {
  if (text.trim() === '' && !subject) throw new MailParseError('empty text');
  const warnings: string[] = [];
  const body = cut(text, DEFAULT_PARSE_LIMITS.maxTextChars, 'text', warnings);
  return {
    contentHash: sha256(Buffer.from(`${subject ?? ''}\n${text}`, 'utf8')),
    subject: subject ?? '',
    from: '',
    to: '',
    date: null,
    headers: subject ? [['subject', subject]] : [],
    text: body,
    html: null,
    attachments: [],
    warnings,
    size: Buffer.byteLength(text, 'utf8'),
  };
}
