// Messages named on the command line (or stdin), and their tokens in input order.
import fs from 'node:fs';
import { createParsePool } from '../backend/ingest/parse-pool';
import { parseMailContent } from '../backend/ingest/parse';
import { tokenCounts } from '../backend/features/tokenizer';
import type { TokenCounts } from '../backend/features/vectorize';

export type Input = { file: string; bytes: Uint8Array } | { file: string; error: string };

const readInput = (file: string): Input => {
  try {
    return { file, bytes: fs.readFileSync(file) };
  } catch (err) {
    return { file, error: `cannot read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})` };
  }
};

async function readStdin(): Promise<Input> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return { file: '-', bytes: Buffer.concat(chunks) };
}

/** The named files one at a time as they are asked for, or standard input when none are named. */
async function* eachInput(files: string[]): AsyncGenerator<Input> {
  if (files.length === 0) yield await readStdin();
  for (const file of files) yield readInput(file);
}

export async function readInputs(files: string[]): Promise<Input[]> {
  const inputs: Input[] = [];
  for await (const input of eachInput(files)) inputs.push(input);
  return inputs;
}

/**
 * Token counts of each named file (or standard input), parsed on worker threads
 * when there are many; files are read as they are sent, results come back in input order.
 */
export async function* tokensInOrder(
  files: string[],
): AsyncGenerator<{ file: string; tokens: TokenCounts } | { file: string; error: string }> {
  const pool = files.length > 8 ? createParsePool() : null;
  const tokensOf = async (bytes: Uint8Array) => (pool ? pool.tokens(bytes) : tokenCounts(await parseMailContent(bytes)));
  const parse = (input: Input) =>
    'error' in input
      ? Promise.resolve(input)
      : tokensOf(input.bytes).then(
          (tokens) => ({ file: input.file, tokens }),
          (err: Error) => ({ file: input.file, error: err.message }),
        );
  const inFlight: ReturnType<typeof parse>[] = [];
  try {
    for await (const input of eachInput(files)) {
      inFlight.push(parse(input));
      if (inFlight.length >= 256) yield await inFlight.shift()!;
    }
    while (inFlight.length) yield await inFlight.shift()!;
  } finally {
    await pool?.close();
  }
}
