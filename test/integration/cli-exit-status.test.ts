// `classify --exit-status` in a mail filter: 0 spam, 1 ham, 2 unsure, and 3
// for every failure, so no failure is ever read as a verdict. Without the flag
// the usual 0/1/2 contract stays. The real CLI, as a child process.
import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadCorpus } from '../support/corpus';
import { dbWithModel as dbWithTestModel } from '../support/model-db';
import { openStore } from '../../electron/backend/store/open';
import { spamlab, tempDir } from '../support/cli';

const dir = tempDir('exit-status');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const message = path.join(dir, 'message.eml');
fs.writeFileSync(message, loadCorpus({ perGroup: 1 })[0]!.bytes);

const dbWithModel = (name: string, weight: number) => dbWithTestModel(dir, name, weight);

const classify = (db: string, ...flags: string[]) => spamlab(['classify', '--db', db, ...flags, message]);

function expectFailure(db: string, withoutFlag: number, error: RegExp, ...flags: string[]) {
  const filtered = classify(db, '--exit-status', ...flags);
  expect(filtered.stderr).toMatch(error);
  expect(filtered.stdout).toBe('');
  expect(filtered.status).toBe(3);
  const plain = classify(db, ...flags);
  expect(plain.stderr).toMatch(error);
  expect(plain.status).toBe(withoutFlag);
}

describe('classify --exit-status', () => {
  it('gives the verdict when it can: 0 spam, 1 ham', () => {
    expect(classify(dbWithModel('spammy.db', 1), '--exit-status').status).toBe(0);
    expect(classify(dbWithModel('hammy.db', -1), '--exit-status').status).toBe(1);
  });

  it('exits 3 when no model is trained yet', () => {
    const db = path.join(dir, 'empty.db');
    openStore(db).close();
    expectFailure(db, 2, /no trained model yet/);
  });

  it('exits 3 on a database from a newer spamlab', () => {
    const db = path.join(dir, 'newer.db');
    openStore(db).close();
    const raw = new Database(db);
    raw.pragma('user_version = 999');
    raw.close();
    expectFailure(db, 2, /schema version 999, newer than this spamlab/);
  });

  it('exits 3 on a SQLite file that is not a spamlab database', () => {
    const db = path.join(dir, 'foreign.db');
    const raw = new Database(db);
    raw.exec('CREATE TABLE invoices (id INTEGER PRIMARY KEY)');
    raw.close();
    expectFailure(db, 2, /not a spamlab database/);
  });

  it('exits 3 on a bad flag', () => {
    expectFailure(dbWithModel('flags.db', 1), 2, /Unknown option '--bogus'/, '--bogus');
    expectFailure(dbWithModel('flags2.db', 1), 2, /--run: expected a number/, '--run', 'seven');
  });

  it('exits 3 when the model gives NaN', () => {
    expectFailure(dbWithModel('nan.db', NaN), 1, /NaN/);
  });

  it('exits 3 on an internal error', () => {
    const db = dbWithModel('broken.db', 1);
    const raw = new Database(db);
    raw.prepare(`UPDATE runs SET settings_json = '{'`).run();
    raw.close();
    expectFailure(db, 1, /JSON/);
  });
});
