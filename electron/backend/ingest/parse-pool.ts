import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { ParsedMail } from '../../../shared/types';
import type { SparseVector, TokenCounts } from '../features/vectorize';
import { packageRoot } from '../paths';
import { MailParseError } from './parse';
import type { ParseRequest, ParseResponse } from './parse-worker';
import { tuneV8ForMailParsing } from './v8-tuning';

export interface ParsePool {
  /** The parsed message and its tokens, for storing both. */
  parse(raw: Uint8Array): Promise<ParsedWithTokens>;
  /** Parses, tokenizes and vectorizes for a model of `buckets` buckets in the worker: only what scoring needs. */
  vector(raw: Uint8Array, buckets: number): Promise<SparseVector>;
  close(): Promise<void>;
}

export interface ParsedWithTokens {
  mail: ParsedMail;
  tokens: TokenCounts;
}

/** A message whose parsing takes longer is given up, and its worker replaced. */
export const PARSE_TIMEOUT_MS = 30_000;

/** The parser did not refuse the message: it threw something unexpected, or its worker died. Still one message's failure. */
export class ParserCrash extends MailParseError {}
/** The message took longer than the pool's time limit. */
export class ParseTimeout extends MailParseError {}

interface Waiter {
  resolve(result: ParsedWithTokens | SparseVector): void;
  reject(err: Error): void;
  timer: NodeJS.Timeout;
}

/**
 * Parses mail on worker threads, one per core. A worker that crashes or
 * hangs on a hostile message is replaced; only the messages it held fail.
 */
export function createParsePool(
  size = Math.max(1, Math.min(4, os.availableParallelism())),
  { timeoutMs = PARSE_TIMEOUT_MS }: { timeoutMs?: number } = {},
): ParsePool {
  tuneV8ForMailParsing();
  const script = path.join(packageRoot(__dirname), 'dist', 'parse-worker.js');
  let closed = false;

  function spawnSlot() {
    const waiters = new Map<number, Waiter>();
    const worker = new Worker(script, { resourceLimits: { maxOldGenerationSizeMb: 1024 } });
    const failAll = (message: string) => {
      for (const waiter of waiters.values()) {
        clearTimeout(waiter.timer);
        waiter.reject(new ParserCrash(message));
      }
      waiters.clear();
    };
    worker.on('message', (response: ParseResponse) => {
      const waiter = waiters.get(response.id);
      if (!waiter) return;
      waiters.delete(response.id);
      clearTimeout(waiter.timer);
      if ('error' in response) waiter.reject(response.refused ? new MailParseError(response.error) : new ParserCrash(response.error));
      else waiter.resolve('mail' in response ? { mail: response.mail, tokens: response.tokens } : response.vector);
    });
    worker.on('error', (err) => failAll(`the mail parser crashed on this message (${err.message})`));
    worker.on('exit', () => {
      failAll('the mail parser stopped while reading this message');
      retire(slot);
    });
    const slot = { worker, waiters };
    return slot;
  }

  const slots = Array.from({ length: size }, spawnSlot);
  /** Puts a new worker in a slot's place, once: a worker being terminated must not be handed new messages before it exits. */
  function retire(slot: (typeof slots)[number]): void {
    const at = slots.indexOf(slot);
    if (at >= 0 && !closed) slots[at] = spawnSlot();
  }
  let nextId = 0;
  function send<T extends ParsedWithTokens | SparseVector>(raw: Uint8Array, buckets: number | null): Promise<T> {
    const id = nextId++;
    const slot = slots.reduce((least, s) => (s.waiters.size < least.waiters.size ? s : least));
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        slot.waiters.delete(id);
        reject(new ParseTimeout(`parsing took longer than ${timeoutMs / 1000} s: given up`));
        retire(slot);
        void slot.worker.terminate();
      }, timeoutMs);
      slot.waiters.set(id, { resolve: resolve as (result: ParsedWithTokens | SparseVector) => void, reject, timer });
      // A copy of just this message, moved to the worker: posting a view would clone the whole buffer under it.
      const own = new Uint8Array(raw);
      slot.worker.postMessage({ id, raw: own, buckets } satisfies ParseRequest, [own.buffer as ArrayBuffer]);
    });
  }
  return {
    parse: (raw) => send<ParsedWithTokens>(raw, null),
    vector: (raw, buckets) => send<SparseVector>(raw, buckets),
    async close() {
      closed = true;
      await Promise.all(slots.map((s) => s.worker.terminate()));
    },
  };
}
