// Each import is a batch that can be listed and undone; messages can be deleted
// by id or by source. Real SpamAssassin mail, the real backend and the built CLI:
// an undone import takes exactly its messages and every row about them, in
// every table that names a message, and leaves the other import's alone.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImportHistory, Method, RequestOf, ResponseOf } from '../../shared/contract';
import { DEFAULT_TRAIN_SETTINGS } from '../../shared/types';
import { openApiWithInternals, BackendInternals } from '../../electron/backend/api/backend';
import { CorpusMessage, loadCorpus, writeEmlFolder, writeMbox } from '../support/corpus';
import { spamlab, tempDir } from '../support/cli';
import { memoryCredentials } from '../../electron/backend/imap/credentials';
import { dovecotUnavailable, fillMailbox, plainAccount, startDovecot } from '../support/dovecot';

let dir: string;
let backend: BackendInternals;
let corpus: CorpusMessage[];

beforeAll(async () => {
  dir = tempDir('import-batches');
  backend = await openApiWithInternals({ dbPath: path.join(dir, 'spamlab.db'), indexSearchInBackground: false });
  corpus = loadCorpus({ perGroup: 12 });
});
afterAll(async () => {
  await backend.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function call<M extends Method>(method: M, request: RequestOf<M>): Promise<ResponseOf<M>> {
  const result = await backend.handle(method, request);
  if (!result.ok) throw new Error(`${method}: ${result.error.kind}: ${result.error.message}`);
  return result.value as ResponseOf<M>;
}
async function refused(method: Method, request: unknown): Promise<string> {
  const result = await backend.handle(method, request);
  if (result.ok) throw new Error(`${method} was expected to fail`);
  return `${result.error.kind}: ${result.error.message}`;
}
const db = () => backend.context.db;

/** Every table with a message_id column, found from the schema itself: a table added later is checked too. */
function messageTables(): string[] {
  const tables = db()
    .prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'messages_fts%'`)
    .pluck()
    .all() as string[];
  return tables.filter((t) => (db().prepare(`SELECT name FROM pragma_table_info(?)`).pluck().all(t) as string[]).includes('message_id'));
}
/** Rows naming these messages, per table (and the messages themselves). */
function rowsFor(ids: number[]): Record<string, number> {
  const list = JSON.stringify(ids);
  const counts: Record<string, number> = {
    messages: db().prepare('SELECT count(*) FROM messages WHERE id IN (SELECT value FROM json_each(?))').pluck().get(list) as number,
  };
  for (const table of messageTables())
    counts[table] = db()
      .prepare(`SELECT count(*) FROM ${table} WHERE message_id IN (SELECT value FROM json_each(?))`)
      .pluck()
      .get(list) as number;
  return counts;
}
/** Every table's row count: tables not about messages must not change. */
function allCounts(): Record<string, number> {
  const tables = db()
    .prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'messages_fts_%'`)
    .pluck()
    .all() as string[];
  return Object.fromEntries(tables.map((t) => [t, db().prepare(`SELECT count(*) FROM ${t}`).pluck().get() as number]));
}
const idsOf = async (importId: number) =>
  (await call('messages.list', { offset: 0, limit: 500, filter: { importId } })).rows.map((r) => r.id).sort((a, b) => a - b);
/** Labels each message of a batch by its corpus group, which its .eml file name carries. */
async function labelBatch(importId: number, every: number) {
  const rows = (await call('messages.list', { offset: 0, limit: 500, filter: { importId } })).rows;
  let n = 0;
  for (const [i, row] of rows.entries()) {
    if (i % every !== 0) continue;
    await call('labels.set', { id: row.id, label: path.basename(row.source).startsWith('spam') ? 'spam' : 'ham' });
    n++;
  }
  return n;
}

describe('import batches', () => {
  it('undoing the first of two imports removes exactly its messages and every row about them; a re-import stores them fresh', async () => {
    const byGroup = (group: string) => corpus.filter((m) => m.group === group);
    const folderA = path.join(dir, 'first');
    const folderB = path.join(dir, 'second');
    writeEmlFolder(folderA, [...byGroup('spam-1'), ...byGroup('easy-ham-1')]);
    // The second import also holds a copy of one of the first's messages: a duplicate, which stays the first's.
    const shared = byGroup('spam-1')[0]!;
    writeEmlFolder(folderB, [...byGroup('spam-2'), ...byGroup('easy-ham-2'), { ...shared, name: `copy-of-${shared.name}` }]);

    const a = await call('import.paths', { paths: [folderA], label: null });
    const b = await call('import.paths', { paths: [folderB], label: null });
    expect(a).toMatchObject({ imported: 24, duplicates: 0 });
    expect(b).toMatchObject({ imported: 24, duplicates: 1 });
    const labeledA = await labelBatch(1, 2);
    const labeledB = await labelBatch(2, 1);
    expect([labeledA, labeledB]).toEqual([12, 24]);

    let history = await call('imports.list', {});
    expect(
      history.batches.map((x) => ({ id: x.id, paths: x.paths, imported: x.imported, messages: x.messages, labeled: x.labeled })),
    ).toEqual([
      { id: 2, paths: [folderB], imported: 24, messages: 24, labeled: 24 },
      { id: 1, paths: [folderA], imported: 24, messages: 24, labeled: 12 },
    ]);
    expect(history.batches[0]).toMatchObject({
      duplicates: 1,
      failed: 0,
      origin: 'import',
      undoneAt: null,
      finishedAt: expect.any(Number),
    });
    expect(history.before).toEqual({ messages: 0, labeled: 0, sources: [] });
    const idsA = await idsOf(1);
    const idsB = await idsOf(2);
    expect(idsA).toHaveLength(24);
    expect(idsB).toHaveLength(24);

    // A trained run: predictions, scores and training dynamics of both imports' messages.
    const run = await backend.training.start({ ...DEFAULT_TRAIN_SETTINGS, epochs: 2 }).finished;
    expect(run.status).toBe('completed');
    await call('messages.list', { offset: 0, limit: 1, filter: { search: 'the' } }); // indexes the search backlog
    // Where the messages were seen on an IMAP server, and an action taken there.
    db().prepare(`INSERT INTO imap_accounts (name, host, port, security, user, created_at) VALUES ('a', 'h', 993, 'tls', 'u', 1)`).run();
    for (const id of [idsA[0]!, idsB[0]!]) {
      db()
        .prepare(`INSERT INTO imap_messages (account_id, message_id, folder, uidvalidity, uid) VALUES (1, ?, 'INBOX', '7', ?)`)
        .run(id, id);
      db()
        .prepare(
          `INSERT INTO imap_actions (account_id, message_id, kind, from_folder, to_folder, uid, probability, at) VALUES (1, ?, 'move', 'INBOX', 'Junk', ?, 0.9, 1)`,
        )
        .run(id, id);
    }

    const beforeA = rowsFor(idsA);
    const beforeB = rowsFor(idsB);
    const before = allCounts();
    for (const table of [
      'messages',
      'labels',
      'label_events',
      'features',
      'predictions',
      'scores',
      'example_dynamics',
      'imap_messages',
      'imap_actions',
    ])
      expect(beforeA[table], table).toBeGreaterThan(0);
    expect(beforeA.labels).toBe(12);
    const runBefore = db().prepare('SELECT metrics_json, train_count, validation_count FROM runs WHERE id = ?').get(run.id);
    const aSubject = (await call('messages.get', { id: idsA[1]! })).subject;

    // Refused while nothing changes: a batch that does not exist.
    expect(await refused('imports.undo', { id: 99 })).toMatch(/^not-found: import 99 does not exist/);
    expect(await call('imports.undo', { id: 1 })).toEqual({ removed: 24, labels: 12 });

    // Exactly the first import's rows are gone, in every table; the second's are all there.
    expect(rowsFor(idsA)).toEqual(Object.fromEntries(Object.keys(beforeA).map((t) => [t, 0])));
    expect(rowsFor(idsB)).toEqual(beforeB);
    const after = allCounts();
    for (const [table, n] of Object.entries(before)) {
      const expected = table in beforeA ? n - beforeA[table]! : n;
      // messages_fts is the search index: its rows follow the messages.
      if (table === 'messages_fts') expect(after[table], table).toBe(n - beforeA.messages!);
      // settings holds app state (the live copy's place), not rows about messages.
      else if (table !== 'settings') expect(after[table], table).toBe(expected);
    }
    // The search index holds no trace of them and is consistent with the messages left.
    expect(() => db().prepare(`INSERT INTO messages_fts (messages_fts) VALUES ('integrity-check')`).run()).not.toThrow();
    const found = await call('messages.list', { offset: 0, limit: 500, filter: { search: aSubject } });
    expect(found.rows.filter((r) => idsA.includes(r.id))).toEqual([]);
    // The run keeps what it measured; it is stale, since labels it trained on are gone.
    expect(db().prepare('SELECT metrics_json, train_count, validation_count FROM runs WHERE id = ?').get(run.id)).toEqual(runBefore);
    expect((await call('runs.get', { runId: run.id })).isStale).toBe(true);
    expect(await call('dataset.stats', {})).toMatchObject({ messages: 24, spam: 12, ham: 12 });

    history = await call('imports.list', {});
    expect(history.batches.map((x) => ({ id: x.id, messages: x.messages, labeled: x.labeled, undone: x.undoneAt !== null }))).toEqual([
      { id: 2, messages: 24, labeled: 24, undone: false },
      { id: 1, messages: 0, labeled: 0, undone: true },
    ]);
    expect(await refused('imports.undo', { id: 1 })).toMatch(/^conflict: import 1 was undone already/);

    // Imported again, the first folder's messages (the shared one too) are stored fresh, unlabeled, in a new batch.
    expect(await call('import.paths', { paths: [folderA], label: null })).toMatchObject({ imported: 24, duplicates: 0 });
    const again = (await call('imports.list', {})).batches[0]!;
    expect(again).toMatchObject({ id: 3, imported: 24, messages: 24, labeled: 0 });
    expect(await call('dataset.stats', {})).toMatchObject({ messages: 48, spam: 12, ham: 12, unlabeled: 24 });
  });

  it('deletes messages by id and by source, the same way, and refuses a request naming both or neither', async () => {
    const ids = (await idsOf(2)).slice(0, 3);
    expect(await call('messages.delete', { ids: [...ids, 999_999] })).toEqual({ removed: 3, labels: 3 });
    expect(rowsFor(ids)).toEqual(Object.fromEntries(Object.keys(rowsFor(ids)).map((t) => [t, 0])));
    expect((await call('imports.list', {})).batches.find((x) => x.id === 2)).toMatchObject({ messages: 21, labeled: 21 });

    const mbox = path.join(dir, 'hard.mbox');
    writeMbox(
      mbox,
      corpus.filter((m) => m.group === 'hard-ham-1'),
    );
    expect(await call('import.paths', { paths: [mbox], label: 'ham' })).toMatchObject({ imported: 12, labeled: 12 });
    const stored = (await call('dataset.stats', {})).messages;
    expect(await refused('messages.delete', { ids: [1], source: mbox })).toMatch(/^invalid-request: .*exactly one of ids and source/);
    expect(await refused('messages.delete', {})).toMatch(/^invalid-request/);
    expect(await call('messages.delete', { source: mbox })).toEqual({ removed: 12, labels: 12 });
    expect((await call('dataset.stats', {})).messages).toBe(stored - 12);
    expect((await call('imports.list', {})).batches[0]).toMatchObject({ paths: [mbox], imported: 12, messages: 0, undoneAt: null });
  });

  it('filters the message list by import, and keeps the source filter', async () => {
    const batches = (await call('imports.list', {})).batches;
    for (const batch of batches) {
      const listed = await call('messages.list', { offset: 0, limit: 1, filter: { importId: batch.id } });
      expect(listed.total, `import ${batch.id}`).toBe(batch.messages);
    }
    const one = (await call('messages.list', { offset: 0, limit: 1, filter: { importId: 3 } })).rows[0]!;
    const bySource = await call('messages.list', { offset: 0, limit: 10, filter: { source: one.source } });
    expect(bySource.rows.map((r) => r.id)).toEqual([one.id]);
  });
});

describe('spamlab imports', () => {
  it('lists the batches, and undoes one only with --yes', () => {
    const cliDir = tempDir('imports-cli');
    try {
      const dbFile = path.join(cliDir, 'spamlab.db');
      const folder = path.join(cliDir, 'spam');
      writeEmlFolder(
        folder,
        loadCorpus({ perGroup: 5 }).filter((m) => m.label === 'spam'),
      );
      expect(spamlab(['import', folder, '--label', 'spam', '--db', dbFile]).status).toBe(0);
      const mbox = path.join(cliDir, 'ham.mbox');
      writeMbox(
        mbox,
        loadCorpus({ perGroup: 5 }).filter((m) => m.group === 'easy-ham-1'),
      );
      expect(spamlab(['import', mbox, '--db', dbFile]).status).toBe(0);

      const listed = spamlab(['imports', '--db', dbFile, '--json']);
      expect(listed.status).toBe(0);
      const history = JSON.parse(listed.stdout) as ImportHistory;
      expect(
        history.batches.map((b) => ({ id: b.id, paths: b.paths, origin: b.origin, messages: b.messages, labeled: b.labeled })),
      ).toEqual([
        { id: 2, paths: [mbox], origin: 'cli', messages: 5, labeled: 0 },
        { id: 1, paths: [folder], origin: 'cli', messages: 10, labeled: 10 },
      ]);
      const text = spamlab(['imports', '--db', dbFile]);
      expect(text.status).toBe(0);
      expect(text.stdout).toContain(folder);
      expect(text.stdout).toMatch(/^\s+1\s.*added 10; 10 messages stored, 10 labeled/m);

      const asked = spamlab(['imports', 'undo', '1', '--db', dbFile]);
      expect(asked.status).toBe(2);
      expect(asked.stdout).toContain('would remove 10 messages and their 10 labels');
      expect(asked.stdout).toContain('add --yes');
      expect(JSON.parse(spamlab(['stats', '--db', dbFile, '--json']).stdout)).toMatchObject({ messages: 15 });

      const undone = spamlab(['imports', 'undo', '1', '--yes', '--db', dbFile, '--json']);
      expect(undone.status, undone.stderr).toBe(0);
      expect(JSON.parse(undone.stdout)).toEqual({ removed: 10, labels: 10 });
      expect(JSON.parse(spamlab(['stats', '--db', dbFile, '--json']).stdout)).toMatchObject({ messages: 5, spam: 0 });

      const again = spamlab(['imports', 'undo', '1', '--yes', '--db', dbFile]);
      expect(again.status).toBe(2);
      expect(again.stderr).toMatch(/import 1 was undone already/);
      const bad = spamlab(['imports', 'undo', 'x', '--db', dbFile]);
      expect(bad.status).toBe(2);
      expect(bad.stderr).toMatch(/expected an import id/);
    } finally {
      fs.rmSync(cliDir, { recursive: true, force: true });
    }
  });
});

describe.skipIf(dovecotUnavailable() !== null)('an IMAP sync', () => {
  it('is one batch (none when it found no new mail), and can be undone; the next sync brings the mail back', async () => {
    const server = await startDovecot();
    const imapDir = tempDir('imports-imap');
    const imap = await openApiWithInternals({ dbPath: path.join(imapDir, 'spamlab.db'), credentials: memoryCredentials() });
    const ask = async <M extends Method>(method: M, request: RequestOf<M>): Promise<ResponseOf<M>> => {
      const result = await imap.handle(method, request);
      if (!result.ok) throw new Error(`${method}: ${result.error.message}`);
      return result.value as ResponseOf<M>;
    };
    try {
      await fillMailbox(server, loadCorpus({ perGroup: 4 }));
      await ask('imap.add', plainAccount(server));
      const folders = [
        { path: 'INBOX', role: 'ham' as const },
        { path: 'Junk', role: 'spam' as const },
      ];
      const synced = await ask('imap.sync', { account: 'test', folders });
      const imported = synced.folders.reduce((n, f) => n + f.imported, 0);
      expect(imported).toBe(20);
      const [batch] = (await ask('imports.list', {})).batches;
      expect(batch).toMatchObject({
        paths: ['imap:test/INBOX', 'imap:test/Junk'],
        origin: 'mailbox',
        imported,
        messages: imported,
        labeled: imported,
      });
      await ask('imap.sync', { account: 'test' });
      expect((await ask('imports.list', {})).batches).toHaveLength(1);
      expect(await ask('imports.undo', { id: batch!.id })).toEqual({ removed: 20, labels: 20 });
      expect(imap.context.db.prepare('SELECT count(*) FROM imap_messages').pluck().get()).toBe(0);
      // The mail is still on the server: the next sync brings it back, as a new batch.
      const again = await ask('imap.sync', { account: 'test' });
      expect(again.folders.reduce((n, f) => n + f.imported, 0)).toBe(20);
      expect(imap.context.db.prepare('SELECT count(*) FROM imap_messages').pluck().get()).toBe(20);
    } finally {
      await imap.close();
      server.stop();
      fs.rmSync(imapDir, { recursive: true, force: true });
    }
  });
});
