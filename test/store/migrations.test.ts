import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore } from '../../electron/backend/store/open';
import { MIGRATIONS, SCHEMA_VERSION } from '../../electron/backend/store/migrations';

const dirs: string[] = [];
function tempDb(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'spamlab-migrate-'));
  dirs.push(dir);
  return path.join(dir, 'spamlab.db');
}
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

type Db = Database.Database;
const insertMessage = (db: Db, hash: string, subject: string, date: number | null = null) =>
  db
    .prepare(`INSERT INTO messages (content_hash, source, imported_at, date, subject, text) VALUES (?, 'x.mbox', 1, ?, ?, 'body words')`)
    .run(hash, date, subject).lastInsertRowid;
const insertRun = (db: Db) =>
  db
    .prepare(
      `INSERT INTO runs (name, status, settings_json, created_at, tokenizer_version) VALUES ('old', 'completed', '{"epochs":3}', 1, 1)`,
    )
    .run().lastInsertRowid;
const ftsMatch = (db: Db, words: string) =>
  db.prepare(`SELECT rowid FROM messages_fts WHERE messages_fts MATCH ? ORDER BY rowid`).pluck().all(words);

/**
 * One step per schema version: rows written at version − 1, then that one
 * migration alone, then what the rows became. A migration without a step here fails the test below.
 */
