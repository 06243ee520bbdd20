import type { Migration } from './index';

/** The dataset list and the newest-first queue read messages by (date, id) descending: one index serves both. */
export const listOrder: Migration = {
  version: 3,
  description: 'index for newest-first listing',
  up: (db) => {
    db.exec(`
      DROP INDEX messages_date;
      CREATE INDEX messages_date_id ON messages(date DESC, id DESC);
    `);
  },
};
