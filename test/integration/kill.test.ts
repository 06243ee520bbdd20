// Kill -9 the real CLI in the middle of an import and of a training run, and
// the real web host while labels stream in, then reopen the database: it must
// be intact, with whole batches and every acknowledged label.
import Database from 'better-sqlite3';
import type { ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadCorpus, writeMbox } from '../support/corpus';
import { spamlab, spawnSpamlab, tempDir } from '../support/cli';
import { openStore } from '../../electron/backend/store/open';
import { mulberry32 } from '../../electron/backend/training/split';
import { startHost } from '../support/web-host';

const dir = tempDir('kill');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

async function waitFor(check: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Kills with SIGKILL and waits for the exit; false when the child had already ended by itself. */
async function killAndWait(child: ChildProcess): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return false;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
  return true;
}

/** So every batch of 500 inserts 500 rows, none dropped as a duplicate. */
function uniqueBodies<T extends { bytes: Buffer }>(messages: T[]): T[] {
  const seen = new Set<string>();
  return messages.filter((m) => {
    const hash = createHash('sha256').update(m.bytes).digest('hex');
    return !seen.has(hash) && seen.add(hash);
  });
}

function count(db: string, sql: string): number {
  try {
    const conn = new Database(db, { readonly: true, fileMustExist: true });
    try {
      return conn.prepare(sql).pluck().get() as number;
    } finally {
      conn.close();
    }
  } catch {
    return 0;
  }
}

