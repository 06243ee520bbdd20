// Messages named on the command line (or stdin), and their tokens in input order.
import fs from 'node:fs';
import { createParsePool } from '../backend/ingest/parse-pool';
import { parseMail } from '../backend/ingest/parse';
import { tokenize } from '../backend/features/tokenizer';
import { countTokens, TokenCounts } from '../backend/features/vectorize';

export type Input = { file: string; bytes: Uint8Array } | { file: string; error: string };

export async function readInputs(files: string[]): Promise<Input[]> {
  if (files.length === 0) {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return [{ file: '-', bytes: Buffer.concat(chunks) }];
  }
  return files.map((file) => {
    try {
      return { file, bytes: fs.readFileSync(file) };
    } catch (err) {
      return { file, error: `cannot read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})` };
    }
  });
}

/** Token counts of each message, parsed on worker threads when there are many; results come back in input order. */
export async function* tokensInOrder(
  inputs: Input[],
): AsyncGenerator<{ file: string; tokens: TokenCounts } | { file: string; error: string }> {
  const pool = inputs.length > 8 ? createParsePool() : null;
  const tokensOf = async (bytes: Uint8Array) => (pool ? pool.tokens(bytes) : countTokens(tokenize(await parseMail(bytes))));
  const parse = (input: Input) =>
    'error' in input
      ? Promise.resolve(input)
      : tokensOf(input.bytes).then(
          (tokens) => ({ file: input.file, tokens }),
          (err: Error) => ({ file: input.file, error: err.message }),
        );
  const inFlight: ReturnType<typeof parse>[] = [];
  try {
    for (const input of inputs) {
      inFlight.push(parse(input));
      if (inFlight.length >= 256) yield await inFlight.shift()!;
    }
    while (inFlight.length) yield await inFlight.shift()!;
  } finally {
    await pool?.close();
  }
}
