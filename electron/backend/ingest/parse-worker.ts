// A mail-parsing worker (bundled to dist/parse-worker.js). Import parses in
// these so both cores work and the main thread only writes to SQLite.
import { parentPort } from 'node:worker_threads';
import { tokenCounts } from '../features/tokenizer';
import type { ParsedMail } from '../../../shared/types';
import type { TokenCounts } from '../features/vectorize';
import { installConcatBlob } from './concat-blob';
import { parseMail, parseMailContent } from './parse';

installConcatBlob();

/** `tokens`: answer with the message's token counts only (for scoring), not the parsed mail. */
export type ParseRequest = { id: number; raw: Uint8Array; tokens: boolean };
export type ParseResponse = { id: number; mail: ParsedMail } | { id: number; tokens: TokenCounts } | { id: number; error: string };

const respond = (response: ParseResponse) => parentPort!.postMessage(response);
const fail = (id: number) => (err: Error) => respond({ id, error: err.message });

parentPort?.on('message', ({ id, raw, tokens }: ParseRequest) => {
  // Token counts are small and copied back; moving their buffers costs more than copying them.
  if (tokens) parseMailContent(raw).then((mail) => respond({ id, tokens: tokenCounts(mail) }), fail(id));
  else parseMail(raw).then((mail) => respond({ id, mail }), fail(id));
});
