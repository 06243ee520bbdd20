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

export interface TrainExample {
  messageId: number;
  ids: Uint32Array;
  values: Float32Array;
  target: 0 | 1;
  time: number;
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

export function packExamples(examples: TrainExample[]): PackedExamples {
  const total = examples.reduce((sum, e) => sum + e.ids.length, 0);
  const packed: PackedExamples = {
    offsets: new Uint32Array(examples.length + 1),
    ids: new Uint32Array(total),
    values: new Float32Array(total),
    targets: new Uint8Array(examples.length),
    messageIds: new Int32Array(examples.length),
    times: new Float64Array(examples.length),
  };
  let at = 0;
  examples.forEach((e, i) => {
    packed.ids.set(e.ids, at);
    packed.values.set(e.values, at);
    at += e.ids.length;
    packed.offsets[i + 1] = at;
    packed.targets[i] = e.target;
    packed.messageIds[i] = e.messageId;
    packed.times[i] = e.time;
  });
  return packed;
}

export const exampleCount = (data: PackedExamples) => data.targets.length;
