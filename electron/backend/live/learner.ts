// The live copy's learning, in plain JavaScript: a copy of a logistic run's
// weights, online updates from each new label (with a small replay of earlier
// labels), and the candidate pool of the "least sure" queue re-ranked after
// each update. Runs in the live worker (live/worker.ts); in-process when the
// command line saves a live copy. Deterministic: the same base run and the
// same label events give the same weights, bit for bit. The scheme and its
// constants are described in docs/model.md, "Learning while labeling".
import type { Db } from '../store/open';
import { getRun, runModel } from '../store/runs';
import { labelsAsOf, LearnedEvent, nearestUnlabeled } from '../store/live';
import { featuresOf } from '../features/cache';
import { SparseVector, toSparse } from '../features/vectorize';
import { decodeWeights, ModelWeights } from '../model/weights';
import { probabilityOf } from '../model/infer';
import { mulberry32 } from '../training/split';
import { classWeights } from '../training/class-weights';

/** Gradient steps per label. */
export const STEPS = 3;
/** Step size: one step moves an example's own logit by RATE · class weight · (target − p). */
export const RATE = 0.5;
/** Earlier labels replayed with each new one. */
export const REPLAY = 8;
/** Unlabeled messages kept in the candidate pool per side of the threshold. */
export const POOL_PER_SIDE = 2000;

interface Example {
  x: SparseVector;
  target: 0 | 1;
}

export interface LearnerInit {
  runId: number;
  sinceEventId: number;
  threshold: number;
  /** Build the pool of unlabeled candidates (not needed to save a copy). */
  withPool: boolean;
}

export class LiveLearner {
  readonly weights: ModelWeights;
  private readonly base: Float32Array;
  private readonly classWeight: [number, number];
  /** Labeled messages replays draw from: the labels as of the base, then each learned label (a relabel changes its target in place). */
  private candidates: number[] = [];
  private readonly targets = new Map<number, 0 | 1>();
  private readonly baseLabels: Array<{ messageId: number; target: 0 | 1 }>;
  private poolIds: number[] = [];
  private poolVectors: SparseVector[] = [];
  threshold: number;
  learnedEventIds: number[] = [];

  constructor(
    private readonly db: Db,
    init: LearnerInit,
  ) {
    const run = getRun(db, init.runId);
    const weights = decodeWeights(runModel(db, init.runId), `run ${init.runId}`);
    if (weights.kind !== 'logistic')
      throw new Error(`run ${init.runId} is an ${weights.kind} model; the live copy learns on logistic models only`);
    this.weights = weights;
    this.base = weights.table.slice();
    this.threshold = init.threshold;
    this.baseLabels = labelsAsOf(db, init.sinceEventId);
    const spam = this.baseLabels.reduce((n, l) => n + l.target, 0);
    const perClass = classWeights(run.settings, spam, this.baseLabels.length - spam);
    this.classWeight = [perClass.ham, perClass.spam];
    this.resetCandidates();
    if (init.withPool) {
      for (const id of nearestUnlabeled(db, init.runId, init.threshold, POOL_PER_SIDE)) {
        const x = this.vectorOf(id);
        if (!x) continue;
        this.poolIds.push(id);
        this.poolVectors.push(x);
      }
    }
  }

  private resetCandidates(): void {
    this.candidates = this.baseLabels.map((l) => l.messageId);
    this.targets.clear();
    for (const l of this.baseLabels) this.targets.set(l.messageId, l.target);
  }

  /** Back to the base run's weights, forgetting every label learned. */
  reset(): void {
    this.weights.table.set(this.base);
    this.learnedEventIds = [];
    this.resetCandidates();
  }

  private vectorOf(messageId: number): SparseVector | null {
    const tokens = featuresOf(this.db, messageId);
    return tokens ? toSparse(tokens, this.weights.buckets) : null;
  }

  probability(x: SparseVector): number {
    return probabilityOf(this.weights, x.ids, x.values);
  }

  /**
   * Learns one label: STEPS gradient steps on the weighted BCE of the new
   * example and REPLAY earlier labeled examples drawn with a generator seeded
   * by the event id. Each step computes every example's probability first,
   * then moves the table by Σ min(1, RATE·c)·(target − p)·x: with unit-length
   * features that moves each example's own logit by RATE·c·(target − p), the
   * normalised (NLMS) step. The bias stays as trained. Adds the weights it
   * changed to `touched`.
   */
  learn(event: LearnedEvent, touched: Set<number>): void {
    const x = this.vectorOf(event.messageId);
    const batch: Example[] = [];
    if (x) batch.push({ x, target: event.target });
    // Seeded by the event: a replay draws the same earlier labels every time.
    const random = mulberry32(event.eventId ^ 0x9e3779b9);
    for (let r = 0; r < REPLAY && this.candidates.length > 0; r++) {
      const id = this.candidates[Math.floor(random() * this.candidates.length)]!;
      if (id === event.messageId) continue;
      const replayed = this.vectorOf(id);
      if (replayed) batch.push({ x: replayed, target: this.targets.get(id)! });
    }
    if (x) {
      const table = this.weights.table;
      for (let step = 0; step < STEPS; step++) {
        const coefficients = batch.map((e) => Math.min(1, RATE * this.classWeight[e.target]) * (e.target - this.probability(e.x)));
        batch.forEach((e, k) => {
          const c = coefficients[k]!;
          for (let i = 0; i < e.x.ids.length; i++) {
            const id = e.x.ids[i]!;
            table[id] = table[id]! + c * e.x.values[i]!;
            touched.add(id);
          }
        });
      }
    }
    if (!this.targets.has(event.messageId)) this.candidates.push(event.messageId);
    this.targets.set(event.messageId, event.target);
    this.learnedEventIds.push(event.eventId);
    const inPool = this.poolIds.indexOf(event.messageId);
    if (inPool >= 0) {
      this.poolIds.splice(inPool, 1);
      this.poolVectors.splice(inPool, 1);
    }
  }

  /** The pool's messages, nearest the threshold first under the current weights. */
  order(): Int32Array {
    const n = this.poolIds.length;
    const distance = new Float64Array(n);
    for (let i = 0; i < n; i++) distance[i] = Math.abs(this.probability(this.poolVectors[i]!) - this.threshold);
    const index = Array.from({ length: n }, (_, i) => i).sort((a, b) => distance[a]! - distance[b]! || this.poolIds[a]! - this.poolIds[b]!);
    return Int32Array.from(index, (i) => this.poolIds[i]!);
  }
}
