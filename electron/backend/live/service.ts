// The live copy of the active run, on the main thread's side: starts and owns
// the live worker, keeps a mirror of its weights (to record the probability a
// message had before its label, synchronously), hands the worker each new
// label after it is stored, and keeps the re-ranked "least sure" order it
// answers with. What survives a restart is only where the copy starts (the
// base run and a label event id, in the settings table): the labels given
// since are learned again, deterministically, when it starts.
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { LiveStatus, RunningWindow } from '../../../shared/contract';
import type { RunSummary } from '../../../shared/types';
import { ApiError } from '../../../shared/errors';
import type { ApiContext } from '../api/context';
import { loadRunModel, scoreUnscored } from '../api/scoring';
import { featuresOrTokenize } from '../features/cache';
import { SparseVector, toSparse } from '../features/vectorize';
import { bce } from '../../../shared/bce';
import { probabilityOf } from '../model/infer';
import { encodeWeights, ModelWeights } from '../model/weights';
import { packageRoot } from '../paths';
import type { ScoredBefore } from '../store/labels';
import { activeRunId, getRun, setActiveRun } from '../store/runs';
import {
  getLiveState,
  insertLiveRun,
  isOfferable,
  lastLabelEventAt,
  lastLabelEventId,
  LiveState,
  personLabelsAfter,
  recentScoredLabels,
  setLiveState,
  storedScore,
} from '../store/live';
import { LiveLearner } from './learner';
import type { FromLive, ToLive } from './protocol';

export const liveWorkerPath = () => path.join(packageRoot(__dirname), 'dist', 'live-worker.js');

/** The running score's windows: the last 50 and the last 500 labels a person gave. */
const WINDOWS = [50, 500] as const;

export interface LiveService {
  /** The probability the current model gives a message, to record before its label; null without an active run. */
  scoreBefore(messageId: number): ScoredBefore | null;
  /** After a label is stored: hands the new labels to the live copy (never waits for it). */
  labeled(): void;
  /** After an undo: the live copy learns its labels again without the undone one. */
  undone(): void;
  /** The first unlabeled message of the live order not in `skip`; null when there is no live order or it ran dry. */
  nextUncertain(skip: readonly number[]): number | null;
  status(): LiveStatus;
  save(name?: string): Promise<{ runId: number }>;
  discard(): LiveStatus;
  /** The live copy's probability for a message (null while it is not ready): for tests. */
  probability(messageId: number): number | null;
  /** Settles when every label handed over has been learned and the queue re-ranked. */
  idle(): Promise<void>;
  close(): Promise<void>;
}

interface Running {
  worker: Worker;
  generation: number;
  state: LiveState;
  ready: boolean;
  /** The base run's weights, then each update's changes: the worker's weights as of its last answer. */
  mirror: ModelWeights;
  order: Int32Array | null;
  /** The newest label event handed to the worker. */
  lastPosted: number;
  learnedEventIds: number[];
  /** Requests the worker has not answered yet. */
  pending: number;
  /** When each label handed over was given (performance.now()), to time it to its re-ranked queue. */
  givenAt: Map<number, number>;
}

const services = new WeakMap<ApiContext, LiveService>();

/** The live copy of a backend: made on first use, stopped by Backend.close() through closeLive. */
export function liveOf(ctx: ApiContext): LiveService {
  let service = services.get(ctx);
  if (!service) services.set(ctx, (service = createLiveService(ctx)));
  return service;
}

/** Stops the backend's live copy and its worker, if it has one. */
export async function closeLive(ctx: ApiContext): Promise<void> {
  await services.get(ctx)?.close();
}

const emptyWindow = (size: number): RunningWindow => ({ size, count: 0, accuracy: null, bce: null });

function runningWindow(scored: Array<{ probability: number; target: 0 | 1 }>, size: number, threshold: number): RunningWindow {
  const window = scored.slice(0, size);
  if (window.length === 0) return emptyWindow(size);
  let right = 0;
  let loss = 0;
  for (const { probability, target } of window) {
    if ((probability >= threshold ? 1 : 0) === target) right++;
    loss += bce(probability, target);
  }
  return { size, count: window.length, accuracy: right / window.length, bce: loss / window.length };
}

