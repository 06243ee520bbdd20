// Scoring in plain JavaScript: a sparse dot product (logistic) or a pooled
// embedding through one hidden layer (mlp). No TensorFlow.js at inference, so
// classifying thousands of messages a second costs little.
import { sigmoid } from '../evaluation/metrics';
import type { ModelWeights } from './weights';

/** The pooled embedding Σ value_i · table[id_i]. */
function pool(w: ModelWeights, ids: ArrayLike<number>, values: ArrayLike<number>): Float64Array {
  const pooled = new Float64Array(w.dim);
  for (let i = 0; i < ids.length; i++) {
    const row = ids[i]! * w.dim;
    for (let d = 0; d < w.dim; d++) pooled[d] += values[i]! * w.table[row + d]!;
  }
  return pooled;
}

/** Hidden pre-activations of the mlp for a pooled input. */
function hiddenPre(w: ModelWeights, pooled: Float64Array): Float64Array {
  const pre = Float64Array.from(w.b1);
  for (let d = 0; d < w.dim; d++) for (let h = 0; h < w.hidden; h++) pre[h] += pooled[d]! * w.w1[d * w.hidden + h]!;
  return pre;
}

export function logitOf(w: ModelWeights, ids: ArrayLike<number>, values: ArrayLike<number>): number {
  const pooled = pool(w, ids, values);
  if (w.kind === 'logistic') return w.bias + pooled[0]!;
  const pre = hiddenPre(w, pooled);
  let logit = w.bias;
  for (let h = 0; h < w.hidden; h++) logit += Math.max(0, pre[h]!) * w.w2[h]!;
  return logit;
}

export const probabilityOf = (w: ModelWeights, ids: ArrayLike<number>, values: ArrayLike<number>) => sigmoid(logitOf(w, ids, values));

export interface Explanation {
  logit: number;
  bias: number;
  /** Per feature, aligned with ids: how far it moved the logit. */
  contributions: Float64Array;
  /** True when bias + Σ contributions is the logit exactly (the logistic model). */
  exact: boolean;
}

/**
 * Token contributions to the logit. Exact for the logistic model. For the mlp
 * it is gradient × input: each token's value times the derivative of the logit
 * with respect to it, at this message; they need not add up to the logit.
 */
export function explain(w: ModelWeights, ids: ArrayLike<number>, values: ArrayLike<number>): Explanation {
  const logit = logitOf(w, ids, values);
  const contributions = new Float64Array(ids.length);
  if (w.kind === 'logistic') {
    for (let i = 0; i < ids.length; i++) contributions[i] = values[i]! * w.table[ids[i]!]!;
    return { logit, bias: w.bias, contributions, exact: true };
  }
  const pre = hiddenPre(w, pool(w, ids, values));
  // d logit / d pooled[d] = Σ_h W1[d,h] · w2[h] · [pre_h > 0]
  const slope = new Float64Array(w.dim);
  for (let d = 0; d < w.dim; d++) for (let h = 0; h < w.hidden; h++) if (pre[h]! > 0) slope[d] += w.w1[d * w.hidden + h]! * w.w2[h]!;
  for (let i = 0; i < ids.length; i++) {
    let dot = 0;
    for (let d = 0; d < w.dim; d++) dot += w.table[ids[i]! * w.dim + d]! * slope[d]!;
    contributions[i] = values[i]! * dot;
  }
  return { logit, bias: w.bias, contributions, exact: false };
}
