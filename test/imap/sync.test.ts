// IMAP sync, learning from moves and filtering in place, against a real Dovecot.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Method, RequestOf, ResponseOf } from '../../shared/contract';
import { openApiWithInternals, BackendInternals } from '../../electron/backend/api/backend';
import { memoryCredentials } from '../../electron/backend/imap/credentials';
import { loadCorpus, CorpusMessage } from '../support/corpus';
import { tempDir } from '../support/cli';
import {
  appendMessages,
  Dovecot,
  fillMailbox,
  IMAP_USER,
  moveBySubject,
  plainAccount,
  startDovecot,
  dovecotUnavailable,
} from '../support/dovecot';

let server: Dovecot;
let backend: BackendInternals;
let dir: string;
let corpus: CorpusMessage[];

async function call<M extends Method>(method: M, request: RequestOf<M>): Promise<ResponseOf<M>> {
  const result = await backend.handle(method, request);
  if (!result.ok) throw new Error(`${result.error.kind}: ${result.error.message}`);
  return result.value as ResponseOf<M>;
}

const count = (sql: string, ...args: unknown[]) =>
  backend.context.db
    .prepare(sql)
    .pluck()
    .get(...args) as number;
const labelOfSubject = (subject: string) =>
  backend.context.db
    .prepare('SELECT l.label FROM messages m LEFT JOIN labels l ON l.message_id = m.id WHERE m.subject = ?')
    .pluck()
    .get(subject);

const unavailable = dovecotUnavailable() !== null;
beforeAll(async () => {
  if (unavailable) return;
  server = await startDovecot();
  dir = tempDir('imap');
  backend = await openApiWithInternals({ dbPath: path.join(dir, 'spamlab.db'), credentials: memoryCredentials() });
  // 1,000 messages: 600 ham into INBOX, 400 spam into Junk.
  const all = loadCorpus();
  corpus = [...all.filter((m) => m.label === 'ham').slice(0, 600), ...all.filter((m) => m.label === 'spam').slice(0, 400)];
  await fillMailbox(server, corpus);
  await call('imap.add', plainAccount(server));
});

