// Messages between the live service (main thread) and the live worker.
import type { LearnedEvent } from '../store/live';

export type ToLive =
  /** Start from the base run, learn `events`, and answer `ready` with the whole table. */
  | { type: 'init'; generation: number; dbPath: string; runId: number; sinceEventId: number; threshold: number; events: LearnedEvent[] }
  /** Learn new labels and answer `updated`. */
  | { type: 'learn'; generation: number; threshold: number; events: LearnedEvent[] }
  /** Forget what was learned (a label was undone) and learn `events` again from the base run; answers `ready`. */
  | { type: 'reset'; generation: number; threshold: number; events: LearnedEvent[] };

export type FromLive =
  | { type: 'ready'; generation: number; table: Float32Array; learnedEventIds: number[]; order: Int32Array }
  | {
      type: 'updated';
      generation: number;
      /** The events this update learned. */
      eventIds: number[];
      /** The weights it changed, and their new values. */
      ids: Uint32Array;
      values: Float32Array;
      order: Int32Array;
    }
  | { type: 'error'; generation: number; message: string };
