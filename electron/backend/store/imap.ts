// IMAP accounts, per-folder sync state, where messages were seen and what was done on the server.
import type { FolderRole, ImapSecurity } from '../../../shared/contract';
import { ApiError } from '../../../shared/errors';
import { Db, stmt } from './open';

export interface AccountRow {
  id: number;
  name: string;
  host: string;
  port: number;
  security: ImapSecurity;
  user: string;
  cert_sha256: string | null;
  cert_pem: string | null;
}

export function insertAccount(db: Db, a: Omit<AccountRow, 'id' | 'cert_sha256' | 'cert_pem'>): void {
  const exists = stmt(db, 'SELECT 1 FROM imap_accounts WHERE name = ?').get(a.name);
  if (exists) throw new ApiError('conflict', `an IMAP account named "${a.name}" exists already`);
  stmt(db, 'INSERT INTO imap_accounts (name, host, port, security, user, created_at) VALUES (?, ?, ?, ?, ?, ?)').run(
    a.name,
    a.host,
    a.port,
    a.security,
    a.user,
    Date.now(),
  );
}

export function accountByName(db: Db, name: string): AccountRow {
  const row = stmt(db, 'SELECT * FROM imap_accounts WHERE name = ?').get(name) as AccountRow | undefined;
  if (!row) throw new ApiError('not-found', `no IMAP account named "${name}"`);
  return row;
}

export const listAccounts = (db: Db) => stmt(db, 'SELECT * FROM imap_accounts ORDER BY name').all() as AccountRow[];

export const removeAccount = (db: Db, name: string) => stmt(db, 'DELETE FROM imap_accounts WHERE name = ?').run(name).changes > 0;

export function pinCertificate(db: Db, accountId: number, sha256: string, pem: string): void {
  stmt(db, 'UPDATE imap_accounts SET cert_sha256 = ?, cert_pem = ? WHERE id = ?').run(sha256, pem, accountId);
}

export interface FolderState {
  path: string;
  role: FolderRole;
  uidvalidity: string | null;
  last_uid: number;
}

export const folderStates = (db: Db, accountId: number) =>
  stmt(db, 'SELECT path, role, uidvalidity, last_uid FROM imap_folders WHERE account_id = ? ORDER BY path').all(accountId) as FolderState[];

/** Records a folder's mapping; a new UIDVALIDITY starts it again from UID 0. */
export function saveFolderState(db: Db, accountId: number, state: FolderState): void {
  stmt(
    db,
    `INSERT INTO imap_folders (account_id, path, role, uidvalidity, last_uid) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT(account_id, path) DO UPDATE SET role = excluded.role, uidvalidity = excluded.uidvalidity, last_uid = excluded.last_uid`,
  ).run(accountId, state.path, state.role, state.uidvalidity, state.last_uid);
}

export interface Place {
  folder: string;
  uidvalidity: string;
  uid: number;
}

export function placeOf(db: Db, accountId: number, messageId: number): Place | null {
  return (
    (stmt(db, 'SELECT folder, uidvalidity, uid FROM imap_messages WHERE account_id = ? AND message_id = ?').get(accountId, messageId) as
      Place | undefined) ?? null
  );
}

export function setPlace(db: Db, accountId: number, messageId: number, place: Place): void {
  stmt(
    db,
    `INSERT INTO imap_messages (account_id, message_id, folder, uidvalidity, uid) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT(account_id, message_id) DO UPDATE SET folder = excluded.folder, uidvalidity = excluded.uidvalidity, uid = excluded.uid`,
  ).run(accountId, messageId, place.folder, place.uidvalidity, place.uid);
}

/** Messages of a folder the filter has never acted on (an undone action is the user's no). */
export function unfilteredIn(db: Db, accountId: number, folder: string) {
  return stmt(
    db,
    `SELECT p.message_id AS messageId, p.uid, p.uidvalidity, m.subject FROM imap_messages p JOIN messages m ON m.id = p.message_id
      WHERE p.account_id = ? AND p.folder = ?
        AND NOT EXISTS (SELECT 1 FROM imap_actions a WHERE a.account_id = p.account_id AND a.message_id = p.message_id)
      ORDER BY p.uid`,
  ).all(accountId, folder) as Array<{ messageId: number; uid: number; uidvalidity: string; subject: string }>;
}

export interface ActionRow {
  id: number;
  message_id: number;
  kind: 'move' | 'flag';
  from_folder: string;
  to_folder: string;
  uid: number;
}

export function logAction(
  db: Db,
  accountId: number,
  a: Omit<ActionRow, 'id'> & { probability: number; runId: number; pass: number },
): void {
  stmt(
    db,
    `INSERT INTO imap_actions (account_id, message_id, kind, from_folder, to_folder, uid, probability, run_id, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(accountId, a.message_id, a.kind, a.from_folder, a.to_folder, a.uid, a.probability, a.runId, a.pass);
}

/** The actions of the newest filter pass not undone yet (a pass's actions share its start time). */
export function lastActions(db: Db, accountId: number): ActionRow[] {
  const last = stmt(db, 'SELECT max(at) FROM imap_actions WHERE account_id = ? AND undone = 0').pluck().get(accountId) as number | null;
  if (last === null) return [];
  return stmt(
    db,
    `SELECT id, message_id, kind, from_folder, to_folder, uid FROM imap_actions
      WHERE account_id = ? AND undone = 0 AND at = ? ORDER BY id`,
  ).all(accountId, last) as ActionRow[];
}

export const markUndone = (db: Db, actionId: number) => stmt(db, 'UPDATE imap_actions SET undone = 1 WHERE id = ?').run(actionId);

/** Whether the filter ever acted on the message (moved or flagged it, undone or not): its folder says what the filter thought, not the user. */
export const actedOn = (db: Db, accountId: number, messageId: number) =>
  stmt(db, 'SELECT 1 FROM imap_actions WHERE account_id = ? AND message_id = ?').get(accountId, messageId) !== undefined;
