// The bench's own metrics, so it does not depend on spamlab's internals:
// every tool's probabilities go through the same code.

/** Probabilities are clipped to [CLIP, 1 − CLIP] before log-loss (a 0/1 score would cost infinity). */
export const CLIP = 1e-6;

/** ROC AUC by the rank-sum (Mann–Whitney) statistic; tied scores count half. */
export function rocAuc(scores: number[], targets: number[]): number {
  const order = scores.map((s, i) => [s, i] as const).sort((a, b) => a[0] - b[0]);
  let rankSumPositive = 0;
  let positives = 0;
  for (let i = 0; i < order.length;) {
    let j = i;
    while (j < order.length && order[j]![0] === order[i]![0]) j++;
    const meanRank = (i + 1 + j) / 2; // ranks i+1 … j
    for (let k = i; k < j; k++) if (targets[order[k]![1]] === 1) rankSumPositive += meanRank;
    i = j;
  }
  for (const t of targets) positives += t;
  const negatives = targets.length - positives;
  if (positives === 0 || negatives === 0) return NaN;
  return (rankSumPositive - (positives * (positives + 1)) / 2) / (positives * negatives);
}

export function logLoss(scores: number[], targets: number[]): number {
  let sum = 0;
  for (let i = 0; i < scores.length; i++) {
    const p = Math.min(1 - CLIP, Math.max(CLIP, scores[i]!));
    sum -= targets[i] === 1 ? Math.log(p) : Math.log(1 - p);
  }
  return sum / scores.length;
}

/** F1 of the spam class for given verdicts (1 = spam). */
export function f1(verdicts: number[], targets: number[]): number {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (let i = 0; i < verdicts.length; i++) {
    if (verdicts[i] === 1 && targets[i] === 1) tp++;
    else if (verdicts[i] === 1) fp++;
    else if (targets[i] === 1) fn++;
  }
  return tp === 0 ? 0 : (2 * tp) / (2 * tp + fp + fn);
}

/**
 * The largest share of spam caught by any cutoff "spam iff score ≥ t" that flags at most
 * `maxFpr` of the ham. Ties go together: a cutoff cannot split equal scores.
 */
export function recallAtFpr(scores: number[], targets: number[], maxFpr: number): number {
  const order = scores.map((s, i) => [s, targets[i]!] as const).sort((a, b) => b[0] - a[0]);
  const positives = targets.reduce((a, b) => a + b, 0);
  const negatives = targets.length - positives;
  let tp = 0;
  let fp = 0;
  let best = 0;
  for (let i = 0; i < order.length;) {
    let j = i;
    while (j < order.length && order[j]![0] === order[i]![0]) {
      if (order[j]![1] === 1) tp++;
      else fp++;
      j++;
    }
    if (fp / negatives <= maxFpr) best = Math.max(best, tp / positives);
    else break;
    i = j;
  }
  return best;
}

/** Share (%) of the items with `target` whose verdict is wrong, restricted to `keep`. */
export function wrongPct(verdicts: number[], targets: number[], keep: (i: number) => boolean, target: 0 | 1): number {
  let n = 0;
  let wrong = 0;
  for (let i = 0; i < verdicts.length; i++) {
    if (targets[i] !== target || !keep(i)) continue;
    n++;
    if (verdicts[i] !== target) wrong++;
  }
  return n === 0 ? NaN : (100 * wrong) / n;
}
