// A mail-parsing worker (bundled to dist/parse-worker.js). Import parses in
// these so both cores work and the main thread only writes to SQLite.
import { parentPort } from 'node:worker_threads';
import { tokenize } from '../features/tokenizer';
import { countTokens, TokenCounts } from '../features/vectorize';
import { parseMail } from './parse';

/**
 * postal-mime joins each decoded MIME part through `new Blob(chunks).arrayBuffer()`;
 * Node's Blob makes that asynchronous and slow (about 60% of parse time on the
 * SpamAssassin corpus). This thread only parses mail, so it swaps in a Blob
 * that just concatenates: 2.7× faster parsing, same bytes.
 */
class ConcatBlob {
  private readonly parts: Uint8Array[];
  constructor(parts: Array<Uint8Array | ArrayBuffer | string> = []) {
    this.parts = parts.map((p) => (typeof p === 'string' ? new TextEncoder().encode(p) : p instanceof Uint8Array ? p : new Uint8Array(p)));
  }
  async arrayBuffer(): Promise<ArrayBuffer> {
    const out = new Uint8Array(this.parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const part of this.parts) {
      out.set(part, at);
      at += part.length;
    }
    return out.buffer;
  }
}
(globalThis as { Blob: unknown }).Blob = ConcatBlob;

/** `tokens`: answer with the message's token counts only (for scoring), not the parsed mail. */
export type ParseRequest = { id: number; raw: Uint8Array; tokens: boolean };
export type ParseResponse =
  { id: number; mail: Awaited<ReturnType<typeof parseMail>> } | { id: number; tokens: TokenCounts } | { id: number; error: string };

parentPort?.on('message', (request: ParseRequest) => {
  parseMail(request.raw).then(
    (mail) => {
      if (!request.tokens) return parentPort!.postMessage({ id: request.id, mail } satisfies ParseResponse);
      const tokens = countTokens(tokenize(mail));
      parentPort!.postMessage({ id: request.id, tokens } satisfies ParseResponse, [
        tokens.hashes.buffer,
        tokens.counts.buffer,
      ] as ArrayBuffer[]);
    },
    (err: Error) => parentPort!.postMessage({ id: request.id, error: err.message } satisfies ParseResponse),
  );
});