const STEPS: Record<number, { before(db: Db): void; after(db: Db): void }> = {
  2: {
    before(db) {
      insertMessage(db, 'h1', 'Hello');
      insertRun(db);
    },
    after(db) {
      expect(db.prepare('SELECT name, settings_json, labels_changed_after, owner_pid FROM runs').get()).toEqual({
        name: 'old',
        settings_json: '{"epochs":3}',
        labels_changed_after: 0,
        owner_pid: null,
      });
      db.prepare('INSERT INTO example_dynamics (run_id, message_id, confidence, variability) VALUES (1, 1, 0.9, 0.1)').run();
      db.prepare('DELETE FROM runs').run();
      expect(db.prepare('SELECT count(*) FROM example_dynamics').pluck().get()).toBe(0);
    },
  },
  3: {
    before(db) {
      insertMessage(db, 'h1', 'newer', 200);
      insertMessage(db, 'h2', 'older', 100);
      insertMessage(db, 'h3', 'undated', null);
    },
    after(db) {
      const listing = 'SELECT subject FROM messages ORDER BY date DESC, id DESC LIMIT 10';
      expect(db.prepare(listing).pluck().all()).toEqual(['newer', 'older', 'undated']);
      const plan = db
        .prepare(`EXPLAIN QUERY PLAN ${listing}`)
        .all()
        .map((row) => (row as { detail: string }).detail)
        .join(' ');
      expect(plan).toMatch(/messages_date_id/);
      expect(plan).not.toMatch(/TEMP B-TREE/);
    },
  },
  4: {
    before(db) {
      insertMessage(db, 'h1', 'Invoice');
    },
    after(db) {
      // What was indexed stays searchable; a new message waits in the backlog, and a delete takes it out of either.
      expect(ftsMatch(db, 'invoice')).toEqual([1]);
      const receipt = insertMessage(db, 'h2', 'Receipt');
      expect(db.prepare('SELECT message_id FROM fts_pending').pluck().all()).toEqual([receipt]);
      expect(ftsMatch(db, 'receipt')).toEqual([]);
      db.prepare(`DELETE FROM messages WHERE content_hash IN ('h1', 'h2')`).run();
      expect(db.prepare('SELECT count(*) FROM fts_pending').pluck().get()).toBe(0);
      expect(ftsMatch(db, 'invoice')).toEqual([]);
      expect(() => db.prepare(`INSERT INTO messages_fts (messages_fts) VALUES ('integrity-check')`).run()).not.toThrow();
    },
  },
  5: {
    before(db) {
      insertRun(db);
    },
    after(db) {
      expect(db.prepare('SELECT name, settings_json, holdout_json FROM runs').get()).toEqual({
        name: 'old',
        settings_json: '{"epochs":3}',
        holdout_json: null,
      });
    },
  },
  6: {
    before(db) {
      insertRun(db);
      db.prepare('UPDATE runs SET threshold = 0.8').run();
    },
    after(db) {
      // A run from before keeps its threshold and has no unsure band; a band can then be set.
      expect(db.prepare('SELECT name, threshold, unsure_below FROM runs').get()).toEqual({
        name: 'old',
        threshold: 0.8,
        unsure_below: null,
      });
      db.prepare('UPDATE runs SET unsure_below = 0.3').run();
      expect(db.prepare('SELECT unsure_below FROM runs').pluck().get()).toBe(0.3);
      // The sender lists start empty and hold one list per entry.
      expect(db.prepare('SELECT count(*) FROM sender_lists').pluck().get()).toBe(0);
      db.prepare(`INSERT INTO sender_lists (entry, list, added_at) VALUES ('example.com', 'allow', 1)`).run();
      expect(() => db.prepare(`INSERT INTO sender_lists (entry, list, added_at) VALUES ('example.com', 'block', 2)`).run()).toThrow();
      expect(() => db.prepare(`INSERT INTO sender_lists (entry, list, added_at) VALUES ('other.com', 'maybe', 2)`).run()).toThrow();
    },
  },
  7: {
    before(db) {
      insertMessage(db, 'h1', 'kept');
    },
    after(db) {
      expect(db.prepare('SELECT subject FROM messages').pluck().all()).toEqual(['kept']);
      db.prepare(`INSERT INTO imap_accounts (name, host, port, security, user, created_at) VALUES ('a', 'h', 993, 'tls', 'u', 1)`).run();
      db.prepare(`INSERT INTO imap_folders (account_id, path, role, uidvalidity, last_uid) VALUES (1, 'INBOX', 'ham', '7', 3)`).run();
      db.prepare(`INSERT INTO imap_messages (account_id, message_id, folder, uidvalidity, uid) VALUES (1, 1, 'INBOX', '7', 3)`).run();
      expect(() =>
        db.prepare(`INSERT INTO imap_accounts (name, host, port, security, user, created_at) VALUES ('b', 'h', 1, 'none', 'u', 1)`).run(),
      ).toThrow(/CHECK/);
      // An account removed takes its sync state and message places along, never the messages.
      db.prepare('DELETE FROM imap_accounts').run();
      expect(db.prepare('SELECT count(*) FROM imap_folders').pluck().get()).toBe(0);
      expect(db.prepare('SELECT count(*) FROM imap_messages').pluck().get()).toBe(0);
      expect(db.prepare('SELECT count(*) FROM messages').pluck().get()).toBe(1);
    },
  },
  8: {
    before(db) {
      const message = insertMessage(db, 'h1', 'kept');
      insertRun(db);
      db.prepare(`INSERT INTO label_events (message_id, label, previous, at, origin) VALUES (?, 'spam', NULL, 5, 'user')`).run(message);
    },
    after(db) {
      // Labels from before carry no probability; runs from before have no lineage.
      expect(db.prepare('SELECT label, probability, scored_by_run, scored_live FROM label_events').get()).toEqual({
        label: 'spam',
        probability: null,
        scored_by_run: null,
        scored_live: 0,
      });
      expect(db.prepare('SELECT name, base_run_id, learned_events_json FROM runs').get()).toEqual({
        name: 'old',
        base_run_id: null,
        learned_events_json: null,
      });
    },
  },
  9: {
    before(db) {
      const message = insertMessage(db, 'h1', 'kept');
      insertMessage(db, 'h2', 'newest');
      insertRun(db);
      db.prepare(
        `INSERT INTO label_events (message_id, label, previous, at, origin, probability) VALUES (?, 'spam', NULL, 5, 'user', 0.25)`,
      ).run(message);
      db.prepare(`INSERT INTO label_events (message_id, label, previous, at, origin) VALUES (2, 'ham', NULL, 6, 'user')`).run();
      db.prepare(
        `INSERT INTO predictions (run_id, message_id, split, label, probability, loss) VALUES (1, 2, 'train', 'ham', 0.1, 0.1)`,
      ).run();
    },
    after(db) {
      // Messages from before carry no batch: "before import history"; their labels and history stay as they were.
      expect(db.prepare('SELECT subject, import_id FROM messages ORDER BY id').all()).toEqual([
        { subject: 'kept', import_id: null },
        { subject: 'newest', import_id: null },
      ]);
      expect(db.prepare('SELECT id, message_id, label, at, origin, probability, scored_live FROM label_events ORDER BY id').all()).toEqual([
        { id: 1, message_id: 1, label: 'spam', at: 5, origin: 'user', probability: 0.25, scored_live: 0 },
        { id: 2, message_id: 2, label: 'ham', at: 6, origin: 'user', probability: null, scored_live: 0 },
      ]);
      expect(db.prepare('SELECT count(*) FROM imports').pluck().get()).toBe(0);
      const batch = db
        .prepare(`INSERT INTO imports (started_at, paths_json, origin) VALUES (1, '["/mail/spam"]', 'import')`)
        .run().lastInsertRowid;
      db.prepare(`INSERT INTO messages (content_hash, source, imported_at, import_id) VALUES ('h3', 'x', 1, ?)`).run(batch);
      expect(() =>
        db.prepare(`INSERT INTO messages (content_hash, source, imported_at, import_id) VALUES ('h4', 'x', 1, 99)`).run(),
      ).toThrow(/FOREIGN KEY/);
      // Deleting a message takes its label history and predictions along, looked up by index, not by scanning.
      const plan = (sql: string) =>
        db
          .prepare(`EXPLAIN QUERY PLAN ${sql}`)
          .all()
          .map((row) => (row as { detail: string }).detail)
          .join(' ');
      for (const table of ['predictions', 'scores', 'example_dynamics', 'imap_messages', 'imap_actions', 'label_events'])
        expect(plan(`DELETE FROM ${table} WHERE message_id = 2`), table).toMatch(/USING (COVERING )?INDEX/);
      db.prepare('DELETE FROM messages WHERE id = 2').run();
      expect(db.prepare('SELECT count(*) FROM predictions').pluck().get()).toBe(0);
      expect(db.prepare('SELECT message_id FROM label_events').pluck().all()).toEqual([1]);
      // The newest label event went with its message; its id is not given out again.
      db.prepare(`INSERT INTO label_events (message_id, label, previous, at, origin) VALUES (1, 'ham', 'spam', 7, 'user')`).run();
      expect(db.prepare('SELECT max(id) FROM label_events').pluck().get()).toBe(3);
    },
  },
};

