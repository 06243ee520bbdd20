import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore } from '../../electron/backend/store/open';
import { SCHEMA_VERSION } from '../../electron/backend/store/migrations';
import { listMessages } from '../../electron/backend/store/messages';
import { pendingSearchCount } from '../../electron/backend/store/search-index';

const dirs: string[] = [];
function tempDb(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'spamlab-migrate-'));
  dirs.push(dir);
  return path.join(dir, 'spamlab.db');
}
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

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

  it('migrates a version 2 database with rows in it to the (date, id) list index', () => {
    const file = tempDb();
    const v2 = openStore(file, { targetVersion: 2 });
    const insert = v2.prepare(
      `INSERT INTO messages (content_hash, source, imported_at, date, subject, text) VALUES (?, 'x.mbox', 1, ?, ?, 'b')`,
    );
    insert.run('h1', 200, 'newer');
    insert.run('h2', 100, 'older');
    insert.run('h3', null, 'undated');
    v2.close();

    const db = openStore(file);
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    const listing = 'SELECT subject FROM messages ORDER BY date DESC, id DESC LIMIT 10';
    expect(db.prepare(listing).pluck().all()).toEqual(['newer', 'older', 'undated']);
    const plan = db
      .prepare(`EXPLAIN QUERY PLAN ${listing}`)
      .all()
      .map((row) => (row as { detail: string }).detail)
      .join(' ');
    expect(plan).toMatch(/messages_date_id/);
    expect(plan).not.toMatch(/TEMP B-TREE/);
    db.close();
  });

  it('migrates a version 3 database with rows in it to the search backlog, keeping what was indexed searchable', () => {
    const file = tempDb();
    const v3 = openStore(file, { targetVersion: 3 });
    v3.prepare(
      `INSERT INTO messages (content_hash, source, imported_at, subject, text) VALUES ('h1', 'x.mbox', 1, 'Invoice', 'old words')`,
    ).run();
    v3.close();

    const db = openStore(file);
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    const search = (words: string) => listMessages(db, { search: words }, 0, 10, null).rows.map((r) => r.subject);
    expect(search('invoice')).toEqual(['Invoice']);
    db.prepare(
      `INSERT INTO messages (content_hash, source, imported_at, subject, text) VALUES ('h2', 'x.mbox', 2, 'Receipt', 'new words')`,
    ).run();
    expect(pendingSearchCount(db)).toBe(1);
    expect(search('receipt')).toEqual(['Receipt']);
    expect(pendingSearchCount(db)).toBe(0);
    expect(search('words').sort()).toEqual(['Invoice', 'Receipt']);
    // Deleting a message takes it out of the index, or out of the backlog when it never got in.
    db.prepare(
      `INSERT INTO messages (content_hash, source, imported_at, subject, text) VALUES ('h3', 'x.mbox', 3, 'Waiting', 'new words')`,
    ).run();
    db.prepare(`DELETE FROM messages WHERE content_hash IN ('h1', 'h3')`).run();
    expect(pendingSearchCount(db)).toBe(0);
    expect(search('words')).toEqual(['Receipt']);
    expect(() => db.prepare(`INSERT INTO messages_fts (messages_fts) VALUES ('integrity-check')`).run()).not.toThrow();
    db.close();
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