describe('killed mid-way', () => {
  it('an import killed with SIGKILL leaves only whole batches, all labeled, and a sound database', async () => {
    const mbox = path.join(dir, 'all.mbox');
    const corpus = uniqueBodies(loadCorpus());
    writeMbox(mbox, [...corpus, ...corpus.map((m) => ({ ...m, bytes: Buffer.concat([m.bytes, Buffer.from('\ncopy\n')]) }))]);
    const db = path.join(dir, 'import.db');
    const child = spawnSpamlab(['import', mbox, '--label', 'spam', '--db', db]);
    await waitFor(() => count(db, 'SELECT count(*) FROM messages') >= 1000, 60_000);
    await killAndWait(child);

    const store = openStore(db);
    expect(store.pragma('integrity_check', { simple: true })).toBe('ok');
    const messages = store.prepare('SELECT count(*) FROM messages').pluck().get() as number;
    const labels = store.prepare('SELECT count(*) FROM labels').pluck().get() as number;
    const events = store.prepare('SELECT count(*) FROM label_events').pluck().get() as number;
    store.close();
    expect(messages).toBeLessThan(corpus.length * 2);
    expect(messages % 500).toBe(0);
    expect(labels).toBe(messages);
    expect(events).toBe(messages);
  });

  it('a training killed with SIGKILL is marked failed on reopen, and no label is lost', async () => {
    const db = path.join(dir, 'train.db');
    const corpus = loadCorpus({ perGroup: 60 });
    writeMbox(
      path.join(dir, 'spam.mbox'),
      corpus.filter((m) => m.label === 'spam'),
    );
    writeMbox(
      path.join(dir, 'ham.mbox'),
      corpus.filter((m) => m.label === 'ham'),
    );
    expect(spamlab(['import', path.join(dir, 'spam.mbox'), '--label', 'spam', '--db', db]).status).toBe(0);
    expect(spamlab(['import', path.join(dir, 'ham.mbox'), '--label', 'ham', '--db', db]).status).toBe(0);
    const labelsBefore = count(db, 'SELECT count(*) FROM labels');

    const child = spawnSpamlab(['train', '--db', db, '--epochs', '400', '--patience', '0', '--model', 'mlp']);
    await waitFor(() => count(db, `SELECT count(*) FROM run_curves`) > 0, 60_000);
    await killAndWait(child);

    const store = openStore(db);
    expect(store.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(store.prepare('SELECT status, error FROM runs').get()).toEqual({
      status: 'failed',
      error: expect.stringMatching(/interrupted/),
    });
    expect(store.prepare('SELECT count(*) FROM labels').pluck().get()).toBe(labelsBefore);
    store.close();
  });
});

/**
 * Labels messages one request at a time through the host, as the label view
 * does, until the host dies. Returns the label each message must have: the
 * last one acknowledged, or either of that and the one in flight at the kill.
 */
async function labelUntilKilled(host: { url: URL; token: string }, ids: number[], random: () => number) {
  const acknowledged = new Map<number, 'spam' | 'ham' | null>();
  let inFlight: { id: number; label: 'spam' | 'ham' } | null = null;
  try {
    for (;;) {
      const id = ids[Math.floor(random() * ids.length)]!;
      const label = random() < 0.5 ? 'spam' : 'ham';
      inFlight = { id, label };
      const reply = await fetch(new URL('/api/labels.set', host.url), {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-spamlab-token': host.token },
        body: JSON.stringify({ id, label }),
      });
      if (!reply.ok) throw new Error(`labels.set answered ${reply.status}`);
      acknowledged.set(id, label);
      inFlight = null;
    }
  } catch (err) {
    // fetch rejects with TypeError('fetch failed') for any network failure: a reset mid-request or a refused connection after the kill.
    if (!(err instanceof TypeError && err.message === 'fetch failed')) throw err;
  }
  return { acknowledged, inFlight };
}

describe('crash harness', () => {
  it('survives repeated SIGKILLs at random moments of import, training and labeling, losing no label', async () => {
    const db = path.join(dir, 'harness.db');
    const corpus = uniqueBodies(loadCorpus());
    const mboxes = [0, 1, 2, 3].map((part) => {
      const file = path.join(dir, `part${part}.mbox`);
      writeMbox(
        file,
        corpus.filter((_, i) => i % 4 === part),
      );
      return file;
    });
    // Both classes labeled up front, so every training round has something to train on.
    for (const label of ['spam', 'ham']) {
      expect(
        spamlab(['import', path.join(__dirname, '..', '..', 'resources', 'sample', `${label}.mbox`), '--label', label, '--db', db]).status,
      ).toBe(0);
    }
    const random = mulberry32(20261123);
    let kills = 0;
    let labelsLost = 0;
    for (let round = 0; round < 8; round++) {
      const labelsBefore = count(db, 'SELECT count(*) FROM labels');
      const training = round % 2 === 1;
      // Each import brings new mail (a part not imported before), so every round has work to be killed in.
      const args = training
        ? ['train', '--db', db, '--model', 'mlp', '--epochs', '300', '--patience', '0']
        : ['import', mboxes[round / 2]!, '--label', round % 4 === 0 ? 'spam' : 'ham', '--db', db];
      const child = spawnSpamlab(args);
      await new Promise((r) => setTimeout(r, 250 + random() * 600));
      if (await killAndWait(child)) kills++;
      const store = openStore(db);
      expect(store.pragma('integrity_check', { simple: true })).toBe('ok');
      const labels = store.prepare('SELECT count(*) FROM labels').pluck().get() as number;
      const messages = store.prepare('SELECT count(*) FROM messages').pluck().get() as number;
      labelsLost += Math.max(0, labelsBefore - labels);
      expect(labels).toBe(messages);
      expect(store.prepare(`SELECT count(*) FROM runs WHERE status = 'running'`).pluck().get()).toBe(0);
      store.close();
    }

    // Labeling: the real web host killed while a person's labels stream in.
    const ids = (() => {
      const store = openStore(db);
      const all = store.prepare('SELECT id FROM messages').pluck().all() as number[];
      store.close();
      return all;
    })();
    let labelsAcknowledged = 0;
    for (let round = 0; round < 4; round++) {
      const host = await startHost(db);
      const labeling = labelUntilKilled(host, ids, random);
      await new Promise((r) => setTimeout(r, 300 + random() * 700));
      if (await killAndWait(host.child)) kills++;
      const { acknowledged, inFlight } = await labeling;
      labelsAcknowledged += acknowledged.size;
      const store = openStore(db);
      expect(store.pragma('integrity_check', { simple: true })).toBe('ok');
      const stored = store.prepare('SELECT label FROM labels WHERE message_id = ?').pluck();
      for (const [id, label] of acknowledged) {
        const now = stored.get(id) ?? null;
        const allowed = inFlight?.id === id ? [label, inFlight.label] : [label];
        if (!allowed.includes(now as 'spam' | 'ham')) labelsLost++;
      }
      store.close();
    }
    expect(labelsAcknowledged).toBeGreaterThan(20);

    console.log(
      `crash harness: ${kills} kills survived (import, training, labeling), ${labelsLost} labels lost, ${labelsAcknowledged} labels acknowledged before host kills`,
    );
    expect(kills).toBeGreaterThanOrEqual(10);
    expect(labelsLost).toBe(0);
  }, 120_000);
});
