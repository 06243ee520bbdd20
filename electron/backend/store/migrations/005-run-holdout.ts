import type { Migration } from './index';

/** A run records which messages judged it (the newest by date, or a random share) and their span. */
export const runHoldout: Migration = {
  version: 5,
  description: 'runs record their holdout',
  up: (db) => {
    db.exec('ALTER TABLE runs ADD COLUMN holdout_json TEXT');
  },
};
