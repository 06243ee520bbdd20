// Drift of a run: how its loss on mail it never learned from moves period by
// period, against its own holdout. Pure functions: the rows come from
// store/monitor.ts, the report goes out through api/monitor.ts.
import type { MonitorPeriod, MonitorPoint, MonitorReport } from '../../../shared/contract';
import type { Label } from '../../../shared/types';
import { mulberry32 } from '../training/split';
import { bce } from '../../../shared/bce';

/** The nominal false-alarm rate of the drift test (one-sided), and of the per-period alarms taken together (Bonferroni). */
export const DRIFT_ALPHA = 0.01;
/** Fewer labeled messages than this (recent or held out) and the test says nothing. */
export const MIN_COUNT = 30;
/** The drift test looks at this many of the newest labeled messages the run did not learn from. */
export const RECENT_WINDOW = 500;
/** Resamples of the percentile bootstrap behind each period's band, and its fixed seed: the same mail gives the same band. */
export const BOOTSTRAP_RESAMPLES = 1000;
export const BOOTSTRAP_SEED = 20020801;
/** Above this many messages in a period, the band is the t-interval (the bootstrap's agrees with it there, and costs n × 1000). */
export const BOOTSTRAP_MAX_COUNT = 5000;
/** Without a band of its own, a run's unsure share counts probabilities in [0.1, 0.9), widened to reach its threshold. */
export const DEFAULT_UNSURE = { low: 0.1, high: 0.9 } as const;

const DAY_MS = 86_400_000;

/** The UTC month ('2002-08') or ISO 8601 week ('2002-W34', weeks start on Monday) holding `ms`, and when it starts. */
export function periodOf(ms: number, by: MonitorPeriod): { period: string; start: number } {
  const d = new Date(ms);
  if (by === 'month') {
    const start = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
    return { period: new Date(start).toISOString().slice(0, 7), start };
  }
  const day = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
  const weekday = (new Date(day).getUTCDay() + 6) % 7; // Monday 0 … Sunday 6
  const start = day - weekday * DAY_MS;
  // The ISO year is the year of the week's Thursday; week 1 holds that year's first Thursday.
  const thursday = new Date(start + 3 * DAY_MS);
  const year = thursday.getUTCFullYear();
  const week = 1 + Math.floor((thursday.getTime() - Date.UTC(year, 0, 1)) / (7 * DAY_MS));
  return { period: `${year}-W${String(week).padStart(2, '0')}`, start };
}

const mean = (xs: ArrayLike<number>) => {
  let sum = 0;
  for (let i = 0; i < xs.length; i++) sum += xs[i]!;
  return xs.length ? sum / xs.length : NaN;
};

function variance(xs: ArrayLike<number>, m = mean(xs)): number {
  let sum = 0;
  for (let i = 0; i < xs.length; i++) sum += (xs[i]! - m) ** 2;
  return xs.length > 1 ? sum / (xs.length - 1) : 0;
}

// ln Γ by Lanczos (g = 7, n = 9): ample for the t distribution's tails here.
const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905,
  -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];
function logGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
  const z = x - 1;
  let a = LANCZOS[0]!;
  const t = z + 7.5;
  for (let i = 1; i < 9; i++) a += LANCZOS[i]! / (z + i);
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

/** Continued fraction of the incomplete beta function (modified Lentz). */
function betaFraction(a: number, b: number, x: number): number {
  const tiny = 1e-300;
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  if (Math.abs(d) < tiny) d = tiny;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= 300; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((a + m2 - 1) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const step = d * c;
    h *= step;
    if (Math.abs(step - 1) < 1e-14) break;
  }
  return h;
}

/** The regularized incomplete beta function I_x(a, b). */
export function incompleteBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const front = Math.exp(logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log(1 - x));
  return x < (a + 1) / (a + b + 2) ? (front * betaFraction(a, b, x)) / a : 1 - (front * betaFraction(b, a, 1 - x)) / b;
}

/** P(T > t) for Student's t with `df` degrees of freedom. */
export function studentUpperTail(t: number, df: number): number {
  if (!Number.isFinite(t)) return t > 0 ? 0 : 1;
  const tail = 0.5 * incompleteBeta(df / (df + t * t), df / 2, 0.5);
  return t >= 0 ? tail : 1 - tail;
}

