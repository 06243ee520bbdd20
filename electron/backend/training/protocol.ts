// Messages between the main thread and the training worker.
import type { CurvePoint, Metrics, SplitName, TfBackendName, TrainSettings } from '../../../shared/types';

/** Examples packed into a few transferable arrays instead of thousands of objects. */
export interface PackedExamples {
  /** n + 1 offsets into ids/values: example i owns [offsets[i], offsets[i + 1]). */
  offsets: Uint32Array;
  ids: Uint32Array;
  values: Float32Array;
  targets: Uint8Array;
  messageIds: Int32Array;
  /** Per example, its place in time (see orderingTimes): what the newest holdout sorts by. */
  times: Float64Array;
}

export interface StepPoint {
  step: number;
  epoch: number;
  loss: number;
}

export interface TrainingResult {
  /** The model, encoded by encodeWeights. */
  weights: Uint8Array;
  predictions: Array<{ messageId: number; split: SplitName; probability: number }>;
  /** Dataset cartography: per training example, mean and spread of p(true label) across epochs. */
  cartography: Array<{ messageId: number; confidence: number; variability: number }>;
  validationMetrics: Metrics | null;
  examplesPerSecond: number;
  bestEpoch: number;
  trainCount: number;
  validationCount: number;
  /** The threshold the run starts with. */
  threshold: number;
}

export type ToWorker =
  { type: 'start'; settings: TrainSettings; buckets: number; tokenizerVersion: number; data: PackedExamples } | { type: 'cancel' };

export type FromWorker =
  | { type: 'backend'; backend: TfBackendName }
  | { type: 'steps'; points: StepPoint[] }
  | { type: 'epoch'; point: CurvePoint; examplesPerSecond: number }
  | { type: 'fold'; fold: number; of: number }
  | { type: 'done'; result: TrainingResult }
  | { type: 'cancelled' }
  | { type: 'error'; message: string };

/**
 * Packs examples one at a time into arrays sized for `capacity` entries (they
 * grow by doubling past it); the caller fills in `times`.
 */
export function createPacker(capacity: number) {
  let ids = new Uint32Array(Math.max(1, capacity));
  let values = new Float32Array(Math.max(1, capacity));
  const offsets = [0];
  const targets: number[] = [];
  const messageIds: number[] = [];
  let at = 0;
  return {
    add(messageId: number, target: 0 | 1, vector: { ids: Uint32Array; values: Float32Array }) {
      if (at + vector.ids.length > ids.length) {
        const size = Math.max(ids.length * 2, at + vector.ids.length);
        const grownIds = new Uint32Array(size);
        grownIds.set(ids.subarray(0, at));
        ids = grownIds;
        const grownValues = new Float32Array(size);
        grownValues.set(values.subarray(0, at));
        values = grownValues;
      }
      ids.set(vector.ids, at);
      values.set(vector.values, at);
      at += vector.ids.length;
      offsets.push(at);
      targets.push(target);
      messageIds.push(messageId);
    },
    done(): PackedExamples {
      return {
        offsets: Uint32Array.from(offsets),
        // Views, not copies: the arrays move to the worker whole.
        ids: ids.subarray(0, at),
        values: values.subarray(0, at),
        targets: Uint8Array.from(targets),
        messageIds: Int32Array.from(messageIds),
        times: new Float64Array(targets.length),
      };
    },
  };
}

export const exampleCount = (data: PackedExamples) => data.targets.length;
