// The backend behind the door: handlers on a database, and what tests and
// benchmarks may reach past the door for (hosts get only `Backend`, from ./index).
import { isMethod, Method, requests, Result, EventName, Events } from '../../../shared/contract';
import { ApiError } from '../../../shared/errors';
import { ValidationError } from '../../../shared/schema';
import { Db, openStore } from '../store/open';
import { createParsePool } from '../ingest/parse-pool';
import { MailParseError } from '../ingest/parse';
import { worthAParsePool } from '../features/message-vectors';
import { ApiContext, createEmitter, Handlers } from './context';
import { datasetHandlers } from './dataset';
import { labelHandlers } from './labels';
import { importHandlers } from './importing';
import { importHistoryHandlers } from './imports';
import { runHandlers } from './runs';
import { modelHandlers } from './models';
import { classifyHandlers } from './classify';
import { batchClassifyHandlers } from './classify-batch';
import { filterHandlers } from './filter';
import { policyHandlers } from './policy';
import { listHandlers } from './lists';
import { monitorHandlers } from './monitor';
import { createTrainingService, TrainingService } from './training';
import { createSearchIndexer } from './search-indexer';
import { createImapHandlers } from './imap';
import { createLiveHandlers } from './live';
import { closeLive } from '../live/service';
import { Credentials, memoryCredentials } from '../imap/credentials';

export interface Backend {
  /** Validates and runs one request; never throws: errors come back as data. */
  handle(method: string, body: unknown): Promise<Result<unknown>>;
  on<E extends EventName>(event: E, listener: (payload: Events[E]) => void): () => void;
  /** Cancels training in flight, waits for it and for requests in flight, and closes the database. */
  close(): Promise<void>;
}

/** For tests and benchmarks, which seed and inspect the database directly. */
export interface BackendInternals extends Backend {
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
  /** 'cli': labels given on the command line are recorded as such. Default 'app'. */
  host?: 'app' | 'cli';
  /** How many messages the host is about to send for classifying: enough of them starts the parse workers now, while the database opens. */
  parseWorkersFor?: number;
  /** Where IMAP passwords are kept; default: in memory for this process. */
  credentials?: Credentials;
}

function errorResult(err: unknown): Result<never> {
  if (err instanceof ValidationError) return { ok: false, error: { kind: 'invalid-request', message: err.message } };
  if (err instanceof ApiError) return { ok: false, error: { kind: err.kind, message: err.message } };
  // A message given in the request that is not mail (labels.setByContent, classify.text): the caller's input, not a failure inside.
  if (err instanceof MailParseError) return { ok: false, error: { kind: 'bad-input', message: err.message } };
  return { ok: false, error: { kind: 'internal', message: (err as Error)?.message ?? String(err) } };
}

export async function openApiWithInternals(opts: OpenApiOptions): Promise<BackendInternals> {
  const parsePool = worthAParsePool(opts.parseWorkersFor ?? 0) ? createParsePool() : null;
  let db: Db;
  try {
    db = openStore(opts.dbPath);
  } catch (err) {
    await parsePool?.close();
    throw err;
  }
  const searchIndex = opts.indexSearchInBackground === false ? { hold: () => () => {}, stop() {} } : createSearchIndexer(db);
  const ctx: ApiContext = {
    db,
    events: createEmitter(),
    sampleDir: opts.sampleDir ?? null,
    searchIndex,
    host: opts.host ?? 'app',
    parsePool,
  };
  const training = createTrainingService(ctx);
  const handlers: Handlers<Method> = {
    ...datasetHandlers,
    ...labelHandlers,
    ...importHandlers,
    ...importHistoryHandlers,
    ...runHandlers,
    ...modelHandlers,
    ...classifyHandlers,
    ...batchClassifyHandlers,
    ...filterHandlers,
    ...policyHandlers,
    ...listHandlers,
    ...monitorHandlers,
    ...training.handlers,
    ...createImapHandlers(opts.credentials ?? memoryCredentials()),
    ...createLiveHandlers(ctx),
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
      await closeLive(ctx);
      await parsePool?.close();
      ctx.db.close();
    },
  };
}
