// NBSVM's feature scaling (Wang and Manning, 2012): each bucket's value is
// multiplied by how strongly it leans to one class in the training messages,
// |log((p_j/‖p‖₁) / (q_j/‖q‖₁))| with p, q the smoothed per-class sums of
// the bucket's feature values. The logistic regression then starts from naive
// Bayes' evidence instead of from nothing, which generalizes better on small
// and shifting data. The scale folds into the delivered weights, so scoring and
// explanations see an ordinary linear model over the unscaled features.
import type { ModelWeights } from '../model/weights';
import type { PackedExamples } from './protocol';

/** Smoothing added to every bucket's per-class sum. */
export const LOG_COUNT_RATIO_ALPHA = 0.5;

export function logCountRatios(
  data: PackedExamples,
  train: readonly number[],
  buckets: number,
  alpha = LOG_COUNT_RATIO_ALPHA,
): Float32Array {
  const spam = new Float64Array(buckets).fill(alpha);
  const ham = new Float64Array(buckets).fill(alpha);
  for (const i of train) {
    const sums = data.targets[i] === 1 ? spam : ham;
    for (let k = data.offsets[i]!; k < data.offsets[i + 1]!; k++) sums[data.ids[k]!] += data.values[k]!;
  }
  let spamTotal = 0;
  let hamTotal = 0;
  for (let j = 0; j < buckets; j++) {
    spamTotal += spam[j]!;
    hamTotal += ham[j]!;
  }
  const ratios = new Float32Array(buckets);
  for (let j = 0; j < buckets; j++) ratios[j] = Math.abs(Math.log(spam[j]! / spamTotal / (ham[j]! / hamTotal)));
  return ratios;
}

/** The same examples with every value multiplied by its bucket's scale. */
export function scaled(data: PackedExamples, scale: Float32Array): PackedExamples {
  // A plain loop: Float32Array.from with a map function first collects every value as a boxed number.
  const values = new Float32Array(data.values.length);
  for (let k = 0; k < values.length; k++) values[k] = data.values[k]! * scale[data.ids[k]!]!;
  return { ...data, values };
}

/** Weights that score unscaled features as `weights` scored scaled ones: each table row times its bucket's scale. */
export function foldScale(weights: ModelWeights, scale: Float32Array): ModelWeights {
  const table = weights.table.slice();
  for (let j = 0; j < weights.buckets; j++) for (let d = 0; d < weights.dim; d++) table[j * weights.dim + d]! *= scale[j]!;
  return { ...weights, table };
}
