import type { Migration } from './index';

/**
 * What a label teaches about the model before it is learned: the spam
 * probability the model gave the message just before the label was applied,
 * and which model gave it (a run, or the live copy learning on top of it).
 * A run saved from a live copy keeps its lineage: the run it learned on top of
 * and the label events it learned.
 */
export const labelWatch: Migration = {
  version: 8,
  description: 'labels record the probability given before them; runs saved from a live copy keep their base run and learned labels',
  up: (db) => {
    db.exec(`
      ALTER TABLE label_events ADD COLUMN probability REAL;
      ALTER TABLE label_events ADD COLUMN scored_by_run INTEGER;
      ALTER TABLE label_events ADD COLUMN scored_live INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE runs ADD COLUMN base_run_id INTEGER;
      ALTER TABLE runs ADD COLUMN learned_events_json TEXT;
    `);
  },
};