function createLiveService(ctx: ApiContext): LiveService {
  const { db, events } = ctx;
  let running: Running | null = null;
  let generation = 0;
  let closed = false;
  let lastUpdateMs: number | null = null;
  /** Why the live copy of this state could not run; it is not started again until the state changes. */
  let failure: { state: LiveState; message: string } | null = null;
  let waiters: Array<() => void> = [];

  events.on('training.finished', () => {
    if (running) sync();
  });

  const sameState = (a: LiveState, b: LiveState) => a.baseRunId === b.baseRunId && a.sinceEventId === b.sinceEventId;

  function settleWaiters(): void {
    if (running && (!running.ready || running.pending > 0)) return;
    const settled = waiters;
    waiters = [];
    for (const resolve of settled) resolve();
  }

  function stop(): void {
    if (!running) return;
    const { worker } = running;
    running = null;
    worker.removeAllListeners();
    worker.on('error', () => undefined);
    void worker.terminate();
    settleWaiters();
  }

  function fail(state: LiveState, message: string): void {
    failure = { state, message: `the live copy stopped: ${message}` };
    stop();
  }

  function onMessage(message: FromLive): void {
    const live = running;
    if (!live || message.generation !== live.generation) return;
    if (message.type === 'error') return fail(live.state, message.message);
    live.pending--;
    if (message.type === 'ready') {
      live.mirror.table = message.table;
      live.learnedEventIds = message.learnedEventIds;
      live.ready = true;
    } else {
      const table = live.mirror.table;
      for (let i = 0; i < message.ids.length; i++) table[message.ids[i]!] = message.values[i]!;
      live.learnedEventIds.push(...message.eventIds);
      const given = message.eventIds.map((id) => live.givenAt.get(id)).filter((t): t is number => t !== undefined);
      for (const id of message.eventIds) live.givenAt.delete(id);
      if (given.length > 0) lastUpdateMs = performance.now() - Math.min(...given);
    }
    live.order = message.order;
    settleWaiters();
    events.emit('live.updated', status());
  }

  const failureMessage = () => failure?.message ?? null;

  /** Starts the worker on the state; false when it could not be started. */
  function start(state: LiveState, run: RunSummary): boolean {
    const weights = loadRunModel(ctx, state.baseRunId);
    const learn = personLabelsAfter(db, state.sinceEventId);
    const live: Running = {
      worker: null as unknown as Worker,
      generation: ++generation,
      state,
      ready: false,
      mirror: { ...weights, table: weights.table.slice() },
      order: null,
      lastPosted: learn.at(-1)?.eventId ?? state.sinceEventId,
      learnedEventIds: [],
      pending: 1,
      givenAt: new Map(),
    };
    try {
      live.worker = new Worker(liveWorkerPath());
    } catch (err) {
      failure = { state, message: `the live copy could not start: ${(err as Error).message}` };
      return false;
    }
    // A worker must never keep a process alive by itself; Backend.close() stops it.
    live.worker.unref();
    live.worker.on('message', onMessage);
    live.worker.on('error', (err) => running === live && fail(state, err.message));
    live.worker.on('exit', (code) => running === live && fail(state, `its worker exited with code ${code}`));
    running = live;
    post(live, {
      type: 'init',
      generation: live.generation,
      dbPath: db.name,
      runId: state.baseRunId,
      sinceEventId: state.sinceEventId,
      threshold: run.threshold,
      events: learn,
    });
    return true;
  }

  const post = (live: Running, message: ToLive) => live.worker.postMessage(message);

  /**
   * Brings the live copy in line with the active run: a new active run (trained,
   * activated, imported, saved) starts a new copy from it, learning the labels
   * given since that run was made. Returns the active run, null when none.
   */
  function sync(): { run: RunSummary; state: LiveState | null; unavailable: string | null } | null {
    const active = activeRunId(db);
    if (active === null) {
      stop();
      return null;
    }
    const run = getRun(db, active);
    if (run.settings.model !== 'logistic') {
      stop();
      return {
        run,
        state: null,
        unavailable: `the active run "${run.name}" is an mlp model; the live copy learns on logistic models only (an mlp's update would need backpropagation through its hidden layer)`,
      };
    }
    let state = getLiveState(db);
    if (!state || state.baseRunId !== active) {
      state = { baseRunId: active, sinceEventId: lastLabelEventAt(db, run.createdAt) };
      setLiveState(db, state);
    }
    if (running && !sameState(running.state, state)) stop();
    if (db.memory) return { run, state: null, unavailable: 'the live copy needs a database file; this one is in memory' };
    if (failure && sameState(failure.state, state)) return { run, state: null, unavailable: failure.message };
    failure = null;
    if (!running && !closed && ctx.host === 'app' && !start(state, run)) return { run, state: null, unavailable: failureMessage() };
    return { run, state, unavailable: null };
  }

  function vectorOf(messageId: number, buckets: number): SparseVector | null {
    const tokens = featuresOrTokenize(db, messageId);
    return tokens ? toSparse(tokens, buckets) : null;
  }

  function probability(messageId: number): number | null {
    if (!running?.ready) return null;
    const x = vectorOf(messageId, running.mirror.buckets);
    return x ? probabilityOf(running.mirror, x.ids, x.values) : null;
  }

  function status(): LiveStatus {
    const info = sync();
    const threshold = info?.run.threshold ?? 0.5;
    const scored = recentScoredLabels(db, Math.max(...WINDOWS));
    const [last50, last500] = WINDOWS.map((size) => runningWindow(scored, size, threshold)) as [RunningWindow, RunningWindow];
    const state = info?.state ?? null;
    let learned = 0;
    if (state) learned = running?.ready ? running.learnedEventIds.length : personLabelsAfter(db, state.sinceEventId).length;
    return {
      baseRunId: state?.baseRunId ?? null,
      learned,
      unavailable: info === null ? 'no trained model yet: train one and the live copy starts from it' : info.unavailable,
      lastUpdateMs,
      running: { last50, last500 },
    };
  }

  function idle(): Promise<void> {
    if (!running || (running.ready && running.pending === 0)) return Promise.resolve();
    return new Promise((resolve) => waiters.push(resolve));
  }

  /** The live copy's weights and the events they learned: the worker's (after it caught up), or learned here on the command line. */
  async function snapshot(state: LiveState, threshold: number): Promise<{ table: Float32Array; learnedEventIds: number[] }> {
    if (running) {
      const live = running;
      await idle();
      if (running !== live || !live.ready) throw new ApiError('conflict', 'the live copy restarted while it was being saved; save again');
      return { table: live.mirror.table.slice(), learnedEventIds: [...live.learnedEventIds] };
    }
    const learner = new LiveLearner(db, { runId: state.baseRunId, sinceEventId: state.sinceEventId, threshold, withPool: false });
    const ignored = new Set<number>();
    for (const event of personLabelsAfter(db, state.sinceEventId)) learner.learn(event, ignored);
    return { table: learner.weights.table, learnedEventIds: learner.learnedEventIds };
  }

  const service: LiveService = {
    scoreBefore(messageId) {
      const info = sync();
      if (!info) return null;
      const active = info.run.id;
      if (running?.ready) {
        const p = probability(messageId);
        if (p !== null) return { probability: p, runId: running.state.baseRunId, live: true };
      }
      const stored = storedScore(db, active, messageId);
      if (stored !== null) return { probability: stored, runId: active, live: false };
      const weights = loadRunModel(ctx, active);
      const x = vectorOf(messageId, weights.buckets);
      return x ? { probability: probabilityOf(weights, x.ids, x.values), runId: active, live: false } : null;
    },
    labeled() {
      sync();
      const live = running;
      if (!live) return;
      const learn = personLabelsAfter(db, live.lastPosted);
      if (learn.length === 0) return;
      const now = performance.now();
      for (const event of learn) live.givenAt.set(event.eventId, now);
      live.lastPosted = learn.at(-1)!.eventId;
      live.pending++;
      post(live, { type: 'learn', generation: live.generation, threshold: getRun(db, live.state.baseRunId).threshold, events: learn });
    },
    undone() {
      sync();
      const live = running;
      if (!live) return;
      const learn = personLabelsAfter(db, live.state.sinceEventId);
      live.generation = ++generation;
      live.ready = false;
      live.pending = 1;
      live.givenAt.clear();
      live.lastPosted = learn.at(-1)?.eventId ?? live.state.sinceEventId;
      post(live, { type: 'reset', generation: live.generation, threshold: getRun(db, live.state.baseRunId).threshold, events: learn });
    },
    nextUncertain(skip) {
      sync();
      const order = running?.ready ? running.order : null;
      if (!order) return null;
      const skipped = new Set(skip);
      for (const id of order) if (!skipped.has(id) && isOfferable(db, id)) return id;
      return null;
    },
    status,
    async save(name) {
      const info = sync();
      if (!info) throw new ApiError('conflict', 'there is no trained model, so no live copy to save');
      const { state, run } = info;
      if (!state) throw new ApiError('conflict', info.unavailable ?? 'nothing learns on the active run');
      const { table, learnedEventIds } = await snapshot(state, run.threshold);
      if (learnedEventIds.length === 0)
        throw new ApiError('conflict', `the live copy has learned no label since run ${state.baseRunId}; there is nothing to save`);
      const current = getLiveState(db);
      if (!current || !sameState(current, state))
        throw new ApiError('conflict', 'the active run changed while the live copy was being saved');
      // eslint-disable-next-line @typescript-eslint/no-unused-vars
      const { policy, ...base } = loadRunModel(ctx, state.baseRunId);
      const label = (n: number) => `${n} label${n === 1 ? '' : 's'}`;
      const runId = insertLiveRun(db, {
        name: name ?? `${run.name} + ${label(learnedEventIds.length)}`.slice(0, 200),
        baseRunId: state.baseRunId,
        model: encodeWeights({ ...base, table }),
        learnedEventIds,
      });
      scoreUnscored(ctx, runId);
      setActiveRun(db, runId);
      // The saved run holds every label learned so far: the copy on top of it learns the ones after.
      setLiveState(db, { baseRunId: runId, sinceEventId: learnedEventIds.at(-1)! });
      stop();
      sync();
      events.emit('live.updated', status());
      return { runId };
    },
    discard() {
      const info = sync();
      if (info?.state) {
        setLiveState(db, { baseRunId: info.state.baseRunId, sinceEventId: lastLabelEventId(db) });
        stop();
      }
      const discarded = status();
      events.emit('live.updated', discarded);
      return discarded;
    },
    probability,
    idle,
    async close() {
      if (closed) return;
      closed = true;
      stop();
    },
  };
  return service;
}
