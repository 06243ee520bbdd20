// Import batches: each import (a folder, files, an IMAP sync) is one row, and
// every message it added carries its id, so the batch can be listed and undone.
import type { ImportBatch, ImportHistory } from '../../../shared/contract';
import { ApiError } from '../../../shared/errors';
import { Db, stmt, writeTransaction } from './open';
import { deleteMessagesWhere, Removed } from './messages';

/** Starts a batch: what was asked for and by which door (the label origin: import, cli, mailbox). */
export function startImport(db: Db, paths: readonly string[], origin: string): number {
  return writeTransaction(db, () =>
    Number(
      stmt(db, 'INSERT INTO imports (started_at, paths_json, origin) VALUES (?, ?, ?)').run(Date.now(), JSON.stringify(paths), origin)
        .lastInsertRowid,
    ),
  );
}

/** Adds what one written batch of messages did; runs inside the transaction that wrote them. */
export function addImportCounts(db: Db, id: number, delta: { imported: number; duplicates: number; labeled: number }): void {
  stmt(db, 'UPDATE imports SET imported = imported + ?, duplicates = duplicates + ?, labeled = labeled + ? WHERE id = ?').run(
    delta.imported,
    delta.duplicates,
    delta.labeled,
    id,
  );
}

export function finishImport(db: Db, id: number, failed: number): void {
  writeTransaction(db, () => stmt(db, 'UPDATE imports SET finished_at = ?, failed = failed + ? WHERE id = ?').run(Date.now(), failed, id));
}

/** Forgets a batch that added nothing (an IMAP sync that found no new mail), unless a message names it. */
export function dropEmptyImport(db: Db, id: number): void {
  writeTransaction(db, () =>
    stmt(db, 'DELETE FROM imports WHERE id = ? AND imported = 0 AND NOT EXISTS (SELECT 1 FROM messages WHERE import_id = ?)').run(id, id),
  );
}

interface BatchRow {
  id: number;
  started_at: number;
  finished_at: number | null;
  paths_json: string;
  origin: string;
  imported: number;
  duplicates: number;
  failed: number;
  undone_at: number | null;
  messages: number;
  labeled: number;
}

const toBatch = (row: BatchRow): ImportBatch => ({
  id: row.id,
  startedAt: row.started_at,
  finishedAt: row.finished_at,
  paths: JSON.parse(row.paths_json) as string[],
  origin: row.origin,
  imported: row.imported,
  duplicates: row.duplicates,
  failed: row.failed,
  messages: row.messages,
  labeled: row.labeled,
  undoneAt: row.undone_at,
});

/** Every batch, newest first, with how many of its messages are still stored and labeled; and the messages from before import history, per source. */
export function listImports(db: Db): ImportHistory {
  // Counted from the (import_id, source) index and from the labels, never by reading every message: fast at 100,000.
  const batches = stmt(
    db,
    `SELECT i.id, i.started_at, i.finished_at, i.paths_json, i.origin, i.imported, i.duplicates, i.failed, i.undone_at,
            coalesce(c.messages, 0) AS messages, coalesce(l.labeled, 0) AS labeled
       FROM imports i
       LEFT JOIN (SELECT import_id, count(*) AS messages FROM messages WHERE import_id IS NOT NULL GROUP BY import_id) c
              ON c.import_id = i.id
       LEFT JOIN (SELECT m.import_id, count(*) AS labeled FROM labels lb JOIN messages m ON m.id = lb.message_id
                   WHERE m.import_id IS NOT NULL GROUP BY m.import_id) l ON l.import_id = i.id
      ORDER BY i.id DESC`,
  ).all() as BatchRow[];
  const labeledBySource = new Map(
    (
      stmt(
        db,
        `SELECT m.source, count(*) AS labeled FROM labels lb JOIN messages m ON m.id = lb.message_id
          WHERE m.import_id IS NULL GROUP BY m.source`,
      ).all() as Array<{ source: string; labeled: number }>
    ).map((r) => [r.source, r.labeled]),
  );
  const sources = (
    stmt(
      db,
      'SELECT source, count(*) AS count FROM messages WHERE import_id IS NULL GROUP BY source ORDER BY count DESC, source',
    ).all() as Array<{
      source: string;
      count: number;
    }>
  ).map((s) => ({ ...s, labeled: labeledBySource.get(s.source) ?? 0 }));
  return {
    batches: batches.map(toBatch),
    before: {
      messages: sources.reduce((n, s) => n + s.count, 0),
      labeled: sources.reduce((n, s) => n + s.labeled, 0),
      sources,
    },
  };
}

/**
 * Removes the messages a batch added, with everything stored about them, in
 * one transaction, and marks the batch undone (it stays in the history).
 */
export function undoImport(db: Db, id: number): Removed {
  return writeTransaction(db, () => {
    const row = stmt(db, 'SELECT undone_at FROM imports WHERE id = ?').get(id) as { undone_at: number | null } | undefined;
    if (!row) throw new ApiError('not-found', `import ${id} does not exist`);
    if (row.undone_at !== null)
      throw new ApiError('conflict', `import ${id} was undone already, on ${new Date(row.undone_at).toISOString()}`);
    // Mail a sync brought in is fetched again by the next sync: each folder goes back to before the first UID removed.
    const synced = stmt(
      db,
      `SELECT p.account_id AS accountId, p.folder, p.uidvalidity, min(p.uid) AS firstUid
         FROM imap_messages p JOIN messages m ON m.id = p.message_id WHERE m.import_id = ? GROUP BY p.account_id, p.folder, p.uidvalidity`,
    ).all(id) as Array<{ accountId: number; folder: string; uidvalidity: string; firstUid: number }>;
    const removed = deleteMessagesWhere(db, 'm.import_id = ?', [id]);
    for (const f of synced) {
      stmt(db, 'UPDATE imap_folders SET last_uid = min(last_uid, ?) WHERE account_id = ? AND path = ? AND uidvalidity = ?').run(
        f.firstUid - 1,
        f.accountId,
        f.folder,
        f.uidvalidity,
      );
    }
    stmt(db, 'UPDATE imports SET undone_at = ? WHERE id = ?').run(Date.now(), id);
    return removed;
  });
}