/** The t quantile with upper tail `p`, by bisection on the tail. */
export function studentQuantile(p: number, df: number): number {
  let low = 0;
  let high = 1000;
  for (let i = 0; i < 100; i++) {
    const mid = (low + high) / 2;
    if (studentUpperTail(mid, df) > p) low = mid;
    else high = mid;
  }
  return (low + high) / 2;
}

/**
 * Welch's t-test, one-sided: is the mean of `recent` above the mean of
 * `baseline`? Unequal variances, Welch–Satterthwaite degrees of freedom.
 */
export function welchOneSided(recent: ArrayLike<number>, baseline: ArrayLike<number>): { t: number; df: number; pValue: number } {
  const m1 = mean(recent);
  const m2 = mean(baseline);
  const v1 = variance(recent, m1) / recent.length;
  const v2 = variance(baseline, m2) / baseline.length;
  const se = Math.sqrt(v1 + v2);
  if (se === 0) return { t: m1 > m2 ? Infinity : m1 < m2 ? -Infinity : 0, df: Infinity, pValue: m1 > m2 ? 0 : m1 < m2 ? 1 : 0.5 };
  const t = (m1 - m2) / se;
  const df =
    (v1 + v2) ** 2 /
    ((recent.length > 1 ? v1 ** 2 / (recent.length - 1) : 0) + (baseline.length > 1 ? v2 ** 2 / (baseline.length - 1) : 0));
  return { t, df, pValue: studentUpperTail(t, Math.max(1, df)) };
}

/** Permutations of the drift test, and their fixed seed: the same mail gives the same p-value. */
export const PERMUTATIONS = 9999;
export const PERMUTATION_SEED = 20021001;
/** With more messages than this on both sides, the test is Welch's t (its skew has gone; the permutations would cost n × 9,999). */
export const PERMUTATION_MAX_COUNT = 2000;

/**
 * One-sided test that the mean of `recent` is above the mean of `baseline`:
 * a permutation test on the difference of means (exact under no drift, with
 * heavy tails and a small holdout alike), p = (1 + #{permuted ≥ observed}) /
 * (PERMUTATIONS + 1); Welch's t-test when both sides exceed PERMUTATION_MAX_COUNT.
 * Each permutation draws the smaller side from the pooled losses (a partial
 * Fisher–Yates shuffle): the other side's sum follows from it.
 */
export function driftPValue(recentGiven: ArrayLike<number>, baselineGiven: ArrayLike<number>, permutations = PERMUTATIONS): number {
  // Sorted, so the p-value does not depend on the order the rows came in.
  const recent = Float64Array.from(recentGiven).sort();
  const baseline = Float64Array.from(baselineGiven).sort();
  if (recent.length > PERMUTATION_MAX_COUNT && baseline.length > PERMUTATION_MAX_COUNT) return welchOneSided(recent, baseline).pValue;
  const pooled = new Float64Array(recent.length + baseline.length);
  for (let i = 0; i < recent.length; i++) pooled[i] = recent[i]!;
  for (let i = 0; i < baseline.length; i++) pooled[recent.length + i] = baseline[i]!;
  const drawRecent = recent.length <= baseline.length;
  const m = drawRecent ? recent.length : baseline.length;
  let observed = 0;
  for (let i = 0; i < m; i++) observed += drawRecent ? recent[i]! : baseline[i]!;
  // Recent's mean rises with its own sum and falls with the baseline's.
  const tolerance = 1e-9 * Math.max(1, Math.abs(observed));
  const random = mulberry32(PERMUTATION_SEED);
  const n = pooled.length;
  let atLeast = 0;
  for (let b = 0; b < permutations; b++) {
    let sum = 0;
    for (let i = 0; i < m; i++) {
      const j = i + Math.floor(random() * (n - i));
      const picked = pooled[j]!;
      pooled[j] = pooled[i]!;
      pooled[i] = picked;
      sum += picked;
    }
    if (drawRecent ? sum >= observed - tolerance : sum <= observed + tolerance) atLeast++;
  }
  return (1 + atLeast) / (permutations + 1);
}

