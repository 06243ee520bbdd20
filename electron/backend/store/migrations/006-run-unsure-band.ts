import type { Migration } from './index';

/** A run's decision policy may call the probabilities just under its threshold unsure. */
export const runUnsureBand: Migration = {
  version: 6,
  description: 'runs keep an unsure band under their threshold',
  up: (db) => {
    db.exec('ALTER TABLE runs ADD COLUMN unsure_below REAL');
  },
};
