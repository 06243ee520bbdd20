import type { EventName, Events, Method, RequestOf, ResponseOf } from '../../../shared/contract';
import type { Db } from '../store/open';
import type { ParsePool } from '../ingest/parse-pool';

export interface Emitter {
  emit<E extends EventName>(event: E, payload: Events[E]): void;
  on<E extends EventName>(event: E, listener: (payload: Events[E]) => void): () => void;
}

export function createEmitter(): Emitter {
  const listeners = new Map<EventName, Set<(payload: never) => void>>();
  return {
    emit(event, payload) {
      for (const listener of listeners.get(event) ?? []) (listener as (p: typeof payload) => void)(payload);
    },
    on(event, listener) {
      const set = listeners.get(event) ?? new Set();
      listeners.set(event, set);
      set.add(listener as (payload: never) => void);
      return () => set.delete(listener as (payload: never) => void);
    },
  };
}

/** What every handler may use. */
export interface ApiContext {
  db: Db;
  events: Emitter;
  /** Folder holding the sample mailbox (spam.mbox, ham.mbox). */
  sampleDir: string | null;
  /** Background full-text indexing, held off while an import writes. */
  searchIndex: { hold(): () => void };
  /** Which host this backend serves: labels the command line gives are recorded as coming from it. */
  host: 'app' | 'cli';
  /** Parse workers started with the backend, for a batch the host said was coming; null when none was. */
  parsePool: ParsePool | null;
}

export type Handlers<M extends Method> = {
  [K in M]: (request: RequestOf<K>, ctx: ApiContext) => Promise<ResponseOf<K>> | ResponseOf<K>;
};
