// Messages named on the command line, or standard input when none are named.
import fs from 'node:fs';

export type Input = { file: string; bytes: Uint8Array } | { file: string; error: string };

const readInput = (file: string): Input => {
  try {
    return { file, bytes: fs.readFileSync(file) };
  } catch (err) {
    return { file, error: `cannot read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})` };
  }
};

export async function readStdin(): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export async function readInputs(files: string[]): Promise<Input[]> {
  if (files.length === 0) return [{ file: '-', bytes: await readStdin() }];
  return files.map(readInput);
}
