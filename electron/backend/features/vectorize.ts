// Hashed bag of tokens. A message's tokens are cached as full 32-bit hashes
// with counts (independent of the model's table size); a model folds them
// into its buckets with sublinear counts, L2-normalised so long and short
// messages weigh alike.

export const DEFAULT_BUCKETS = 2 ** 18;

/** What the store caches per message. */
export interface TokenCounts {
  hashes: Uint32Array;
  counts: Float32Array;
}

export interface SparseVector {
  ids: Uint32Array;
  values: Float32Array;
}

/** FNV-1a over UTF-16 code units, finished with murmur3's mixer for better spread in the low bits. */
export function hashToken(token: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < token.length; i++) {
    h ^= token.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

export function countTokens(tokens: readonly string[]): TokenCounts {
  // Sorting the hashes and counting runs beats a Map: most hashes exceed V8's small-integer range.
  const sorted = new Uint32Array(tokens.length);
  for (let i = 0; i < tokens.length; i++) sorted[i] = hashToken(tokens[i]!);
  sorted.sort();
  let distinct = 0;
  for (let i = 0; i < sorted.length; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) distinct++;
  const hashes = new Uint32Array(distinct);
  const counts = new Float32Array(distinct);
  for (let i = 0, at = -1; i < sorted.length; i++) {
    if (i === 0 || sorted[i] !== sorted[i - 1]) hashes[++at] = sorted[i]!;
    counts[at]!++;
  }
  return { hashes, counts };
}

export function toSparse(tokens: TokenCounts, buckets: number): SparseVector {
  const n = tokens.hashes.length;
  // Bucket and position packed in one float (bucket < 2^32, position < 2^21) and sorted: buckets in order, no Map.
  const order = new Float64Array(n);
  for (let i = 0; i < n; i++) order[i] = (tokens.hashes[i]! % buckets) * 2 ** 21 + i;
  order.sort();
  const ids = new Uint32Array(n);
  const sums = new Float64Array(n);
  let size = 0;
  for (let k = 0; k < n; k++) {
    const id = Math.floor(order[k]! / 2 ** 21);
    const weight = 1 + Math.log(tokens.counts[order[k]! - id * 2 ** 21]!);
    if (size > 0 && ids[size - 1] === id) sums[size - 1]! += weight;
    else {
      ids[size] = id;
      sums[size++] = weight;
    }
  }
  const values = Float32Array.from(sums.subarray(0, size));
  let norm = 0;
  for (const value of values) norm += value * value;
  const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
  for (let i = 0; i < size; i++) values[i]! *= scale;
  return { ids: ids.slice(0, size), values };
}
