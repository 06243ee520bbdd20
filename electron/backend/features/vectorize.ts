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

const FNV_BASIS = 0x811c9dc5;

function fnv(h: number, text: string): number {
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h;
}

/** murmur3's finishing mixer, for better spread in the low bits. */
function finish(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** FNV-1a over UTF-16 code units, finished with murmur3's mixer. */
export const hashToken = (token: string): number => finish(fnv(FNV_BASIS, token));

/** Collects the hashes of tokens given in parts, the same as hashing each joined token. */
export class TokenHashes {
  private hashes = new Uint32Array(1024);
  private size = 0;

  add(a: string, b?: string, c?: string): void {
    let h = fnv(FNV_BASIS, a);
    if (b !== undefined) h = fnv(h, b);
    if (c !== undefined) h = fnv(h, c);
    if (this.size === this.hashes.length) {
      const grown = new Uint32Array(this.size * 2);
      grown.set(this.hashes);
      this.hashes = grown;
    }
    this.hashes[this.size++] = finish(h);
  }

  take(): Uint32Array {
    return this.hashes.subarray(0, this.size);
  }
}

export const countTokens = (tokens: readonly string[]): TokenCounts => countHashes(Uint32Array.from(tokens, hashToken));

/** Distinct hashes with how often each occurs. Sorts `hashes` in place. */
export function countHashes(hashes: Uint32Array): TokenCounts {
  // Sorting and counting runs beats a Map: most hashes exceed V8's small-integer range.
  const sorted = hashes.sort();
  let distinct = 0;
  for (let i = 0; i < sorted.length; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) distinct++;
  const unique = new Uint32Array(distinct);
  const counts = new Float32Array(distinct);
  for (let i = 0, at = -1; i < sorted.length; i++) {
    if (i === 0 || sorted[i] !== sorted[i - 1]) unique[++at] = sorted[i]!;
    counts[at]!++;
  }
  return { hashes: unique, counts };
}

export function toSparse(tokens: TokenCounts, buckets: number): SparseVector {
  const n = tokens.hashes.length;
  return normalised(n, (add) => {
    // Bucket and position packed in one number and sorted: buckets in order, and within one the tokens in order,
    // so shared buckets always add up the same way. 32-bit keys when they fit: that sort is three times faster.
    const order = buckets * n <= 2 ** 32 ? new Uint32Array(n) : new Float64Array(n);
    for (let i = 0; i < n; i++) order[i] = (tokens.hashes[i]! % buckets) * n + i;
    order.sort();
    for (let k = 0; k < n; k++) {
      const id = Math.floor(order[k]! / n);
      add(id, tokens.counts[order[k]! - id * n]!);
    }
  });
}

/**
 * The same vector as `toSparse(countHashes(hashes), buckets)`, from a message's
 * token hashes as found, with one sort instead of two when `buckets` is a power
 * of two: a hash with its bucket bits rotated to the top sorts by bucket and,
 * within a bucket, by hash, so equal hashes (counts) and shared buckets both
 * come out as runs, in the order `toSparse` adds them. Sorts `hashes` in place.
 */
export function sparseFromHashes(hashes: Uint32Array, buckets: number): SparseVector {
  const bits = Math.log2(buckets);
  if (!Number.isInteger(bits) || bits < 1 || bits > 31) return toSparse(countHashes(hashes), buckets);
  const low = buckets - 1;
  const keys = hashes;
  for (let i = 0; i < keys.length; i++) keys[i] = (((keys[i]! & low) << (32 - bits)) | (keys[i]! >>> bits)) >>> 0;
  keys.sort();
  return normalised(keys.length, (add) => {
    for (let i = 0; i < keys.length;) {
      let end = i + 1;
      while (end < keys.length && keys[end] === keys[i]) end++;
      add(keys[i]! >>> (32 - bits), end - i);
      i = end;
    }
  });
}

/**
 * Sums 1 + ln(count) per bucket as `each` hands over distinct tokens in bucket
 * order, then scales the sums to unit length.
 */
function normalised(maxSize: number, each: (add: (bucket: number, count: number) => void) => void): SparseVector {
  const ids = new Uint32Array(maxSize);
  const sums = new Float64Array(maxSize);
  let size = 0;
  each((bucket, count) => {
    const weight = 1 + Math.log(count);
    if (size > 0 && ids[size - 1] === bucket) sums[size - 1]! += weight;
    else {
      ids[size] = bucket;
      sums[size++] = weight;
    }
  });
  const values = new Float32Array(sums.subarray(0, size));
  let norm = 0;
  for (let i = 0; i < size; i++) norm += values[i]! * values[i]!;
  const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
  for (let i = 0; i < size; i++) values[i]! *= scale;
  return { ids: ids.slice(0, size), values };
}
