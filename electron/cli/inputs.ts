// Messages named on the command line (or stdin), and their feature vectors in input order.
import { readRegularFile } from '../backend/files';
import { MAX_MESSAGE_FILE_BYTES } from '../backend/ingest/sources';
import { createParsePool, ParsePool } from '../backend/ingest/parse-pool';
import { parseMailContent } from '../backend/ingest/parse';
import { featureVector } from '../backend/features/tokenizer';
import type { SparseVector } from '../backend/features/vectorize';

export type Input = { file: string; bytes: Uint8Array } | { file: string; error: string };

const readInput = (file: string): Input => {
  try {
    return { file, bytes: readRegularFile(file, MAX_MESSAGE_FILE_BYTES) };
  } catch (err) {
    return { file, error: (err as Error).message.replace(`${file}: `, '') };
  }
};

async function readStdin(): Promise<Input> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of process.stdin) {
    size += (chunk as Buffer).length;
    if (size > MAX_MESSAGE_FILE_BYTES) return { file: '-', error: `more than the ${MAX_MESSAGE_FILE_BYTES}-byte limit for one message` };
    chunks.push(chunk as Buffer);
  }
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

/** Enough messages to be worth starting parse workers for. */
export const parsePoolFor = (files: string[]): ParsePool | null => (files.length > 8 ? createParsePool() : null);

/**
 * The feature vector, for a model of `buckets` buckets, of each named file (or
 * standard input), made on the pool's workers when there is one; files are
 * read as they are sent, results come back in input order.
 */
export async function* vectorsInOrder(
  files: string[],
  pool: ParsePool | null,
  buckets: number,
): AsyncGenerator<{ file: string; vector: SparseVector } | { file: string; error: string }> {
  const vectorOf = async (bytes: Uint8Array) =>
    pool ? pool.vector(bytes, buckets) : featureVector(await parseMailContent(bytes), buckets);
  const parse = (input: Input) =>
    'error' in input
      ? Promise.resolve(input)
      : vectorOf(input.bytes).then(
          (vector) => ({ file: input.file, vector }),
          (err: Error) => ({ file: input.file, error: err.message }),
        );
  const inFlight: ReturnType<typeof parse>[] = [];
  for await (const input of eachInput(files)) {
    inFlight.push(parse(input));
    if (inFlight.length >= 256) yield await inFlight.shift()!;
  }
  while (inFlight.length) yield await inFlight.shift()!;
}
