// `spamlab imap …` against a real Dovecot: certificate trust, a sync killed
// mid-way and resumed, and filtering in place with undo.
import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCorpus, writeMbox } from '../support/corpus';
import { spamlab, spawnSpamlab, tempDir } from '../support/cli';
import { appendMessages, Dovecot, IMAP_PASSWORD, IMAP_USER, startDovecot, testClient, dovecotUnavailable } from '../support/dovecot';

let server: Dovecot;
let dir: string;
const corpus = loadCorpus();
const ham = corpus.filter((m) => m.label === 'ham');
const spam = corpus.filter((m) => m.label === 'spam');
const env = { SPAMLAB_IMAP_PASSWORD: IMAP_PASSWORD };

const db = (name: string) => path.join(dir, `${name}.db`);
const rows = (file: string, sql: string) => {
  const handle = new Database(file, { readonly: true });
  try {
    return handle.prepare(sql).pluck().all();
  } finally {
    handle.close();
  }
};
const run = (args: string[]) => spamlab([...args], { env });
const addPlain = (file: string) =>
  run(['imap', 'add', 'local', '--host', server.host, '--port', String(server.port), '--plain', '--user', IMAP_USER, '--db', file]);

async function folderCount(folder: string): Promise<number> {
  const client = await testClient(server);
  try {
    const status = await client.status(folder, { messages: true });
    return status ? (status.messages ?? 0) : 0;
  } finally {
    await client.logout();
  }
}

const unavailable = dovecotUnavailable() !== null;
beforeAll(async () => {
  if (unavailable) return;
  server = await startDovecot({ tls: true });
  dir = tempDir('imap-cli');
  await appendMessages(
    server,
    'INBOX',
    ham.slice(0, 300).map((m) => m.bytes),
  );
  await appendMessages(
    server,
    'Junk',
    spam.slice(0, 300).map((m) => m.bytes),
  );
  await appendMessages(
    server,
    'Bulk',
    corpus.slice(0, 3000).map((m) => m.bytes),
  );
});

