import type { Migration } from './index';

/**
 * Full-text indexing took two thirds of the time spent storing a message. New
 * messages now only join a backlog, in the same transaction as the message;
 * the backlog is indexed after the import, or before a search that needs it.
 */
export const searchBacklog: Migration = {
  version: 4,
  description: 'full-text index built after import',
  up: (db) => {
    db.exec(`
      CREATE TABLE fts_pending (message_id INTEGER PRIMARY KEY);
      DROP TRIGGER messages_fts_insert;
      CREATE TRIGGER messages_fts_pending AFTER INSERT ON messages BEGIN
        INSERT INTO fts_pending (message_id) VALUES (new.id);
      END;
      DROP TRIGGER messages_fts_delete;
      CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages BEGIN
        INSERT INTO messages_fts(messages_fts, rowid, subject, from_addr, text)
          SELECT 'delete', old.id, old.subject, old.from_addr, old.text
           WHERE NOT EXISTS (SELECT 1 FROM fts_pending WHERE message_id = old.id);
        DELETE FROM fts_pending WHERE message_id = old.id;
      END;
    `);
  },
};
