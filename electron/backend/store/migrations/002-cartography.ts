import type { Migration } from './index';

/** Training dynamics per example (dataset cartography) the stale flag and the owning process of runs. */
export const cartography: Migration = {
  version: 2,
  description: 'per-example training dynamics; runs know when labels changed after them',
  up: (db) => {
    db.exec(`
      CREATE TABLE example_dynamics (
        run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        message_id INTEGER NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
        confidence REAL NOT NULL,
        variability REAL NOT NULL,
        PRIMARY KEY (run_id, message_id)
      );
      ALTER TABLE runs ADD COLUMN labels_changed_after INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE runs ADD COLUMN owner_pid INTEGER;
    `);
  },
};
