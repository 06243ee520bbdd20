import type { Migration } from './index';

export const initial: Migration = {
  version: 1,
  description: 'messages, labels with history, features, runs, curves, predictions, full-text index',
  up: (db) => {
    db.exec(`
      CREATE TABLE messages (
        id INTEGER PRIMARY KEY,
        content_hash TEXT NOT NULL UNIQUE,
        source TEXT NOT NULL,
        source_ref TEXT,
        imported_at INTEGER NOT NULL,
        date INTEGER,
        from_addr TEXT NOT NULL DEFAULT '',
        to_addr TEXT NOT NULL DEFAULT '',
        subject TEXT NOT NULL DEFAULT '',
        headers_json TEXT NOT NULL DEFAULT '[]',
        text TEXT NOT NULL DEFAULT '',
        html TEXT,
        attachments_json TEXT NOT NULL DEFAULT '[]',
        warnings_json TEXT NOT NULL DEFAULT '[]',
        raw BLOB,
        size INTEGER NOT NULL DEFAULT 0
      );
      CREATE INDEX messages_date ON messages(date);
      CREATE INDEX messages_source ON messages(source);

      CREATE TABLE labels (
        message_id INTEGER PRIMARY KEY REFERENCES messages(id) ON DELETE CASCADE,
        label TEXT NOT NULL CHECK (label IN ('spam', 'ham')),
        updated_at INTEGER NOT NULL
      );
      CREATE INDEX labels_label ON labels(label);

      CREATE TABLE label_events (
        id INTEGER PRIMARY KEY,
        message_id INTEGER NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
        label TEXT CHECK (label IN ('spam', 'ham')),
        previous TEXT CHECK (previous IN ('spam', 'ham')),
        at INTEGER NOT NULL,
        origin TEXT NOT NULL,
        undone INTEGER NOT NULL DEFAULT 0
      );
      CREATE INDEX label_events_message ON label_events(message_id);

      CREATE TABLE features (
        message_id INTEGER PRIMARY KEY REFERENCES messages(id) ON DELETE CASCADE,
        tokenizer_version INTEGER NOT NULL,
        ids BLOB NOT NULL,
        vals BLOB NOT NULL
      );

      CREATE TABLE runs (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('running', 'completed', 'failed', 'cancelled')),
        settings_json TEXT NOT NULL,
        backend TEXT,
        created_at INTEGER NOT NULL,
        finished_at INTEGER,
        train_count INTEGER NOT NULL DEFAULT 0,
        validation_count INTEGER NOT NULL DEFAULT 0,
        examples_per_second REAL,
        threshold REAL NOT NULL DEFAULT 0.5,
        metrics_json TEXT,
        error TEXT,
        tokenizer_version INTEGER NOT NULL,
        model BLOB
      );

      CREATE TABLE run_curves (
        run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        kind TEXT NOT NULL CHECK (kind IN ('step', 'epoch')),
        step INTEGER NOT NULL,
        epoch INTEGER NOT NULL,
        train_loss REAL NOT NULL,
        val_loss REAL,
        val_auc REAL,
        val_accuracy REAL
      );
      CREATE INDEX run_curves_run ON run_curves(run_id, kind, step);

      CREATE TABLE predictions (
        run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        message_id INTEGER NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
        split TEXT NOT NULL CHECK (split IN ('train', 'validation', 'oof')),
        label TEXT NOT NULL CHECK (label IN ('spam', 'ham')),
        probability REAL NOT NULL,
        loss REAL NOT NULL,
        PRIMARY KEY (run_id, message_id, split)
      );
      CREATE INDEX predictions_loss ON predictions(run_id, split, loss);

      CREATE TABLE scores (
        run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        message_id INTEGER NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
        probability REAL NOT NULL,
        PRIMARY KEY (run_id, message_id)
      );
      CREATE INDEX scores_probability ON scores(run_id, probability);

      CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);

      CREATE VIRTUAL TABLE messages_fts USING fts5(
        subject, from_addr, text, content='messages', content_rowid='id', tokenize='unicode61 remove_diacritics 2'
      );
      CREATE TRIGGER messages_fts_insert AFTER INSERT ON messages BEGIN
        INSERT INTO messages_fts(rowid, subject, from_addr, text) VALUES (new.id, new.subject, new.from_addr, new.text);
      END;
      CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages BEGIN
        INSERT INTO messages_fts(messages_fts, rowid, subject, from_addr, text)
          VALUES ('delete', old.id, old.subject, old.from_addr, old.text);
      END;
    `);
  },
};
