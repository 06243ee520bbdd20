// Deterministic, stratified splits: the same seed gives the same split.
import { plausibleDate } from '../../../shared/mail-dates';

export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function shuffle<T>(items: T[], random: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}

/** Indices of each class, shuffled by the seed. */
function classIndices(targets: ArrayLike<number>, random: () => number): number[][] {
  const byClass: number[][] = [[], []];
  for (let i = 0; i < targets.length; i++) byClass[targets[i] === 1 ? 1 : 0]!.push(i);
  return byClass.map((indices) => shuffle(indices, random));
}

export function stratifiedSplit(
  targets: ArrayLike<number>,
  validationShare: number,
  seed: number,
): { train: number[]; validation: number[] } {
  const train: number[] = [];
  const validation: number[] = [];
  for (const indices of classIndices(targets, mulberry32(seed))) {
    const held = Math.min(indices.length - 1, Math.max(indices.length > 1 ? 1 : 0, Math.round(indices.length * validationShare)));
    // Loops, not push(...spread): half a million arguments overflow the stack.
    for (const i of indices.slice(0, held)) validation.push(i);
    for (const i of indices.slice(held)) train.push(i);
  }
  return { train: train.sort((a, b) => a - b), validation: validation.sort((a, b) => a - b) };
}

/** Fold number of every example, each class dealt round-robin across k folds. */
export function stratifiedFolds(targets: ArrayLike<number>, k: number, seed: number): Int32Array {
  const folds = new Int32Array(targets.length);
  for (const indices of classIndices(targets, mulberry32(seed ^ 0x5eed))) indices.forEach((index, i) => (folds[index] = i % k));
  return folds;
}

/**
 * The newest share of each class by message time: validation that looks
 * forward, as the filter will be used. Ties keep input (import) order.
 */
export function newestSplit(
  targets: ArrayLike<number>,
  times: ArrayLike<number>,
  validationShare: number,
): { train: number[]; validation: number[] } {
  const train: number[] = [];
  const validation: number[] = [];
  const byClass: number[][] = [[], []];
  for (let i = 0; i < targets.length; i++) byClass[targets[i] === 1 ? 1 : 0]!.push(i);
  for (const indices of byClass) {
    indices.sort((a, b) => times[a]! - times[b]! || a - b);
    const held = Math.min(indices.length - 1, Math.max(indices.length > 1 ? 1 : 0, Math.round(indices.length * validationShare)));
    for (const i of indices.slice(0, indices.length - held)) train.push(i);
    for (const i of indices.slice(indices.length - held)) validation.push(i);
  }
  return { train: train.sort((a, b) => a - b), validation: validation.sort((a, b) => a - b) };
}

/**
 * A time per message for ordering, from its Date header where that is
 * plausible (after 1990, not after it was imported); otherwise the time of
 * the message imported just before it (or just after, for the first ones), so
 * it keeps its place in import order. `messages` are in import order.
 */
export function orderingTimes(messages: ReadonlyArray<{ date: number | null; importedAt: number }>): Float64Array {
  const times = new Float64Array(messages.length).fill(NaN);
  messages.forEach((m, i) => {
    const date = plausibleDate(m.date, m.importedAt);
    if (date !== null) times[i] = date;
  });
  let previous = NaN;
  for (let i = 0; i < times.length; i++) {
    if (Number.isNaN(times[i]!)) times[i] = previous;
    else previous = times[i]!;
  }
  const first = times.findIndex((t) => !Number.isNaN(t));
  for (let i = 0; i < (first < 0 ? times.length : first); i++) times[i] = first < 0 ? i : times[first]!;
  return times;
}

/**
 * The examples kept when each class's oldest `share` (by time; ties keep
 * input order) is left out, ascending. Each class keeps at least two, for a
 * holdout and a training set.
 */
export function withoutOldest(targets: ArrayLike<number>, times: ArrayLike<number>, share: number): number[] {
  const kept: number[] = [];
  const byClass: number[][] = [[], []];
  for (let i = 0; i < targets.length; i++) byClass[targets[i] === 1 ? 1 : 0]!.push(i);
  for (const indices of byClass) {
    indices.sort((a, b) => times[a]! - times[b]! || a - b);
    const dropped = Math.max(0, Math.min(indices.length - 2, Math.round(indices.length * share)));
    for (const i of indices.slice(dropped)) kept.push(i);
  }
  return kept.sort((a, b) => a - b);
}

/** A split made on the examples `kept` only, its indices mapped back to the whole set. */
export function splitWithin(
  kept: number[],
  targets: ArrayLike<number>,
  times: ArrayLike<number>,
  split: (targets: ArrayLike<number>, times: ArrayLike<number>) => { train: number[]; validation: number[] },
): { train: number[]; validation: number[] } {
  const inner = split(
    Uint8Array.from(kept, (i) => targets[i]!),
    Float64Array.from(kept, (i) => times[i]!),
  );
  return { train: inner.train.map((k) => kept[k]!), validation: inner.validation.map((k) => kept[k]!) };
}

const DAY_MS = 86_400_000;

/**
 * Recency weights over the whole set, for training on `indices`: 0.5^(age /
 * half-life), the age in days behind the newest of `indices`, scaled so their
 * mean over `indices` is 1 (the learning rate keeps its meaning). Null when off.
 */
export function recencyWeights(times: ArrayLike<number>, indices: number[], halfLifeDays: number): Float64Array | null {
  if (!(halfLifeDays > 0) || indices.length === 0) return null;
  let newest = -Infinity;
  for (const i of indices) newest = Math.max(newest, times[i]!);
  const weights = new Float64Array(times.length);
  let sum = 0;
  for (const i of indices) sum += weights[i] = 0.5 ** ((newest - times[i]!) / (halfLifeDays * DAY_MS));
  const scale = indices.length / sum;
  for (const i of indices) weights[i]! *= scale;
  return weights;
}
