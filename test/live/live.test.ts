// The live copy on real mail, with the real live worker (dist/live-worker.js):
// it learns each label, re-ranks the least-sure queue, records what the model
// said before each label, survives a restart, and is saved as a run with its lineage.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LiveStatus, Method, ResponseOf } from '../../shared/contract';
import { DEFAULT_TRAIN_SETTINGS, Label } from '../../shared/types';
import { BackendInternals, openApiWithInternals } from '../../electron/backend/api/backend';
import { importPaths } from '../../electron/backend/ingest/importer';
import { liveOf } from '../../electron/backend/live/service';
import { decodeWeights } from '../../electron/backend/model/weights';
import { runLineage } from '../../electron/backend/store/live';
import { nextUnlabeledId } from '../../electron/backend/store/queue';
import { getRun, runModel } from '../../electron/backend/store/runs';
import { CorpusMessage, loadCorpus, stratifiedSplit, writeMbox } from '../support/corpus';
import { tempDir } from '../support/cli';

const dir = tempDir('live');
const dbPath = path.join(dir, 'spamlab.db');
let backend: BackendInternals;
let baseRunId: number;
/** The true label of every message imported unlabeled. */
const truth = new Map<number, Label>();
/** Messages never imported, for labels.setByContent. */
let unseen: CorpusMessage[] = [];

const db = () => backend.context.db;
const live = () => liveOf(backend.context);

async function call<M extends Method>(method: M, body: unknown, on = backend): Promise<ResponseOf<M>> {
  const result = await on.handle(method, body);
  if (!result.ok) throw new Error(`${method}: ${result.error.message}`);
  return result.value as ResponseOf<M>;
}

async function open(host: 'app' | 'cli' = 'app'): Promise<BackendInternals> {
  const opened = await openApiWithInternals({ dbPath, indexSearchInBackground: false, host });
  if (host === 'app') {
    await call('live.status', {}, opened);
    await liveOf(opened.context).idle();
  }
  return opened;
}

/** Labels a message as it truly is and waits for the live copy to learn it. */
async function labelTruly(id: number): Promise<void> {
  await call('labels.set', { id, label: truth.get(id)! });
  await live().idle();
}

const lastEvent = (messageId: number) =>
  db()
    .prepare(
      'SELECT id, probability, scored_by_run AS runId, scored_live AS live FROM label_events WHERE message_id = ? ORDER BY id DESC LIMIT 1',
    )
    .get(messageId) as { id: number; probability: number | null; runId: number | null; live: number };

const unlabeled = () => [...truth.keys()].filter((id) => !db().prepare('SELECT 1 FROM labels WHERE message_id = ?').get(id));

beforeAll(async () => {
  const corpus = loadCorpus({ perGroup: 40 });
  const { train, test: rest } = stratifiedSplit(corpus, 0.6, 11);
  const { train: pool, test: held } = stratifiedSplit(rest, 0.1, 5);
  unseen = held;
  backend = await openApiWithInternals({ dbPath, indexSearchInBackground: false });
  for (const label of ['spam', 'ham'] as const) {
    const labeled = path.join(dir, `${label}.mbox`);
    writeMbox(
      labeled,
      train.filter((m) => m.label === label),
    );
    await importPaths(db(), [labeled], { label, origin: 'import' });
    const plain = path.join(dir, `unlabeled-${label}.mbox`);
    writeMbox(
      plain,
      pool.filter((m) => m.label === label),
    );
    await importPaths(db(), [plain], { label: null, origin: 'import' });
    for (const id of db().prepare('SELECT id FROM messages WHERE source = ?').pluck().all(plain) as number[]) truth.set(id, label);
  }
  const run = await backend.training.start({ ...DEFAULT_TRAIN_SETTINGS, model: 'logistic', epochs: 4 }).finished;
  expect(run.status).toBe('completed');
  baseRunId = run.id;
  await call('live.status', {});
  await live().idle();
}, 120_000);

