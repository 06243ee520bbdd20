// A mail-parsing worker (bundled to dist/parse-worker.js). Import parses in
// these so both cores work and the main thread only writes to SQLite.
import { parentPort } from 'node:worker_threads';
import { tokenCounts } from '../features/tokenizer';
import type { TokenCounts } from '../features/vectorize';
import { installConcatBlob } from './concat-blob';
import { parseMail } from './parse';

installConcatBlob();

/** `tokens`: answer with the message's token counts only (for scoring), not the parsed mail. */
export type ParseRequest = { id: number; raw: Uint8Array; tokens: boolean };
export type ParseResponse =
  { id: number; mail: Awaited<ReturnType<typeof parseMail>> } | { id: number; tokens: TokenCounts } | { id: number; error: string };

parentPort?.on('message', (request: ParseRequest) => {
  parseMail(request.raw).then(
    (mail) => {
      if (!request.tokens) return parentPort!.postMessage({ id: request.id, mail } satisfies ParseResponse);
      const tokens = tokenCounts(mail);
      parentPort!.postMessage({ id: request.id, tokens } satisfies ParseResponse, [
        tokens.hashes.buffer,
        tokens.counts.buffer,
      ] as ArrayBuffer[]);
    },
    (err: Error) => parentPort!.postMessage({ id: request.id, error: err.message } satisfies ParseResponse),
  );
});
