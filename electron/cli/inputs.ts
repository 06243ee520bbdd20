// Messages named on the command line, or standard input when none are named.
import { MAX_MESSAGE_FILE_BYTES, readRegularFile } from '../backend/api';

export type Input = { file: string; bytes: Uint8Array } | { file: string; error: string };

const readInput = (file: string): Input => {
  try {
    return { file, bytes: readRegularFile(file, MAX_MESSAGE_FILE_BYTES) };
  } catch (err) {
    return { file, error: (err as Error).message.replace(`${file}: `, '') };
  }
};

/** Standard input as one message, read no further than the limit for one message. */
export async function readStdin(): Promise<Input> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of process.stdin) {
    size += (chunk as Buffer).length;
    if (size > MAX_MESSAGE_FILE_BYTES) return { file: '-', error: `more than the ${MAX_MESSAGE_FILE_BYTES}-byte limit for one message` };
    chunks.push(chunk as Buffer);
  }
  return { file: '-', bytes: Buffer.concat(chunks) };
}

export async function readInputs(files: string[]): Promise<Input[]> {
  if (files.length === 0) return [await readStdin()];
  return files.map(readInput);
}
