/** Probabilities are clipped to [EPSILON, 1 − EPSILON]: a confident mistake costs at most −ln(1e-7) ≈ 16.1 nats. */
const EPSILON = 1e-7;

/** Binary cross-entropy (nats) of one prediction for a target (1 = spam), clipped so a confident mistake costs a finite amount. */
export function bce(probability: number, target: number): number {
  const p = Math.min(1 - EPSILON, Math.max(EPSILON, probability));
  return -(target * Math.log(p) + (1 - target) * Math.log(1 - p));
}
