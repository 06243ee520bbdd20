import type { Migration } from './index';

/**
 * Each import is a batch the user can see and undo: what was asked for, by
 * which door, when, and what came of it; every message it added carries its
 * id (messages from before stay null: "before import history").
 *
 * Messages can now be deleted, so:
 * - each table that names a message gets an index on message_id: deleting a
 *   message looks up its rows in every such table (the ON DELETE CASCADE), and
 *   without one that is a full scan of, say, every run's predictions per message;
 * - label_events ids are never reused (AUTOINCREMENT): the live copy and runs
 *   saved from it name label events by id and learn "the events after id N",
 *   which a reused id would silently skip.
 */
export const importBatches: Migration = {
  version: 9,
  description: 'import batches: imports table, messages.import_id; message_id indexes for deletes; label event ids never reused',
  up: (db) => {
    db.exec(`
      CREATE TABLE imports (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        started_at INTEGER NOT NULL,
        finished_at INTEGER,
        paths_json TEXT NOT NULL,
        origin TEXT NOT NULL,
        imported INTEGER NOT NULL DEFAULT 0,
        duplicates INTEGER NOT NULL DEFAULT 0,
        failed INTEGER NOT NULL DEFAULT 0,
        labeled INTEGER NOT NULL DEFAULT 0,
        undone_at INTEGER
      );
      ALTER TABLE messages ADD COLUMN import_id INTEGER REFERENCES imports(id);
      CREATE INDEX messages_import ON messages(import_id, date DESC, id DESC);
      -- The import history counts messages per batch and, before it, per source without reading the rows.
      CREATE INDEX messages_import_source ON messages(import_id, source);

      CREATE INDEX predictions_message ON predictions(message_id);
      CREATE INDEX scores_message ON scores(message_id);
      CREATE INDEX example_dynamics_message ON example_dynamics(message_id);
      CREATE INDEX imap_messages_message ON imap_messages(message_id);
      CREATE INDEX imap_actions_message ON imap_actions(message_id);

      CREATE TABLE label_events_new (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        message_id INTEGER NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
        label TEXT CHECK (label IN ('spam', 'ham')),
        previous TEXT CHECK (previous IN ('spam', 'ham')),
        at INTEGER NOT NULL,
        origin TEXT NOT NULL,
        undone INTEGER NOT NULL DEFAULT 0,
        probability REAL,
        scored_by_run INTEGER,
        scored_live INTEGER NOT NULL DEFAULT 0
      );
      INSERT INTO label_events_new (id, message_id, label, previous, at, origin, undone, probability, scored_by_run, scored_live)
        SELECT id, message_id, label, previous, at, origin, undone, probability, scored_by_run, scored_live FROM label_events;
      DROP TABLE label_events;
      ALTER TABLE label_events_new RENAME TO label_events;
      CREATE INDEX label_events_message ON label_events(message_id);
      -- The running score reads the newest labels that carry a before-label probability, on every label: only those are indexed.
      CREATE INDEX label_events_scored ON label_events(id) WHERE probability IS NOT NULL;
    `);
  },
};
