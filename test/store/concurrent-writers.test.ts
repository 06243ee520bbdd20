// Another process writing (a CLI import) must make a label wait, never fail:
// a write transaction that reads first and upgrades later fails at once with
// SQLITE_BUSY_SNAPSHOT when another writer committed meanwhile; one that
// begins IMMEDIATE waits its turn under busy_timeout.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseMail } from '../../electron/backend/ingest/parse';
import { labelMail } from '../../electron/backend/ingest/label-mail';
import { currentLabel, setLabel, undoLastLabel } from '../../electron/backend/store/labels';
import { storeMessage } from '../../electron/backend/store/messages';
import { openStore } from '../../electron/backend/store/open';
import { tempDir } from '../support/cli';
import { loadCorpus } from '../support/corpus';

const dir = tempDir('writers');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/**
 * A second process that takes the write lock, says so, writes, and commits
 * after `holdMs`: what an import's batch does to everyone else.
 */
async function otherWriter(file: string, holdMs: number): Promise<{ committed: Promise<void> }> {
  const script = `
    const db = new (require('better-sqlite3'))(process.argv[1]);
    db.pragma('busy_timeout = 5000');
    db.exec('BEGIN IMMEDIATE');
    db.prepare("INSERT INTO settings(key, value) VALUES ('other-writer', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value").run(String(Date.now()));
    process.stdout.write('locked\\n');
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, Number(process.argv[2]));
    db.exec('COMMIT');
  `;
  const child = spawn(process.execPath, ['-e', script, file, String(holdMs)], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => chunk.toString().includes('locked') && resolve());
    child.once('exit', (code) => reject(new Error(`other writer exited with ${code} before taking the lock`)));
  });
  const committed = new Promise<void>((resolve, reject) =>
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`other writer exited with ${code}`)))),
  );
  return { committed };
}

describe('writes while another process holds the write lock', () => {
  it('label, undo and label-from-a-mail-client wait for it and succeed', async () => {
    const file = path.join(dir, 'spamlab.db');
    const db = openStore(file);
    const [first, second] = loadCorpus({ perGroup: 1 });
    const { id } = storeMessage(db, { mail: await parseMail(first!.bytes), source: 'test', sourceRef: null, raw: first!.bytes });
    const secondMail = { mail: await parseMail(second!.bytes), source: 'test', sourceRef: null, raw: second!.bytes };
    const writes: Array<[string, () => unknown]> = [
      ['setLabel', () => setLabel(db, id, 'spam', 'user')],
      ['undoLastLabel', () => undoLastLabel(db)],
      ['labelMail', () => labelMail(db, secondMail, 'ham', 'cli')],
    ];
    for (const [name, write] of writes) {
      const other = await otherWriter(file, 1000);
      // The read half of each write sees the database before the other writer commits.
      const started = Date.now();
      expect(write, name).not.toThrow();
      expect(Date.now() - started, `${name} waited for the other writer`).toBeGreaterThanOrEqual(100);
      await other.committed;
    }
    expect(currentLabel(db, id)).toBeNull();
    expect(db.prepare(`SELECT value FROM settings WHERE key = 'other-writer'`).pluck().get()).toEqual(expect.any(String));
    db.close();
  });
});
