import type { SenderList } from '../../../shared/sender-lists';
import type { Db } from './open';

export function listEntries(db: Db): Record<SenderList, string[]> {
  const rows = db.prepare('SELECT entry, list FROM sender_lists ORDER BY entry').all() as Array<{ entry: string; list: SenderList }>;
  return {
    allow: rows.filter((r) => r.list === 'allow').map((r) => r.entry),
    block: rows.filter((r) => r.list === 'block').map((r) => r.entry),
  };
}

/** Puts entries on a list (moving them off the other one). */
export function putEntries(db: Db, list: SenderList, entries: string[]): void {
  const put = db.prepare(
    'INSERT INTO sender_lists (entry, list, added_at) VALUES (?, ?, ?) ON CONFLICT (entry) DO UPDATE SET list = excluded.list, added_at = excluded.added_at',
  );
  const now = Date.now();
  db.transaction(() => entries.forEach((entry) => put.run(entry, list, now)))();
}

export function removeEntries(db: Db, entries: string[]): number {
  const remove = db.prepare('DELETE FROM sender_lists WHERE entry = ?');
  return db.transaction(() => entries.reduce((n, entry) => n + remove.run(entry).changes, 0))();
}

/** The list an address is on: by the address itself, else by its domain. */
export function listOf(db: Db, address: string): SenderList | null {
  const lower = address.toLowerCase();
  const domain = lower.slice(lower.lastIndexOf('@') + 1);
  const rows = db.prepare('SELECT entry, list FROM sender_lists WHERE entry IN (?, ?)').all(lower, domain) as Array<{
    entry: string;
    list: SenderList;
  }>;
  return (rows.find((r) => r.entry === lower) ?? rows[0])?.list ?? null;
}
