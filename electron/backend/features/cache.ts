import type { Db } from '../store/open';
import { mailFields } from '../store/messages';
import { eachLabeledFeatureBlob, labeledTokenCount, featureBlobs, FeatureBlobs, putFeatures, staleFeatureIds } from '../store/features';
import { createPacker, PackedExamples } from '../training/protocol';
import { tokenCounts, TOKENIZER_VERSION } from './tokenizer';
import { toSparse, TokenCounts } from './vectorize';

const asBuffer = (array: Uint32Array | Float32Array) => Buffer.from(array.buffer, array.byteOffset, array.byteLength);

/** The blobs the features table stores for a message's token counts. */
export const featureBlobsOf = (tokens: TokenCounts): FeatureBlobs => ({ ids: asBuffer(tokens.hashes), vals: asBuffer(tokens.counts) });

const fromBlob = <T>(blob: Buffer, make: (buffer: ArrayBuffer) => T): T =>
  make(blob.buffer.slice(blob.byteOffset, blob.byteOffset + blob.byteLength) as ArrayBuffer);

/**
 * Tokenizes every message whose cached features are missing or from an older
 * tokenizer, in transactions of `batchSize`. Returns how many were (re)built.
 */
export function ensureFeatures(db: Db, onProgress?: (done: number, total: number) => void, batchSize = 500): number {
  const stale = staleFeatureIds(db, TOKENIZER_VERSION);
  for (let start = 0; start < stale.length; start += batchSize) {
    const batch: Array<{ messageId: number } & FeatureBlobs> = [];
    for (const messageId of stale.slice(start, start + batchSize)) {
      const fields = mailFields(db, messageId);
      if (!fields) continue;
      batch.push({ messageId, ...featureBlobsOf(tokenCounts(fields)) });
    }
    putFeatures(db, TOKENIZER_VERSION, batch);
    onProgress?.(Math.min(start + batchSize, stale.length), stale.length);
  }
  return stale.length;
}

const toCounts = (row: FeatureBlobs): TokenCounts => ({
  hashes: fromBlob(row.ids, (b) => new Uint32Array(b)),
  counts: fromBlob(row.vals, (b) => new Float32Array(b)),
});

/** One message's cached features, null when missing or from an older tokenizer. */
export function featuresOf(db: Db, messageId: number): TokenCounts | null {
  const row = featureBlobs(db, messageId, TOKENIZER_VERSION);
  return row ? toCounts(row) : null;
}

/** One message's features, tokenized from the stored message (and cached) when missing; null when there is no such message. */
export function featuresOrTokenize(db: Db, messageId: number): TokenCounts | null {
  const cached = featuresOf(db, messageId);
  if (cached) return cached;
  const fields = mailFields(db, messageId);
  if (!fields) return null;
  const tokens = tokenCounts(fields);
  putFeatures(db, TOKENIZER_VERSION, [{ messageId, ...featureBlobsOf(tokens) }]);
  return tokens;
}

/** Every labeled message as the model of `buckets` buckets sees it, packed as the training worker takes it. */
export interface LabeledExamples {
  data: PackedExamples;
  /** Per example, its Date header's time (ms), null when absent; and when it was imported. */
  dates: Array<number | null>;
  importedAt: Float64Array;
}

/** Builds the packed examples row by row from the cache (call ensureFeatures first), without the whole set as objects. */
export function labeledExamples(db: Db, buckets: number): LabeledExamples {
  // Sized once from the cache: growing by doubling would hold two copies of the largest arrays at once.
  const packer = createPacker(labeledTokenCount(db, TOKENIZER_VERSION));
  const dates: Array<number | null> = [];
  const importedAt: number[] = [];
  for (const row of eachLabeledFeatureBlob(db, TOKENIZER_VERSION)) {
    packer.add(row.id, row.label === 'spam' ? 1 : 0, toSparse(toCounts(row), buckets));
    dates.push(row.date);
    importedAt.push(row.imported_at);
  }
  return { data: packer.done(), dates, importedAt: Float64Array.from(importedAt) };
}
