// A mail-parsing worker (bundled to dist/parse-worker.js). Import and batch
// classify parse in these so both cores work and the main thread only writes
// to SQLite or scores.
import { parentPort } from 'node:worker_threads';
import { featureVector, tokenCounts } from '../features/tokenizer';
import type { ParsedMail } from '../../../shared/types';
import type { SparseVector, TokenCounts } from '../features/vectorize';
import { installConcatBlob } from './concat-blob';
import { MailParseError, parseMail, parseMailContent } from './parse';

installConcatBlob();

/** `buckets`: answer with the message's feature vector for a model of that many buckets (for scoring), not the parsed mail. */
export type ParseRequest = { id: number; raw: Uint8Array; buckets: number | null };
export type ParseResponse =
  | { id: number; mail: ParsedMail; tokens: TokenCounts }
  | { id: number; vector: SparseVector }
  /** refused: a MailParseError (not mail, or the MIME parser gave up); otherwise something threw that should not have. */
  | { id: number; error: string; refused: boolean };

const respond = (response: ParseResponse) => parentPort!.postMessage(response);
const fail = (id: number) => (err: Error) => respond({ id, error: err.message, refused: err instanceof MailParseError });

parentPort?.on('message', ({ id, raw, buckets }: ParseRequest) => {
  // Vectors are small and copied back; moving their buffers costs more than copying them.
  if (buckets !== null) parseMailContent(raw).then((mail) => respond({ id, vector: featureVector(mail, buckets) }), fail(id));
  // Importing tokenizes here too, so training finds the features cached and both cores share the work.
  else parseMail(raw).then((mail) => respond({ id, mail, tokens: tokenCounts(mail) }), fail(id));
});
