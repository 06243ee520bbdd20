import fs from 'node:fs';

export type MboxItem =
  /** raw: the message with its envelope line, ">From " lines unescaped (mboxrd). */
  { offset: number; raw: Uint8Array } | { offset: number; error: string };

/** A message larger than this is skipped (reported), so one bad mbox cannot exhaust memory. */
export const MAX_MBOX_MESSAGE_BYTES = 64 * 1024 * 1024;

const SEPARATOR = Buffer.from('\nFrom ', 'latin1');
const FROM = Buffer.from('From ', 'latin1');
const ESCAPED_FROM = Buffer.from('>From ', 'latin1');

/** Reads the first bytes of a file. */
export function readHead(file: string, bytes: number): Buffer {
  const fd = fs.openSync(file, 'r');
  try {
    const buffer = Buffer.alloc(bytes);
    return buffer.subarray(0, fs.readSync(fd, buffer, 0, bytes, 0));
  } finally {
    fs.closeSync(fd);
  }
}

function unescapeFromLines(message: Buffer): Buffer {
  if (message.indexOf(ESCAPED_FROM) < 0) return message;
  return Buffer.from(message.toString('latin1').replace(/^>(>*From )/gm, '$1'), 'latin1');
}

/** A "From " line starts a message only after an empty line (or at the start of the file). */
function nextBoundary(buffer: Buffer, from: number): number {
  let at = buffer.indexOf(SEPARATOR, from);
  while (at >= 0) {
    const blankBefore = at === 0 || buffer[at - 1] === 0x0a || (buffer[at - 1] === 0x0d && buffer[at - 2] === 0x0a);
    if (blankBefore) return at + 1;
    at = buffer.indexOf(SEPARATOR, at + 1);
  }
  return -1;
}

/**
 * Streams the messages of an mbox file with memory bounded by the largest
 * message, not the file. A truncated last message is still yielded: the
 * parser decides whether it is usable.
 */
export async function* readMbox(file: string, maxMessageBytes = MAX_MBOX_MESSAGE_BYTES): AsyncGenerator<MboxItem> {
  if (!readHead(file, FROM.length).equals(FROM)) {
    throw new Error(`${file}: not an mbox file (it does not start with a "From " line)`);
  }
  let pending: Buffer = Buffer.alloc(0);
  let pendingOffset = 0;
  let searchFrom = 1;
  let oversize = false;
  let oversizeOffset = 0;
  const tooLarge = () => ({ offset: oversizeOffset, error: `message larger than ${maxMessageBytes} bytes: skipped` });
  for await (const chunk of fs.createReadStream(file, { highWaterMark: 1024 * 1024 })) {
    pending = pending.length ? Buffer.concat([pending, chunk as Buffer]) : (chunk as Buffer);
    let boundary = nextBoundary(pending, Math.max(searchFrom - SEPARATOR.length - 2, 1));
    while (boundary > 0) {
      yield oversize ? tooLarge() : { offset: pendingOffset, raw: unescapeFromLines(trimSeparator(pending.subarray(0, boundary))) };
      oversize = false;
      pending = pending.subarray(boundary);
      pendingOffset += boundary;
      boundary = nextBoundary(pending, 1);
    }
    if (pending.length > maxMessageBytes) {
      // Keep only the tail where the next boundary may begin; the message itself is dropped.
      if (!oversize) oversizeOffset = pendingOffset;
      oversize = true;
      const keep = 2 * SEPARATOR.length;
      pendingOffset += pending.length - keep;
      pending = Buffer.from(pending.subarray(pending.length - keep));
    }
    searchFrom = pending.length;
  }
  if (pending.length > 0) {
    // The last message ends with the format's blank line too, unless the file was cut short.
    const last = endsWithBlankLine(pending) ? trimSeparator(pending) : pending;
    yield oversize ? tooLarge() : { offset: pendingOffset, raw: unescapeFromLines(last) };
  }
}

const endsWithBlankLine = (message: Buffer) =>
  message.length >= 2 &&
  message[message.length - 1] === 0x0a &&
  (message[message.length - 2] === 0x0a || message.subarray(-4).toString('latin1') === '\r\n\r\n');

/** The blank line before the next "From " belongs to the mbox format, not to the message. */
function trimSeparator(message: Buffer): Buffer {
  let end = message.length;
  if (message[end - 1] === 0x0a) end--;
  if (message[end - 1] === 0x0d) end--;
  return message.subarray(0, end);
}
