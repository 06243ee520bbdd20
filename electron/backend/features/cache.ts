import type { Db } from '../store/open';
import { mailFields } from '../store/messages';
import { featureBlobs, FeatureBlobs, labeledFeatureBlobs, putFeatures, staleFeatureIds } from '../store/features';
import { tokenCounts, TOKENIZER_VERSION } from './tokenizer';
import type { TokenCounts } from './vectorize';

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

export interface LabeledFeatures {
  messageId: number;
  target: 0 | 1;
  tokens: TokenCounts;
  /** The Date header's time (ms), null when absent. */
  date: number | null;
  importedAt: number;
}

/** Cached features of every labeled message, in message id order. Call ensureFeatures first. */
export function labeledFeatures(db: Db): LabeledFeatures[] {
  return labeledFeatureBlobs(db, TOKENIZER_VERSION).map((row) => ({
    messageId: row.id,
    target: row.label === 'spam' ? 1 : 0,
    tokens: toCounts(row),
    date: row.date,
    importedAt: row.imported_at,
  }));
}
