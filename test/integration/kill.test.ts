// Kill -9 the real CLI in the middle of an import and of a training run, and
// the real web host while labels stream in, then reopen the database: it must
// be intact, with whole batches and every acknowledged label.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadCorpus, writeMbox } from '../support/corpus';
import { spamlab, spawnSpamlab, tempDir } from '../support/cli';
import { count, exited, killAndWait, messageIds, reopenAfterKill, sleep, uniqueBodies, waitFor } from '../support/crash';
import { lostLabels, newLabelLog, startLabeling } from '../support/labeler';
import { openStore } from '../../electron/backend/store/open';
import { mulberry32 } from '../../electron/backend/training/split';
import { startHost } from '../support/web-host';

const dir = tempDir('kill');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const SAMPLE = path.join(__dirname, '..', '..', 'resources', 'sample');

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
      expect(spamlab(['import', path.join(SAMPLE, `${label}.mbox`), '--label', label, '--db', db]).status).toBe(0);
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
      await sleep(250 + random() * 600);
      if (await killAndWait(child)) kills++;
      const after = reopenAfterKill(db);
      expect(after.integrity).toBe('ok');
      labelsLost += Math.max(0, labelsBefore - after.labels);
      expect(after.labels).toBe(after.messages);
      expect(after.running).toBe(0);
    }

    // Labeling: the real web host killed while a person's labels stream in.
    const ids = messageIds(db);
    const log = newLabelLog();
    for (let round = 0; round < 4; round++) {
      const host = await startHost(db);
      const labeling = startLabeling(host, ids, random, log);
      await sleep(300 + random() * 700);
      if (await killAndWait(host.child)) kills++;
      await labeling.ended;
      expect(reopenAfterKill(db).integrity).toBe('ok');
      labelsLost += lostLabels(db, log).length;
    }
    expect(log.failures).toEqual([]);
    expect(log.acks).toBeGreaterThan(20);

    console.log(
      `crash harness: ${kills} kills survived (import, training, labeling), ${labelsLost} labels lost, ${log.acks} labels acknowledged before host kills`,
    );
    expect(kills).toBeGreaterThanOrEqual(10);
    expect(labelsLost).toBe(0);
  }, 120_000);

  it('labels as fast as the web host takes them while the CLI imports the corpus: none fails, none is lost', async () => {
    const db = path.join(dir, 'two-writers.db');
    for (const label of ['spam', 'ham']) {
      expect(spamlab(['import', path.join(SAMPLE, `${label}.mbox`), '--label', label, '--db', db]).status).toBe(0);
    }
    const ids = messageIds(db);
    const corpus = uniqueBodies(loadCorpus());
    const mbox = path.join(dir, 'corpus.mbox');
    writeMbox(mbox, corpus);

    const host = await startHost(db);
    const log = newLabelLog();
    // Four lanes: the host always has a label waiting for the write lock while an import batch holds it.
    const labeling = startLabeling(host, ids, mulberry32(17), log, 4);
    await waitFor(() => log.acks >= 20, 10_000);
    const importer = spawnSpamlab(['import', mbox, '--db', db, '--json']);
    let stdout = '';
    importer.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    const acksBefore = log.acks;
    const status = await exited(importer);
    const acksDuringImport = log.acks - acksBefore;
    await sleep(200);
    // Then the host is killed while labels still stream in.
    await killAndWait(host.child);
    await labeling.ended;

    expect(status).toBe(0);
    const summary = JSON.parse(stdout) as { imported: number; duplicates: number; failed: number };
    expect(summary.failed).toBe(0);
    expect(summary.imported + summary.duplicates).toBe(corpus.length);
    const after = reopenAfterKill(db);
    expect(after.integrity).toBe('ok');
    expect(after.messages).toBe(ids.length + summary.imported);
    expect(log.failures).toEqual([]);
    const lost = lostLabels(db, log);
    expect(lost).toEqual([]);
    expect(acksDuringImport).toBeGreaterThan(100);
    console.log(
      `crash harness, two writers: the CLI imported ${summary.imported} messages (${summary.duplicates} duplicates) while the web host acknowledged ${acksDuringImport} labels (${log.acks} in all, ${log.sent} sent); ${log.failures.length} failed, ${lost.length} lost`,
    );
  }, 60_000);
});
