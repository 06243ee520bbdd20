// The full-text index trails the messages table: new messages wait in
// fts_pending until indexed here, in order, a transaction per step.
import { Db, stmt, writeTransaction } from './open';

export const pendingSearchCount = (db: Db): number => stmt(db, 'SELECT count(*) FROM fts_pending').pluck().get() as number;

/**
 * Indexes up to `limit` waiting messages, oldest first; returns how many still
 * wait. Takes no write lock when nothing waits, so a search does not queue
 * behind another process's import for nothing.
 */
export function indexPendingSearch(db: Db, limit = Number.MAX_SAFE_INTEGER): number {
  if (pendingSearchCount(db) === 0) return 0;
  const next = 'SELECT message_id FROM fts_pending ORDER BY message_id LIMIT ?';
  return writeTransaction(db, () => {
    stmt(
      db,
      `INSERT INTO messages_fts (rowid, subject, from_addr, text)
         SELECT id, subject, from_addr, text FROM messages WHERE id IN (${next})`,
    ).run(limit);
    stmt(db, `DELETE FROM fts_pending WHERE message_id IN (${next})`).run(limit);
    return pendingSearchCount(db);
  });
}