afterAll(async () => {
  await backend?.close();
  server?.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(unavailable)('IMAP sync against Dovecot', () => {
  it('lists folders with Junk mapped to spam by its special use', async () => {
    const folders = await call('imap.folders', { account: 'test' });
    expect(folders.find((f) => f.path === 'Junk')).toMatchObject({ specialUse: '\\Junk', role: 'spam', messages: 400 });
    expect(folders.find((f) => f.path === 'INBOX')).toMatchObject({ role: 'unlabeled', messages: 600 });
  });

  it('syncs INBOX as ham and Junk as spam, each message remembering account, folder and UID', async () => {
    const progress: number[] = [];
    const off = backend.on('imap.progress', (p) => progress.push(p.done));
    const result = await call('imap.sync', {
      account: 'test',
      folders: [
        { path: 'INBOX', role: 'ham' },
        { path: 'Junk', role: 'spam' },
      ],
    });
    off();
    const fetched = result.folders.reduce((n, f) => n + f.fetched, 0);
    expect(fetched).toBe(1000);
    const stored = result.folders.reduce((n, f) => n + f.imported + f.duplicates, 0);
    expect(stored + result.folders.reduce((n, f) => n + f.failed, 0)).toBe(1000);
    expect(progress.length).toBeGreaterThan(2);
    const imported = count('SELECT count(*) FROM messages');
    expect(count(`SELECT count(*) FROM imap_messages WHERE folder = 'Junk'`)).toBe(
      count(`SELECT count(*) FROM labels WHERE label = 'spam'`),
    );
    expect(count(`SELECT count(*) FROM labels`)).toBe(imported);
    expect(count(`SELECT count(*) FROM imap_messages`)).toBe(imported);
    expect(count(`SELECT count(*) FROM messages WHERE source = 'imap:test/Junk'`)).toBeGreaterThan(350);
    expect(count(`SELECT count(*) FROM label_events WHERE origin = 'mailbox'`)).toBe(imported);
  });

  it('re-syncs fetching nothing, then fetches only mail appended since', async () => {
    const again = await call('imap.sync', { account: 'test' });
    expect(again.folders.map((f) => [f.path, f.fetched])).toEqual([
      ['INBOX', 0],
      ['Junk', 0],
    ]);
    const fresh = loadCorpus()
      .filter((m) => m.label === 'ham')
      .slice(600, 603);
    await appendMessages(
      server,
      'INBOX',
      fresh.map((m) => m.bytes),
    );
    const before = count('SELECT count(*) FROM messages');
    const next = await call('imap.sync', { account: 'test' });
    expect(next.folders.find((f) => f.path === 'INBOX')).toMatchObject({ fetched: 3, imported: 3 });
    expect(count('SELECT count(*) FROM messages')).toBe(before + 3);
  });

  it('learns spam from a move into Junk and ham from a move out, and reports a conflict with a label given in the app', async () => {
    const inboxRow = backend.context.db
      .prepare(
        `SELECT m.id, m.subject FROM messages m JOIN imap_messages p ON p.message_id = m.id WHERE p.folder = 'INBOX' AND length(m.subject) > 12 ORDER BY m.id LIMIT 2`,
      )
      .all() as Array<{ id: number; subject: string }>;
    const junkRow = backend.context.db
      .prepare(
        `SELECT m.id, m.subject FROM messages m JOIN imap_messages p ON p.message_id = m.id WHERE p.folder = 'Junk' AND length(m.subject) > 12 ORDER BY m.id LIMIT 1`,
      )
      .get() as { id: number; subject: string };
    const [toJunk, conflicted] = inboxRow as [{ id: number; subject: string }, { id: number; subject: string }];
    // The person calls one spam in the app; the mailbox agrees (into Junk), then says ham (out of Junk): the app's label stays.
    await call('labels.set', { id: conflicted.id, label: 'spam' });
    expect(await moveBySubject(server, 'INBOX', 'Junk', toJunk.subject)).toBeGreaterThan(0);
    expect(await moveBySubject(server, 'INBOX', 'Junk', conflicted.subject)).toBeGreaterThan(0);
    expect(await moveBySubject(server, 'Junk', 'INBOX', junkRow.subject)).toBeGreaterThan(0);
    const result = await call('imap.sync', { account: 'test' });
    expect(labelOfSubject(toJunk.subject)).toBe('spam');
    expect(labelOfSubject(junkRow.subject)).toBe('ham');
    expect(result.conflicts).toEqual([]);
    expect(await moveBySubject(server, 'Junk', 'INBOX', conflicted.subject)).toBeGreaterThan(0);
    const second = await call('imap.sync', { account: 'test' });
    expect(labelOfSubject(conflicted.subject)).toBe('spam');
    expect(second.conflicts).toContainEqual(
      expect.objectContaining({ messageId: conflicted.id, label: 'spam', mailbox: 'ham', folder: 'INBOX' }),
    );
    expect(result.learned.spam).toBeGreaterThanOrEqual(1);
    expect(result.learned.ham).toBeGreaterThanOrEqual(1);
    const history = await call('messages.get', { id: toJunk.id });
    expect(history.labelHistory[0]).toMatchObject({ label: 'spam', previous: 'ham', origin: 'mailbox' });
    expect(count('SELECT count(*) FROM messages')).toBe(count('SELECT count(*) FROM imap_messages'));
  });

  it('re-scans a folder whose UIDVALIDITY changed without duplicating a message', async () => {
    const before = count('SELECT count(*) FROM messages');
    const junkCount = count(`SELECT count(*) FROM imap_messages WHERE folder = 'Junk'`);
    // Re-creating the folder with the same mail gives it a new UIDVALIDITY.
    const junk = corpus.filter((m) => m.label === 'spam');
    server.doveadm(['mailbox', 'delete', '-u', IMAP_USER, '-s', 'Junk']);
    server.doveadm(['mailbox', 'create', '-u', IMAP_USER, 'Junk']);
    await appendMessages(
      server,
      'Junk',
      junk.slice(0, 50).map((m) => m.bytes),
    );
    const result = await call('imap.sync', { account: 'test' });
    const folder = result.folders.find((f) => f.path === 'Junk')!;
    expect(folder).toMatchObject({ rescanned: true, fetched: 50, imported: 0, duplicates: 50 });
    expect(count('SELECT count(*) FROM messages')).toBe(before);
    expect(junkCount).toBeGreaterThan(0);
  });

  it('gives wrong password and refused connection their own errors', async () => {
    await call('imap.add', { name: 'wrong', host: server.host, port: server.port, security: 'plain', user: IMAP_USER, password: 'nope' });
    const wrong = await call('imap.test', { account: 'wrong' });
    expect(wrong).toMatchObject({ ok: false, problem: 'login-refused' });
    await call('imap.add', { name: 'closed', host: '127.0.0.1', port: 1, security: 'plain', user: IMAP_USER, password: 'x' });
    const refused = await call('imap.test', { account: 'closed' });
    expect(refused).toMatchObject({ ok: false, problem: 'unreachable' });
    expect((refused as { message: string }).message).toMatch(/connection refused/);
    const plainRemote = await backend.handle('imap.add', {
      name: 'far',
      host: 'imap.example.com',
      security: 'plain',
      user: 'a',
      password: 'b',
    });
    expect(plainRemote).toMatchObject({ ok: false, error: { kind: 'bad-input' } });
    expect(JSON.stringify(backend.context.db.prepare('SELECT * FROM imap_accounts').all())).not.toMatch(/secret|nope/);
  });
});
