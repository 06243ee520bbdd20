import type { Migration } from './index';

/** What decides a message besides its probability: an unsure band under a run's threshold, and the user's sender lists. */
export const decisionPolicy: Migration = {
  version: 6,
  description: 'runs keep an unsure band under their threshold; allow and block lists of senders',
  up: (db) => {
    db.exec(`
      ALTER TABLE runs ADD COLUMN unsure_below REAL;
      CREATE TABLE sender_lists (
        entry TEXT PRIMARY KEY,
        list TEXT NOT NULL CHECK (list IN ('allow', 'block')),
        added_at INTEGER NOT NULL
      );
    `);
  },
};
