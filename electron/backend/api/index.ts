import { isMethod, Method, requests, Result, EventName, Events } from '../../../shared/contract';
import { ApiError } from '../../../shared/errors';
import { ValidationError } from '../../../shared/schema';
import { openStore } from '../store/open';
import { ApiContext, createEmitter, Handlers } from './context';
import { datasetHandlers } from './dataset';
import { importHandlers } from './importing';
import { runHandlers } from './runs';
import { classifyHandlers } from './classify';
import { createTrainingService, TrainingService } from './training';
import { createSearchIndexer } from './search-indexer';

export interface Backend {
  /** Validates and runs one request; never throws: errors come back as data. */
  handle(method: string, body: unknown): Promise<Result<unknown>>;
  on<E extends EventName>(event: E, listener: (payload: Events[E]) => void): () => void;
  /** Cancels training in flight, waits for it, and closes the database. */
  close(): Promise<void>;
  readonly context: ApiContext;
  readonly training: TrainingService;
}

export interface OpenApiOptions {
  dbPath: string;
  sampleDir?: string;
  /**
   * Index new messages for search between requests (default). Off for short
   * commands: the backlog then waits for the app, or for the first search.
   */
  indexSearchInBackground?: boolean;
}

export function errorResult(err: unknown): Result<never> {
  if (err instanceof ValidationError) return { ok: false, error: { kind: 'invalid-request', message: err.message } };
  if (err instanceof ApiError) return { ok: false, error: { kind: err.kind, message: err.message } };
  return { ok: false, error: { kind: 'internal', message: (err as Error)?.message ?? String(err) } };
}

export async function openApi(opts: OpenApiOptions): Promise<Backend> {
  const db = openStore(opts.dbPath);
  const searchIndex = opts.indexSearchInBackground === false ? { hold: () => () => {}, stop() {} } : createSearchIndexer(db);
  const ctx: ApiContext = { db, events: createEmitter(), sampleDir: opts.sampleDir ?? null, searchIndex };
  const training = createTrainingService(ctx);
  const handlers: Handlers<Method> = {
    ...datasetHandlers,
    ...importHandlers,
    ...runHandlers,
    ...classifyHandlers,
    ...training.handlers,
  };
  const inFlight = new Set<Promise<unknown>>();
  let closed = false;

  return {
    context: ctx,
    training,
    async handle(method, body) {
      if (closed) return { ok: false, error: { kind: 'conflict', message: 'spamlab is shutting down' } };
      if (!isMethod(method)) return { ok: false, error: { kind: 'not-found', message: `unknown method "${method}"` } };
      const call = (async () => {
        const request = requests[method].parse(body);
        const handler = handlers[method] as (request: unknown, ctx: ApiContext) => unknown;
        return { ok: true as const, value: await handler(request, ctx) };
      })().catch(errorResult);
      inFlight.add(call);
      try {
        return await call;
      } finally {
        inFlight.delete(call);
      }
    },
    on: ctx.events.on,
    async close() {
      if (closed) return;
      closed = true;
      searchIndex.stop();
      await training.cancelAll();
      await Promise.allSettled([...inFlight]);
      ctx.db.close();
    },
  };
}