describe('migration files', () => {
  const dir = path.join(__dirname, '..', '..', 'electron', 'backend', 'store', 'migrations');
  const files = fs.readdirSync(dir).filter((name) => name !== 'index.ts');

  it('are numbered 1, 2, 3… without gaps, each named by its version', async () => {
    expect(
      files.every((name) => /^\d{3}-[a-z0-9-]+\.ts$/.test(name)),
      files.join(', '),
    ).toBe(true);
    const versions = files.map((name) => Number(name.slice(0, 3))).sort((a, b) => a - b);
    expect(versions).toEqual(versions.map((_, i) => i + 1));
    for (const name of files) {
      const exported = Object.values(await import(path.join(dir, name))) as Array<{ version: number }>;
      expect(
        exported.map((m) => m.version),
        name,
      ).toEqual([Number(name.slice(0, 3))]);
      expect(MIGRATIONS).toContain(exported[0]);
    }
    expect(MIGRATIONS.map((m) => m.version)).toEqual(versions);
    expect(SCHEMA_VERSION).toBe(versions.length);
  });

  it('each have a step test below', () => {
    expect(Object.keys(STEPS).map(Number)).toEqual(MIGRATIONS.slice(1).map((m) => m.version));
  });
});

describe.each(Object.entries(STEPS).map(([version, step]) => ({ version: Number(version), step })))(
  'migration $version alone',
  ({ version, step }) => {
    it(`takes a version ${version - 1} database with rows in it to version ${version}`, () => {
      const file = tempDb();
      const before = openStore(file, { targetVersion: version - 1 });
      expect(before.pragma('user_version', { simple: true })).toBe(version - 1);
      step.before(before);
      before.close();
      const after = openStore(file, { targetVersion: version });
      expect(after.pragma('user_version', { simple: true })).toBe(version);
      step.after(after);
      after.close();
    });
  },
);

