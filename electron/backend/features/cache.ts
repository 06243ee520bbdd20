import { type Db, writeTransaction } from '../store/open';
import { mailFields } from '../store/messages';
import { tokenCounts, TOKENIZER_VERSION } from './tokenizer';
import type { TokenCounts } from './vectorize';

const asBuffer = (array: Uint32Array | Float32Array) => Buffer.from(array.buffer, array.byteOffset, array.byteLength);

const fromBlob = <T>(blob: Buffer, make: (buffer: ArrayBuffer) => T): T =>
  make(blob.buffer.slice(blob.byteOffset, blob.byteOffset + blob.byteLength) as ArrayBuffer);

/**
 * Tokenizes every message whose cached features are missing or from an older
 * tokenizer, in transactions of `batchSize`. Returns how many were (re)built.
 */
export function ensureFeatures(db: Db, onProgress?: (done: number, total: number) => void, batchSize = 500): number {
  const stale = db
    .prepare(
      `SELECT m.id FROM messages m LEFT JOIN features f ON f.message_id = m.id
       WHERE f.message_id IS NULL OR f.tokenizer_version <> ?`,
    )
    .pluck()
    .all(TOKENIZER_VERSION) as number[];
  const write = db.prepare(
    `INSERT INTO features (message_id, tokenizer_version, ids, vals) VALUES (?, ?, ?, ?)
     ON CONFLICT(message_id) DO UPDATE SET tokenizer_version = excluded.tokenizer_version, ids = excluded.ids, vals = excluded.vals`,
  );
  for (let start = 0; start < stale.length; start += batchSize) {
    writeTransaction(db, () => {
      for (const id of stale.slice(start, start + batchSize)) {
        const fields = mailFields(db, id);
        if (!fields) continue;
        const tokens = tokenCounts(fields);
        write.run(id, TOKENIZER_VERSION, asBuffer(tokens.hashes), asBuffer(tokens.counts));
      }
    });
    onProgress?.(Math.min(start + batchSize, stale.length), stale.length);
  }
  return stale.length;
}

const toCounts = (row: { ids: Buffer; vals: Buffer }): TokenCounts => ({
  hashes: fromBlob(row.ids, (b) => new Uint32Array(b)),
  counts: fromBlob(row.vals, (b) => new Float32Array(b)),
});

/** One message's cached features, null when missing or from an older tokenizer. */
export function featuresOf(db: Db, messageId: number): TokenCounts | null {
  const row = db
    .prepare('SELECT ids, vals FROM features WHERE message_id = ? AND tokenizer_version = ?')
    .get(messageId, TOKENIZER_VERSION) as { ids: Buffer; vals: Buffer } | undefined;
  return row ? toCounts(row) : null;
}

export interface LabeledFeatures {
  messageId: number;
  target: 0 | 1;
  tokens: TokenCounts;
}

/** Cached features of every labeled message, in message id order. Call ensureFeatures first. */
export function labeledFeatures(db: Db): LabeledFeatures[] {
  const rows = db
    .prepare(
      `SELECT f.message_id AS id, l.label, f.ids, f.vals FROM features f
       JOIN labels l ON l.message_id = f.message_id WHERE f.tokenizer_version = ? ORDER BY f.message_id`,
    )
    .all(TOKENIZER_VERSION) as Array<{ id: number; label: string; ids: Buffer; vals: Buffer }>;
  return rows.map((row) => ({
    messageId: row.id,
    target: row.label === 'spam' ? 1 : 0,
    tokens: toCounts(row),
  }));
}
