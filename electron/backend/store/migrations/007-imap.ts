import type { Migration } from './index';

/**
 * IMAP accounts (never their passwords), each synced folder's UIDVALIDITY and
 * last UID (written in the same transaction as the messages they cover, so a
 * killed sync resumes where its last batch ended), where each stored message
 * was last seen on the server, and every action taken on the server.
 */
export const imap: Migration = {
  version: 7,
  description: 'IMAP accounts, sync state and actions',
  up: (db) => {
    db.exec(`
      CREATE TABLE imap_accounts (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        host TEXT NOT NULL,
        port INTEGER NOT NULL,
        security TEXT NOT NULL CHECK (security IN ('tls', 'starttls', 'plain')),
        user TEXT NOT NULL,
        cert_sha256 TEXT,
        cert_pem TEXT,
        created_at INTEGER NOT NULL
      );
      CREATE TABLE imap_folders (
        account_id INTEGER NOT NULL REFERENCES imap_accounts(id) ON DELETE CASCADE,
        path TEXT NOT NULL,
        role TEXT NOT NULL CHECK (role IN ('spam', 'ham', 'unlabeled')),
        uidvalidity TEXT,
        last_uid INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (account_id, path)
      );
      CREATE TABLE imap_messages (
        account_id INTEGER NOT NULL REFERENCES imap_accounts(id) ON DELETE CASCADE,
        message_id INTEGER NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
        folder TEXT NOT NULL,
        uidvalidity TEXT NOT NULL,
        uid INTEGER NOT NULL,
        PRIMARY KEY (account_id, message_id)
      );
      CREATE INDEX imap_messages_place ON imap_messages(account_id, folder, uid);
      CREATE TABLE imap_actions (
        id INTEGER PRIMARY KEY,
        account_id INTEGER NOT NULL REFERENCES imap_accounts(id) ON DELETE CASCADE,
        message_id INTEGER NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
        kind TEXT NOT NULL CHECK (kind IN ('move', 'flag')),
        from_folder TEXT NOT NULL,
        to_folder TEXT NOT NULL,
        uid INTEGER NOT NULL,
        probability REAL NOT NULL,
        run_id INTEGER,
        at INTEGER NOT NULL,
        undone INTEGER NOT NULL DEFAULT 0
      );
    `);
  },
};