/**
 * The mean of `losses` with its 95% interval: the percentile bootstrap
 * (BOOTSTRAP_RESAMPLES resamples, fixed seed) up to BOOTSTRAP_MAX_COUNT
 * losses, the t-interval above; one loss gives the loss itself.
 */
export function meanInterval(given: ArrayLike<number>): { mean: number; low: number; high: number } {
  // Sorted, so the band does not depend on the order the rows came in.
  const losses = Float64Array.from(given).sort();
  const n = losses.length;
  const m = mean(losses);
  if (n < 2) return { mean: m, low: m, high: m };
  if (n > BOOTSTRAP_MAX_COUNT) {
    const half = studentQuantile(0.025, n - 1) * Math.sqrt(variance(losses, m) / n);
    return { mean: m, low: m - half, high: m + half };
  }
  const random = mulberry32(BOOTSTRAP_SEED);
  const means = new Float64Array(BOOTSTRAP_RESAMPLES);
  for (let b = 0; b < BOOTSTRAP_RESAMPLES; b++) {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += losses[Math.floor(random() * n)]!;
    means[b] = sum / n;
  }
  means.sort();
  const at = (q: number) => means[Math.min(BOOTSTRAP_RESAMPLES - 1, Math.max(0, Math.round(q * (BOOTSTRAP_RESAMPLES - 1))))]!;
  return { mean: m, low: at(0.025), high: at(0.975) };
}

/** One labeled message as the monitor sees it. */
export interface MonitoredExample {
  probability: number;
  label: Label;
  /** Plausible message date (ms), or null. */
  date: number | null;
  /** When its current label was given; null for the holdout (labeled before the run). */
  labeledAt: number | null;
  /** True for mail labeled after the run, which the alarms test; false for the run's holdout, the baseline itself. */
  later: boolean;
}

interface Group {
  period: string;
  start: number;
  examples: MonitoredExample[];
}

function groupBy(examples: MonitoredExample[], by: MonitorPeriod, time: (e: MonitoredExample) => number | null): Group[] {
  const groups = new Map<string, Group>();
  for (const e of examples) {
    const t = time(e);
    if (t === null) continue;
    const { period, start } = periodOf(t, by);
    let group = groups.get(period);
    if (!group) groups.set(period, (group = { period, start, examples: [] }));
    group.examples.push(e);
  }
  return [...groups.values()].sort((a, b) => a.start - b.start);
}

const share = (part: number, whole: number) => (whole ? part / whole : null);

/**
 * BCE per period with its band, ham flagged and spam missed at the threshold,
 * and an alarm where the period's later mail (at least MIN_COUNT of it) is
 * significantly above the baseline by Welch's one-sided test at DRIFT_ALPHA
 * divided by the number of periods tested (Bonferroni).
 */
export function monitorPoints(
  examples: MonitoredExample[],
  by: MonitorPeriod,
  time: (e: MonitoredExample) => number | null,
  threshold: number,
  baseline: ArrayLike<number> | null,
): MonitorPoint[] {
  const groups = groupBy(examples, by, time);
  const laterLosses = groups.map((g) => g.examples.filter((e) => e.later).map(lossOf));
  const testable = baseline !== null && baseline.length >= MIN_COUNT;
  const tested = testable ? laterLosses.filter((losses) => losses.length >= MIN_COUNT).length : 0;
  return groups.map((g, k): MonitorPoint => {
    const losses = g.examples.map(lossOf);
    const band = meanInterval(losses);
    const ham = g.examples.filter((e) => e.label === 'ham');
    const spam = g.examples.filter((e) => e.label === 'spam');
    const later = laterLosses[k]!;
    const alarm = testable && later.length >= MIN_COUNT && driftPValue(later, baseline) < DRIFT_ALPHA / tested;
    return {
      period: g.period,
      start: g.start,
      count: g.examples.length,
      ham: ham.length,
      spam: spam.length,
      bce: band.mean,
      bceLow: band.low,
      bceHigh: band.high,
      hamFlagged: share(ham.filter((e) => e.probability >= threshold).length, ham.length),
      spamMissed: share(spam.filter((e) => e.probability < threshold).length, spam.length),
      alarm,
    };
  });
}

