// Metrics of a binary spam classifier from predicted probabilities and
// targets (1 = spam). Pure functions, used by training, the API and benchmarks.
import type { Metrics } from '../../../shared/types';
import { bce } from '../../../shared/bce';

/** Binary cross-entropy from a logit, exact for any |z| (no overflow, no log(0)). */
export function bceFromLogit(logit: number, target: number): number {
  return Math.max(logit, 0) - logit * target + Math.log1p(Math.exp(-Math.abs(logit)));
}

export const sigmoid = (z: number) => (z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z)));

/** Indices sorted by descending probability. */
function byScore(probabilities: ArrayLike<number>): number[] {
  return Array.from({ length: probabilities.length }, (_, i) => i).sort((a, b) => probabilities[b]! - probabilities[a]!);
}

/** ROC AUC as the Mann–Whitney statistic, ties counted half. 0.5 when a class is missing. */
export function rocAuc(probabilities: ArrayLike<number>, targets: ArrayLike<number>): number {
  const order = byScore(probabilities);
  let positives = 0;
  let negatives = 0;
  for (let i = 0; i < targets.length; i++) {
    if (targets[i] === 1) positives++;
    else negatives++;
  }
  if (positives === 0 || negatives === 0) return 0.5;
  let rankSum = 0;
  let i = 0;
  // Ranks ascending by score: walk the descending order and convert.
  while (i < order.length) {
    let j = i;
    while (j + 1 < order.length && probabilities[order[j + 1]!] === probabilities[order[i]!]) j++;
    const rank = order.length - (i + j) / 2;
    for (let k = i; k <= j; k++) if (targets[order[k]!] === 1) rankSum += rank;
    i = j + 1;
  }
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

/** Average precision (the area under the precision-recall curve, step-wise). */
export function averagePrecision(probabilities: ArrayLike<number>, targets: ArrayLike<number>): number {
  const order = byScore(probabilities);
  let positives = 0;
  for (let i = 0; i < targets.length; i++) positives += targets[i] === 1 ? 1 : 0;
  if (positives === 0) return 0;
  let tp = 0;
  let fp = 0;
  let ap = 0;
  let i = 0;
  while (i < order.length) {
    let j = i;
    let tiedPositives = 0;
    while (j < order.length && probabilities[order[j]!] === probabilities[order[i]!]) {
      if (targets[order[j]!] === 1) tiedPositives++;
      j++;
    }
    tp += tiedPositives;
    fp += j - i - tiedPositives;
    ap += (tiedPositives / positives) * (tp / (tp + fp));
    i = j;
  }
  return ap;
}

export function calibrationBins(probabilities: ArrayLike<number>, targets: ArrayLike<number>, bins = 10) {
  const sums = Array.from({ length: bins }, () => ({ predicted: 0, positive: 0, count: 0 }));
  for (let i = 0; i < probabilities.length; i++) {
    const bin = sums[Math.min(bins - 1, Math.floor(probabilities[i]! * bins))]!;
    bin.predicted += probabilities[i]!;
    bin.positive += targets[i]!;
    bin.count++;
  }
  return sums
    .filter((b) => b.count > 0)
    .map((b) => ({ meanPredicted: b.predicted / b.count, fractionPositive: b.positive / b.count, count: b.count }));
}

/** Expected calibration error: the count-weighted gap between predicted and observed spam rates. */
export function expectedCalibrationError(probabilities: ArrayLike<number>, targets: ArrayLike<number>, bins = 10): number {
  if (probabilities.length === 0) return 0;
  return calibrationBins(probabilities, targets, bins).reduce(
    (sum, b) => sum + (b.count / probabilities.length) * Math.abs(b.meanPredicted - b.fractionPositive),
    0,
  );
}

const MAX_CURVE_POINTS = 200;

function thin<T>(points: T[]): T[] {
  if (points.length <= MAX_CURVE_POINTS) return points;
  const step = (points.length - 1) / (MAX_CURVE_POINTS - 1);
  return Array.from({ length: MAX_CURVE_POINTS }, (_, i) => points[Math.round(i * step)]!);
}

/** Cumulative (fp, tp) at each distinct threshold, highest first. */
function sweep(probabilities: ArrayLike<number>, targets: ArrayLike<number>) {
  const order = byScore(probabilities);
  const steps: Array<{ threshold: number; tp: number; fp: number }> = [];
  let tp = 0;
  let fp = 0;
  for (let i = 0; i < order.length; i++) {
    if (targets[order[i]!] === 1) tp++;
    else fp++;
    const next = order[i + 1];
    if (next === undefined || probabilities[next] !== probabilities[order[i]!])
      steps.push({ threshold: probabilities[order[i]!]!, tp, fp });
  }
  return steps;
}

export function rocCurve(probabilities: ArrayLike<number>, targets: ArrayLike<number>) {
  const steps = sweep(probabilities, targets);
  const positives = steps.at(-1)?.tp ?? 0;
  const negatives = steps.at(-1)?.fp ?? 0;
  const points = steps.map((s) => ({
    fpr: negatives ? s.fp / negatives : 0,
    tpr: positives ? s.tp / positives : 0,
    threshold: s.threshold,
  }));
  return thin([{ fpr: 0, tpr: 0, threshold: 1 }, ...points]);
}

export function prCurve(probabilities: ArrayLike<number>, targets: ArrayLike<number>) {
  const steps = sweep(probabilities, targets);
  const positives = steps.at(-1)?.tp ?? 0;
  return thin(steps.map((s) => ({ recall: positives ? s.tp / positives : 0, precision: s.tp / (s.tp + s.fp), threshold: s.threshold })));
}

const ratio = (a: number, b: number) => (b === 0 ? 0 : a / b);

export function computeMetrics(probabilities: ArrayLike<number>, targets: ArrayLike<number>, threshold: number): Metrics {
  const confusion = { tp: 0, fp: 0, tn: 0, fn: 0 };
  let loss = 0;
  for (let i = 0; i < probabilities.length; i++) {
    const spam = probabilities[i]! >= threshold;
    const isSpam = targets[i] === 1;
    if (spam && isSpam) confusion.tp++;
    else if (spam) confusion.fp++;
    else if (isSpam) confusion.fn++;
    else confusion.tn++;
    loss += bce(probabilities[i]!, targets[i]!);
  }
  const count = probabilities.length;
  const precision = ratio(confusion.tp, confusion.tp + confusion.fp);
  const recall = ratio(confusion.tp, confusion.tp + confusion.fn);
  return {
    count,
    accuracy: ratio(confusion.tp + confusion.tn, count),
    precision,
    recall,
    f1: ratio(2 * precision * recall, precision + recall),
    rocAuc: rocAuc(probabilities, targets),
    prAuc: averagePrecision(probabilities, targets),
    logLoss: ratio(loss, count),
    ece: expectedCalibrationError(probabilities, targets),
    hamMisclassifiedPct: 100 * ratio(confusion.fp, confusion.fp + confusion.tn),
    spamMisclassifiedPct: 100 * ratio(confusion.fn, confusion.fn + confusion.tp),
    threshold,
    confusion,
  };
}
