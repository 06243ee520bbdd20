// Paths people and other programs hand to spamlab. Only regular files and
// folders are opened, and what is read from one file is bounded: a FIFO blocks
// its reader forever, /dev/zero never ends, and Node's recursive mkdir never
// returns under /proc.
import fs from 'node:fs';
import path from 'node:path';
import { ApiError } from '../../shared/errors';

const VIRTUAL_ROOTS = ['/proc', '/sys'];

export function describeKind(stat: fs.Stats): string {
  if (stat.isFIFO()) return 'a named pipe (FIFO)';
  if (stat.isCharacterDevice()) return 'a character device';
  if (stat.isBlockDevice()) return 'a block device';
  if (stat.isSocket()) return 'a socket';
  return stat.isDirectory() ? 'a folder' : 'not a regular file';
}

/** Why this stat is not of a regular file or folder, or null when it is one. */
export const notFileOrFolder = (stat: fs.Stats): string | null =>
  stat.isFile() || stat.isDirectory() ? null : `${describeKind(stat)}, not a regular file or folder`;

/** Refuses a place for spamlab's own files inside a kernel's virtual file system. */
export function assertWritablePlace(target: string): void {
  const absolute = path.resolve(target);
  const root = VIRTUAL_ROOTS.find((r) => absolute === r || absolute.startsWith(`${r}/`));
  if (root) throw new ApiError('bad-input', `${target}: under ${root}, which holds no files of spamlab's`);
}

/** Makes a folder and its missing parents. */
export function makeFolder(dir: string): void {
  assertWritablePlace(dir);
  try {
    fs.mkdirSync(dir, { recursive: true });
  } catch (err) {
    throw new ApiError('bad-input', `${dir}: cannot make this folder (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
}

/** Writes a whole file, in place of a regular file only (a FIFO would block until someone reads it); errors name the file. */
export function writeRegularFile(file: string, bytes: Uint8Array): void {
  assertWritablePlace(file);
  const stat = fs.statSync(file, { throwIfNoEntry: false });
  if (stat && !stat.isFile()) throw new ApiError('bad-input', `${file}: ${describeKind(stat)}, not a regular file`);
  try {
    fs.writeFileSync(file, bytes);
  } catch (err) {
    throw new ApiError('bad-input', `${file}: cannot write (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
}

/** Reads a whole regular file of at most `maxBytes`; anything else is refused before it is opened. */
export function readRegularFile(file: string, maxBytes: number): Buffer {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch (err) {
    throw new ApiError('bad-input', `${file}: cannot read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  if (!stat.isFile()) throw new ApiError('bad-input', `${file}: ${describeKind(stat)}, not a regular file`);
  const tooLarge = (size: number) => new ApiError('bad-input', `${file}: ${size} bytes or more, over the ${maxBytes}-byte limit`);
  if (stat.size > maxBytes) throw tooLarge(stat.size);
  // Read to the limit and one byte past it: the size stat gave can be stale (a growing file) or 0 (procfs).
  const fd = fs.openSync(file, 'r');
  try {
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(Math.min(maxBytes + 1 - total, 1 << 20));
      const read = fs.readSync(fd, chunk, 0, chunk.length, null);
      if (read === 0) return Buffer.concat(chunks, total);
      chunks.push(chunk.subarray(0, read));
      total += read;
      if (total > maxBytes) throw tooLarge(total);
    }
  } finally {
    fs.closeSync(fd);
  }
}