describe('migrations', () => {
  it('creates a new database at the latest version', () => {
    const db = openStore(':memory:');
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(db.pragma('journal_mode', { simple: true })).toBe('memory');
    db.close();
  });

  it('uses WAL on a file', () => {
    const db = openStore(tempDb());
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
  });

  it('migrates a version 1 database with rows in it, keeping them, after making a backup', () => {
    const file = tempDb();
    const v1 = openStore(file, { targetVersion: 1 });
    expect(v1.pragma('user_version', { simple: true })).toBe(1);
    v1.prepare(
      `INSERT INTO messages (content_hash, source, imported_at, subject, text) VALUES ('h1', 'x.mbox', 1, 'Hello', 'body words')`,
    ).run();
    v1.prepare(`INSERT INTO labels (message_id, label, updated_at) VALUES (1, 'spam', 1)`).run();
    v1.prepare(`INSERT INTO label_events (message_id, label, previous, at, origin) VALUES (1, 'spam', NULL, 1, 'user')`).run();
    v1.prepare(
      `INSERT INTO runs (name, status, settings_json, created_at, tokenizer_version) VALUES ('old', 'completed', '{}', 1, 1)`,
    ).run();
    v1.close();

    const db = openStore(file);
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(db.prepare('SELECT subject, text FROM messages').get()).toEqual({ subject: 'Hello', text: 'body words' });
    expect(db.prepare('SELECT label FROM labels WHERE message_id = 1').pluck().get()).toBe('spam');
    expect(db.prepare('SELECT labels_changed_after FROM runs').pluck().get()).toBe(0);
    expect(db.prepare(`SELECT rowid FROM messages_fts WHERE messages_fts MATCH 'hello'`).pluck().all()).toEqual([1]);
    db.close();

    const backups = fs.readdirSync(path.dirname(file)).filter((f) => f.endsWith('.bak'));
    expect(backups).toHaveLength(1);
    expect(backups[0]).toMatch(/^spamlab\.db\.v1-/);
    const backup = new Database(path.join(path.dirname(file), backups[0]!), { readonly: true });
    expect(backup.pragma('user_version', { simple: true })).toBe(1);
    expect(backup.prepare('SELECT count(*) FROM labels').pluck().get()).toBe(1);
    backup.close();
  });

  /** The file's bytes and the names beside it: a refused file, and its folder, must be exactly as they were. */
  const snapshot = (file: string) => ({
    sha256: createHash('sha256').update(fs.readFileSync(file)).digest('hex'),
    files: fs.readdirSync(path.dirname(file)).sort(),
  });

  it('refuses a database from a newer spamlab and leaves it untouched, even in rollback-journal mode', () => {
    const file = tempDb();
    openStore(file).close();
    const raw = new Database(file);
    raw.pragma('journal_mode = DELETE');
    raw.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    raw.close();
    const before = snapshot(file);
    expect(() => openStore(file)).toThrow(/schema version \d+, newer than this spamlab understands.*it was not changed/);
    expect(snapshot(file)).toEqual(before);
  });

  it('refuses an SQLite file that is not a spamlab database and leaves it untouched', () => {
    const file = tempDb();
    const raw = new Database(file);
    raw.exec('CREATE TABLE invoices (id INTEGER)');
    raw.close();
    const before = snapshot(file);
    expect(() => openStore(file)).toThrow(`${file}: this SQLite file is not a spamlab database; it was not changed.`);
    expect(snapshot(file)).toEqual(before);
  });

  it('refuses a file that is not SQLite at all, naming it', () => {
    const file = tempDb();
    fs.writeFileSync(file, 'this is not a database, just text '.repeat(100));
    expect(() => openStore(file)).toThrow(file);
  });

  it('marks a run left running by a dead process as failed on open', () => {
    const file = tempDb();
    const db = openStore(file);
    db.prepare(
      `INSERT INTO runs (name, status, settings_json, created_at, tokenizer_version, owner_pid) VALUES ('r', 'running', '{}', 1, 1, 2147483646)`,
    ).run();
    db.close();
    const reopened = openStore(file);
    expect(reopened.prepare('SELECT status, error FROM runs').get()).toEqual({
      status: 'failed',
      error: expect.stringMatching(/interrupted/),
    });
    reopened.close();
  });
});
