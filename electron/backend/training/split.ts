// Deterministic, stratified splits: the same seed gives the same split.

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
    validation.push(...indices.slice(0, held));
    train.push(...indices.slice(held));
  }
  return { train: train.sort((a, b) => a - b), validation: validation.sort((a, b) => a - b) };
}

/** Fold number of every example, each class dealt round-robin across k folds. */
export function stratifiedFolds(targets: ArrayLike<number>, k: number, seed: number): Int32Array {
  const folds = new Int32Array(targets.length);
  for (const indices of classIndices(targets, mulberry32(seed ^ 0x5eed))) indices.forEach((index, i) => (folds[index] = i % k));
  return folds;
}
