// The feature vectors of a batch of messages, in input order, made on parse
// workers when the batch is large enough to pay for starting them.
import { readRegularFile } from '../files';
import { MAX_MESSAGE_FILE_BYTES } from '../ingest/sources';
import { featureVector } from './tokenizer';
import type { SparseVector } from './vectorize';
import { parseMailContent } from '../ingest/parse';
import type { ParsePool } from '../ingest/parse-pool';

export type MessageBytes = Uint8Array | { error: string };
export type VectorOrError = { vector: SparseVector } | { error: string };

/** Starting two parse workers costs about 0.1 s: worth it past this many messages. */
export const worthAParsePool = (messages: number) => messages > 8;

/** Each file's bytes as it is asked for, so a large batch is never all in memory. */
export function* readFiles(files: string[]): Generator<MessageBytes> {
  for (const file of files) {
    try {
      yield readRegularFile(file, MAX_MESSAGE_FILE_BYTES);
    } catch (err) {
      yield { error: (err as Error).message.replace(`${file}: `, '') };
    }
  }
}

/** Results come back in input order while up to 256 messages are being parsed ahead. */
export async function* vectorsInOrder(
  messages: Iterable<MessageBytes>,
  pool: ParsePool | null,
  buckets: number,
): AsyncGenerator<VectorOrError> {
  const vectorOf = async (bytes: Uint8Array) =>
    pool ? pool.vector(bytes, buckets) : featureVector(await parseMailContent(bytes), buckets);
  const parse = (message: MessageBytes): Promise<VectorOrError> =>
    'error' in message
      ? Promise.resolve(message)
      : vectorOf(message).then(
          (vector) => ({ vector }),
          (err: Error) => ({ error: err.message }),
        );
  const inFlight: Array<Promise<VectorOrError>> = [];
  for (const message of messages) {
    inFlight.push(parse(message));
    if (inFlight.length >= 256) yield await inFlight.shift()!;
  }
  while (inFlight.length) yield await inFlight.shift()!;
}
