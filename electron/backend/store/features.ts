// Each message's tokens, hashed and counted, cached with the tokenizer version that made them.
import { type Db, writeTransaction } from './open';

export interface FeatureBlobs {
  ids: Buffer;
  vals: Buffer;
}

/** Messages whose cached features are missing or were made by another tokenizer version. */
export function staleFeatureIds(db: Db, tokenizerVersion: number): number[] {
  return db
    .prepare(
      `SELECT m.id FROM messages m LEFT JOIN features f ON f.message_id = m.id
       WHERE f.message_id IS NULL OR f.tokenizer_version <> ?`,
    )
    .pluck()
    .all(tokenizerVersion) as number[];
}

const UPSERT_FEATURES = `INSERT INTO features (message_id, tokenizer_version, ids, vals) VALUES (?, ?, ?, ?)
  ON CONFLICT(message_id) DO UPDATE SET tokenizer_version = excluded.tokenizer_version, ids = excluded.ids, vals = excluded.vals`;

/** Stores one message's features, inside the caller's transaction. */
export function putFeatureRow(db: Db, messageId: number, tokenizerVersion: number, blobs: FeatureBlobs): void {
  db.prepare(UPSERT_FEATURES).run(messageId, tokenizerVersion, blobs.ids, blobs.vals);
}

/** Stores a batch of messages' features in one transaction. */
export function putFeatures(db: Db, tokenizerVersion: number, batch: Array<{ messageId: number } & FeatureBlobs>): void {
  const write = db.prepare(UPSERT_FEATURES);
  writeTransaction(db, () => {
    for (const f of batch) write.run(f.messageId, tokenizerVersion, f.ids, f.vals);
  });
}

export function featureBlobs(db: Db, messageId: number, tokenizerVersion: number): FeatureBlobs | null {
  const row = db
    .prepare('SELECT ids, vals FROM features WHERE message_id = ? AND tokenizer_version = ?')
    .get(messageId, tokenizerVersion) as FeatureBlobs | undefined;
  return row ?? null;
}

/** How many distinct tokens the labeled messages' cached features hold in all: an upper bound on their vectors' entries. */
export function labeledTokenCount(db: Db, tokenizerVersion: number): number {
  const row = db
    .prepare(
      `SELECT coalesce(sum(length(f.ids)), 0) / 4 AS n FROM features f JOIN labels l ON l.message_id = f.message_id
       WHERE f.tokenizer_version = ?`,
    )
    .get(tokenizerVersion) as { n: number };
  return row.n;
}

export type LabeledFeatureRow = { id: number; label: string; date: number | null; imported_at: number } & FeatureBlobs;

/** The cached features of every labeled message, in message id order, one row at a time: 100,000 of them never sit in memory together. */
export function eachLabeledFeatureBlob(db: Db, tokenizerVersion: number): IterableIterator<LabeledFeatureRow> {
  return db
    .prepare(
      `SELECT f.message_id AS id, l.label, f.ids, f.vals, m.date, m.imported_at FROM features f
       JOIN labels l ON l.message_id = f.message_id JOIN messages m ON m.id = f.message_id
       WHERE f.tokenizer_version = ? ORDER BY f.message_id`,
    )
    .iterate(tokenizerVersion) as IterableIterator<LabeledFeatureRow>;
}