// The same clipped BCE training minimizes: a confident mistake costs at most −ln(1e-7) ≈ 16.1 nats.
const lossOf = (e: MonitoredExample) => bce(e.probability, e.label === 'spam' ? 1 : 0);

/** The unsure band the share counts: the run's own [unsureBelow, threshold), else DEFAULT_UNSURE widened to reach the threshold. */
export function unsureBand(threshold: number, unsureBelow: number | null): { low: number; high: number } {
  if (unsureBelow !== null) return { low: unsureBelow, high: threshold };
  return { low: Math.min(DEFAULT_UNSURE.low, threshold), high: Math.max(DEFAULT_UNSURE.high, threshold) };
}

/**
 * The newest RECENT_WINDOW later messages, by message date (label time for
 * those without a plausible date), and Welch's one-sided test of their BCE
 * against the baseline's at DRIFT_ALPHA.
 */
export function driftTest(
  later: MonitoredExample[],
  baseline: ArrayLike<number> | null,
  baselineBce: number | null,
): MonitorReport['drift'] {
  const when = (e: MonitoredExample) => e.date ?? e.labeledAt ?? 0;
  const recent = later
    .slice()
    .sort((a, b) => when(b) - when(a))
    .slice(0, RECENT_WINDOW);
  const losses = recent.map(lossOf);
  const recentBce = losses.length ? mean(losses) : null;
  const base = { recentCount: recent.length, recentBce, pValue: null, alarm: false };
  const fmt = (x: number) => x.toFixed(3);
  if (baseline === null || baselineBce === null) {
    return { ...base, verdict: 'no holdout to compare with (an imported model): the chart shows the loss, no test is made' };
  }
  if (recent.length < MIN_COUNT || baseline.length < MIN_COUNT) {
    const short = recent.length < MIN_COUNT ? `${recent.length} labeled since the run` : `${baseline.length} held out`;
    return { ...base, verdict: `not enough mail to say: ${short}, the test needs ${MIN_COUNT}` };
  }
  const pValue = driftPValue(losses, baseline);
  const alarm = pValue < DRIFT_ALPHA;
  const p = pValue < 0.0001 ? '< 0.0001' : `= ${pValue.toFixed(4)}`;
  const figures = `BCE ${fmt(recentBce!)} on the newest ${recent.length} labeled messages vs ${fmt(baselineBce)} on the holdout (p ${p})`;
  return {
    ...base,
    pValue,
    alarm,
    verdict: alarm ? `drifting: ${figures}; retrain with the newest mail (weighted up, or the oldest left out)` : `healthy: ${figures}`,
  };
}

export interface MonitorInput {
  runId: number;
  by: MonitorPeriod;
  threshold: number;
  /** The run's holdout span, as the run recorded it. */
  holdoutSpan: { from: number | null; to: number | null } | null;
  holdout: MonitoredExample[];
  later: MonitoredExample[];
  /** Unlabeled mail dated after the run's newest training mail: how many, and how many of them fall in `band`. */
  unlabeled: { count: number; inBand: number };
  band: { low: number; high: number };
}

export function monitorReport(input: MonitorInput): MonitorReport {
  const baselineLosses = input.holdout.length ? input.holdout.map(lossOf) : null;
  const baselineBce = baselineLosses ? mean(baselineLosses) : null;
  const baseline =
    baselineLosses && baselineBce !== null
      ? { bce: baselineBce, count: baselineLosses.length, from: input.holdoutSpan?.from ?? null, to: input.holdoutSpan?.to ?? null }
      : null;
  return {
    runId: input.runId,
    by: input.by,
    threshold: input.threshold,
    baseline,
    byMessageDate: monitorPoints([...input.holdout, ...input.later], input.by, (e) => e.date, input.threshold, baselineLosses),
    byLabelTime: monitorPoints(input.later, input.by, (e) => e.labeledAt, input.threshold, baselineLosses),
    unsure: { count: input.unlabeled.count, share: share(input.unlabeled.inBand, input.unlabeled.count), ...input.band },
    drift: driftTest(input.later, baselineLosses, baselineBce),
  };
}