afterAll(async () => {
  await backend.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('the live copy', () => {
  it('records the probability a message had before its label, and its update moves the message toward the label', async () => {
    const status = await call('live.status', {});
    expect(status).toMatchObject({ baseRunId, learned: 0, unavailable: null });
    const id = (await call('queue.next', { order: 'uncertain', skip: [] }))!.message.id;
    const label = truth.get(id)!;
    const before = live().probability(id)!;
    expect(before).toBeGreaterThan(0);
    const updated = new Promise<LiveStatus>((resolve) => {
      const off = backend.on('live.updated', (s) => (off(), resolve(s)));
    });
    await call('labels.set', { id, label });
    const event = lastEvent(id);
    expect(event).toMatchObject({ runId: baseRunId, live: 1 });
    expect(event.probability).toBe(before);
    const after = await updated;
    expect(after.learned).toBe(1);
    expect(after.lastUpdateMs).toBeGreaterThan(0);
    const moved = live().probability(id)!;
    if (label === 'spam') expect(moved).toBeGreaterThan(before + 0.01);
    else expect(moved).toBeLessThan(before - 0.01);
    // Still the probability from before: the update did not rewrite it.
    expect(lastEvent(id).probability).toBe(before);
  });

  it('re-ranks the least-sure queue after labels, without retraining', async () => {
    const runs = (await call('runs.list', {})).length;
    for (let i = 0; i < 8; i++) await labelTruly((await call('queue.next', { order: 'uncertain', skip: [] }))!.message.id);
    const threshold = getRun(db(), baseRunId).threshold;
    const fromLive: number[] = [];
    const fromScores: number[] = [];
    for (let i = 0; i < 12; i++) {
      fromLive.push((await call('queue.next', { order: 'uncertain', skip: fromLive }))!.message.id);
      fromScores.push(nextUnlabeledId(db(), 'uncertain', fromScores, { runId: baseRunId, threshold })!);
    }
    expect(fromLive).not.toEqual(fromScores);
    const distances = fromLive.map((id) => Math.abs(live().probability(id)! - threshold));
    for (let i = 1; i < distances.length; i++) expect(distances[i]!).toBeGreaterThanOrEqual(distances[i - 1]!);
    expect((await call('runs.list', {})).length).toBe(runs);
    expect((await call('live.status', {})).learned).toBe(9);
  });

  it('keeps the running score of the probabilities recorded before the labels', async () => {
    // A label the live copy would get wrong: its recorded probability is on the wrong side of the threshold.
    const threshold = getRun(db(), baseRunId).threshold;
    const wrong = unlabeled().find((id) => live().probability(id)! >= threshold !== (truth.get(id) === 'spam'));
    if (wrong !== undefined) await labelTruly(wrong);
    const recorded = db()
      .prepare(`SELECT probability, label FROM label_events WHERE origin = 'user' AND undone = 0 ORDER BY id DESC`)
      .all() as Array<{ probability: number; label: Label }>;
    const status = await call('live.status', {});
    expect(status.running.last50.count).toBe(recorded.length);
    expect(status.running.last500.count).toBe(recorded.length);
    const y = (l: Label) => (l === 'spam' ? 1 : 0);
    const accuracy = recorded.filter((r) => (r.probability >= threshold ? 1 : 0) === y(r.label)).length / recorded.length;
    const bce = recorded.reduce((sum, r) => sum - Math.log(y(r.label) ? r.probability : 1 - r.probability), 0) / recorded.length;
    expect(status.running.last50.accuracy).toBeCloseTo(accuracy, 12);
    expect(status.running.last50.bce).toBeCloseTo(bce, 9);
    if (wrong !== undefined) expect(status.running.last50.accuracy).toBeLessThan(1);
  });

  it('records labels.setByContent too, and learns them', async () => {
    const { learned } = await call('live.status', {});
    const message = unseen[0]!;
    const result = await call('labels.setByContent', {
      raw: message.bytes.toString('base64'),
      label: message.label,
      source: '/tmp/unseen.eml',
    });
    expect(result.imported).toBe(true);
    const event = lastEvent(result.messageId);
    expect(event.live).toBe(1);
    expect(event.probability).toBeGreaterThan(0);
    expect(event.probability).toBeLessThan(1);
    await live().idle();
    expect((await call('live.status', {})).learned).toBe(learned + 1);
  });

  it('forgets an undone label', async () => {
    const { learned } = await call('live.status', {});
    const id = unlabeled()[0]!;
    const before = live().probability(id)!;
    await labelTruly(id);
    expect((await call('live.status', {})).learned).toBe(learned + 1);
    await call('labels.undo', {});
    await live().idle();
    expect((await call('live.status', {})).learned).toBe(learned);
    expect(live().probability(id)).toBe(before);
  });

  it('learns the same again after a restart', async () => {
    const { learned } = await call('live.status', {});
    const watched = unlabeled().slice(0, 5);
    const before = watched.map((id) => live().probability(id));
    await backend.close();
    backend = await open();
    const status = await call('live.status', {});
    expect(status).toMatchObject({ baseRunId, learned });
    expect(watched.map((id) => live().probability(id))).toEqual(before);
  });

  it('on the command line records the probability and leaves the learning to the app', async () => {
    const { learned } = await call('live.status', {});
    const id = unlabeled()[0]!;
    await backend.close();
    const cli = await open('cli');
    const stored = cli.context.db.prepare('SELECT probability FROM scores WHERE run_id = ? AND message_id = ?').pluck().get(baseRunId, id);
    await call('labels.set', { id, label: truth.get(id)! }, cli);
    const event = cli.context.db.prepare('SELECT probability, scored_live FROM label_events ORDER BY id DESC LIMIT 1').get() as {
      probability: number;
      scored_live: number;
    };
    expect(event).toEqual({ probability: stored, scored_live: 0 });
    expect(liveOf(cli.context).probability(id)).toBeNull();
    await cli.close();
    backend = await open();
    expect((await call('live.status', {})).learned).toBe(learned + 1);
  });

  it('is saved as a new active run that scores differently and records its lineage', async () => {
    const { learned } = await call('live.status', {});
    const learnedEvents = db()
      .prepare(`SELECT id FROM label_events WHERE origin IN ('user', 'cli') AND undone = 0 ORDER BY id`)
      .pluck()
      .all() as number[];
    expect(learnedEvents.length).toBe(learned);
    const { runId } = await call('live.save', { name: 'learned live' });
    const run = getRun(db(), runId);
    expect(run).toMatchObject({ name: 'learned live', status: 'completed', isActive: true, threshold: getRun(db(), baseRunId).threshold });
    expect(runLineage(db(), runId)).toEqual({ baseRunId, learnedEventIds: learnedEvents });
    expect(decodeWeights(runModel(db(), runId), 'saved').kind).toBe('logistic');
    const changed = db()
      .prepare(
        `SELECT count(*) FROM scores a JOIN scores b ON a.message_id = b.message_id
         WHERE a.run_id = ? AND b.run_id = ? AND abs(a.probability - b.probability) > 1e-4`,
      )
      .pluck()
      .get(baseRunId, runId) as number;
    expect(changed).toBeGreaterThan(0);
    expect(runLineage(db(), baseRunId)).toBeNull();
    await live().idle();
    expect(await call('live.status', {})).toMatchObject({ baseRunId: runId, learned: 0 });
    // Monitored, it is judged as the run it learned on: that run's holdout, and its learned labels as mail scored before learning.
    const saved = await call('monitor.report', { by: 'month' });
    const base = await call('monitor.report', { runId: baseRunId, by: 'month' });
    expect(saved.runId).toBe(runId);
    expect(saved.baseline).toEqual(base.baseline);
    const later = (report: typeof saved) => report.byLabelTime.reduce((n, p) => n + p.count, 0);
    expect(later(saved)).toBe(learnedEvents.length);
  });

  it('discards what it learned since', async () => {
    const id = unlabeled()[0]!;
    const saved = (await call('live.status', {})).baseRunId!;
    const before = live().probability(id);
    await labelTruly(unlabeled()[1]!);
    expect(live().probability(id)).not.toBe(before);
    expect((await call('live.discard', {})).learned).toBe(0);
    await live().idle();
    expect(live().probability(id)).toBe(before);
    expect((await call('live.status', {})).baseRunId).toBe(saved);
  });

  it('says why nothing learns on an mlp run', async () => {
    const run = await backend.training.start({ ...DEFAULT_TRAIN_SETTINGS, model: 'mlp', epochs: 1 }).finished;
    expect(run.status).toBe('completed');
    await call('runs.activate', { runId: run.id });
    const status = await call('live.status', {});
    expect(status.baseRunId).toBeNull();
    expect(status.unavailable).toMatch(/mlp/);
    const id = unlabeled()[0]!;
    await call('labels.set', { id, label: truth.get(id)! });
    expect(lastEvent(id)).toMatchObject({ runId: run.id, live: 0 });
    expect(lastEvent(id).probability).not.toBeNull();
  });
});