afterAll(() => {
  server?.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(unavailable)('spamlab imap', () => {
  it('names an untrusted certificate with its fingerprint, and trusts it once pinned (TLS and STARTTLS)', () => {
    const file = db('tls');
    for (const [name, flag, port] of [
      ['tls', '--tls', server.tlsPort!],
      ['starttls', '--starttls', server.port],
    ] as const) {
      expect(
        run(['imap', 'add', name, '--host', '127.0.0.1', '--port', String(port), flag, '--user', IMAP_USER, '--db', file]).status,
      ).toBe(0);
      const untrusted = run(['imap', 'test', name, '--db', file, '--json']);
      expect(untrusted.status).toBe(1);
      expect(JSON.parse(untrusted.stdout)).toMatchObject({ ok: false, problem: 'untrusted-certificate', fingerprint: server.fingerprint });
      expect(run(['imap', 'sync', name, '--db', file]).stderr).toContain(server.fingerprint!);
      const wrongPin = run(['imap', 'pin', name, 'AB'.repeat(32), '--db', file]);
      expect(wrongPin.status).toBe(2);
      expect(run(['imap', 'pin', name, server.fingerprint!, '--db', file]).status).toBe(0);
      const trusted = run(['imap', 'test', name, '--db', file, '--json']);
      expect(JSON.parse(trusted.stdout)).toMatchObject({ ok: true });
    }
    expect(JSON.stringify(rows(file, 'SELECT * FROM imap_accounts'))).not.toContain(IMAP_PASSWORD);
  });

  it('refuses a wrong password and a closed port with their own errors and exit statuses', () => {
    const file = db('errors');
    addPlain(file);
    const wrong = spamlab(['imap', 'sync', 'local', '--db', file], { env: { SPAMLAB_IMAP_PASSWORD: 'wrong' } });
    expect(wrong.status).toBe(2);
    expect(wrong.stderr).toMatch(/refused the login for alice/);
    run(['imap', 'add', 'closed', '--host', '127.0.0.1', '--port', '1', '--plain', '--user', 'x', '--db', file]);
    const closed = run(['imap', 'folders', 'closed', '--db', file]);
    expect(closed.status).toBe(2);
    expect(closed.stderr).toMatch(/cannot reach 127\.0\.0\.1:1: connection refused/);
    const remotePlain = run(['imap', 'add', 'far', '--host', 'imap.example.com', '--plain', '--user', 'x', '--db', file]);
    expect(remotePlain.status).toBe(2);
    expect(remotePlain.stderr).toMatch(/plain-text login is only allowed to this machine/);
  });

  it('resumes a sync killed mid-way with no message lost or stored twice', async () => {
    const reference = db('reference');
    addPlain(reference);
    expect(run(['imap', 'sync', 'local', '--folder', 'Bulk=unlabeled', '--db', reference]).status).toBe(0);
    const expected = rows(reference, 'SELECT content_hash FROM messages ORDER BY content_hash');

    const file = db('killed');
    addPlain(file);
    process.env.SPAMLAB_IMAP_PASSWORD = IMAP_PASSWORD;
    const child = spawnSpamlab(['imap', 'sync', 'local', '--folder', 'Bulk=unlabeled', '--db', file]);
    const exited = new Promise((resolve) => child.once('exit', resolve));
    // Killed as soon as the first batches are committed.
    while (child.exitCode === null) {
      if (fs.existsSync(file) && Number(rows(file, 'SELECT count(*) FROM imap_messages')[0]) > 0) {
        child.kill('SIGKILL');
        break;
      }
      await new Promise((r) => setTimeout(r, 10));
    }
    await exited;
    expect(child.signalCode).toBe('SIGKILL');
    const partial = Number(rows(file, 'SELECT count(*) FROM messages')[0]);
    expect(partial).toBeLessThan(expected.length);

    const resumed = run(['imap', 'sync', 'local', '--db', file, '--json']);
    expect(resumed.status).toBe(0);
    const result = JSON.parse(resumed.stdout);
    expect(result.folders[0].fetched).toBeLessThan(3000);
    expect(rows(file, 'SELECT content_hash FROM messages ORDER BY content_hash')).toEqual(expected);
    expect(rows(file, 'SELECT count(*) FROM imap_messages')).toEqual([expected.length]);
  });

  it('filters new INBOX mail above the threshold into Junk, lists it first in a dry run, and undoes it', async () => {
    const file = db('filter');
    addPlain(file);
    expect(run(['imap', 'sync', 'local', '--folder', 'INBOX=ham', '--folder', 'Junk=spam', '--db', file]).status).toBe(0);
    expect(spamlab(['train', '--db', file]).status).toBe(0);
    await appendMessages(
      server,
      'INBOX',
      [...spam.slice(1000, 1010), ...ham.slice(2000, 2010)].map((m) => m.bytes),
    );
    const inbox = await folderCount('INBOX');

    const dry = run(['imap', 'filter', 'local', '--dry-run', '--json', '--db', file]);
    expect(dry.status).toBe(0);
    const planned = JSON.parse(dry.stdout).filter;
    expect(planned.actions.length).toBeGreaterThanOrEqual(5);
    expect(await folderCount('INBOX')).toBe(inbox);

    const moved = JSON.parse(run(['imap', 'filter', 'local', '--json', '--db', file]).stdout).filter;
    expect(moved.actions.map((a: { messageId: number }) => a.messageId)).toEqual(
      planned.actions.map((a: { messageId: number }) => a.messageId),
    );
    for (const action of moved.actions) expect(action.probability).toBeGreaterThanOrEqual(moved.threshold);
    expect(await folderCount('INBOX')).toBe(inbox - moved.actions.length);
    expect(rows(file, `SELECT count(*) FROM imap_actions WHERE kind = 'move' AND undone = 0`)).toEqual([moved.actions.length]);

    // The filter's own moves are not the user's: a sync learns nothing from them.
    const after = JSON.parse(run(['imap', 'sync', 'local', '--json', '--db', file]).stdout);
    expect(after.learned).toEqual({ spam: 0, ham: 0 });

    const undone = JSON.parse(run(['imap', 'undo', 'local', '--json', '--db', file]).stdout);
    expect(undone.undone).toBe(moved.actions.length);
    expect(await folderCount('INBOX')).toBe(inbox);
    const again = JSON.parse(run(['imap', 'sync', 'local', '--json', '--db', file]).stdout);
    expect(again.learned).toEqual({ spam: 0, ham: 0 });
    // What was moved back stays: the filter does not move it again.
    expect(JSON.parse(run(['imap', 'filter', 'local', '--dry-run', '--json', '--db', file]).stdout).filter.actions).toEqual([]);
  });

  it('lets the sender lists decide before the model: a blocked sender moves, an allowed one stays', async () => {
    const file = db('filter');
    const sender = (bytes: Buffer) => /^From:[^\n]*?<?([\w.+-]+@[\w.-]+)>?\s*$/im.exec(bytes.toString('latin1'))![1]!;
    const subject = (bytes: Buffer) => /^Subject:[ \t]*([^\r\n]*)/im.exec(bytes.toString('latin1'))![1]!;
    const [blockedHam, allowedSpam] = [ham[2100]!.bytes, spam[1100]!.bytes];
    expect(run(['lists', 'block', sender(blockedHam), '--db', file]).status).toBe(0);
    await appendMessages(server, 'INBOX', [blockedHam, allowedSpam]);
    expect(run(['imap', 'sync', 'local', '--db', file]).status).toBe(0);
    const dryRun = () => JSON.parse(run(['imap', 'filter', 'local', '--dry-run', '--json', '--db', file]).stdout).filter;
    const moves = (plan: { actions: Array<{ subject: string }> }, bytes: Buffer) =>
      plan.actions.some((a) => a.subject.startsWith(subject(bytes))); // stored subjects are unfolded
    const before = dryRun();
    // The blocked sender's ham moves though the model calls it ham.
    expect(moves(before, blockedHam)).toBe(true);
    expect(before.actions.some((a: { probability: number }) => a.probability < before.threshold)).toBe(true);
    expect(moves(before, allowedSpam)).toBe(true);
    expect(run(['lists', 'allow', sender(allowedSpam), '--db', file]).status).toBe(0);
    const after = dryRun();
    expect(moves(after, allowedSpam)).toBe(false);
    expect(moves(after, blockedHam)).toBe(true);
  });

  it('never turns the filter’s own moves into labels, with INBOX unlabeled as by default, before or after an undo', async () => {
    const file = db('filter-default');
    addPlain(file);
    const hamMbox = path.join(dir, 'known-ham.mbox');
    writeMbox(hamMbox, ham.slice(2200, 2500));
    expect(run(['import', hamMbox, '--label', 'ham', '--db', file]).status).toBe(0);
    // The default mapping: Junk is spam, INBOX unlabeled.
    expect(run(['imap', 'sync', 'local', '--db', file]).status).toBe(0);
    expect(spamlab(['train', '--db', file]).status).toBe(0);
    const moved = JSON.parse(run(['imap', 'filter', 'local', '--json', '--db', file]).stdout).filter;
    expect(moved.actions.length).toBeGreaterThan(0);
    const labeledActedOn = () => rows(file, 'SELECT count(*) FROM labels l JOIN imap_actions a ON a.message_id = l.message_id')[0];
    expect(run(['imap', 'sync', 'local', '--db', file]).status).toBe(0);
    expect(labeledActedOn()).toBe(0);
    expect(JSON.parse(run(['imap', 'undo', 'local', '--json', '--db', file]).stdout).undone).toBe(moved.actions.length);
    expect(run(['imap', 'sync', 'local', '--db', file]).status).toBe(0);
    expect(labeledActedOn()).toBe(0);
  });
});
