// What the newest holdout and the refit promise, on real mail through the real worker.
import { describe, expect, it } from 'vitest';
import { decodeWeights } from '../../electron/backend/model/weights';
import { runModel } from '../../electron/backend/store/runs';
import { runReport } from '../../electron/backend/api/runs';
import { corpusTraining } from '../support/backend';

const corpus = corpusTraining(40);
const train = corpus.train;
const db = () => corpus.backend().context.db;
const split = (runId: number, name: string) =>
  db()
    .prepare(
      `SELECT p.message_id AS id, l.label, m.date FROM predictions p JOIN labels l ON l.message_id = p.message_id
       JOIN messages m ON m.id = p.message_id WHERE p.run_id = ? AND p.split = ?`,
    )
    .all(runId, name) as Array<{ id: number; label: string; date: number | null }>;

describe('newest holdout and refit', () => {
  it('validates on the newest mail of each class and records it: never trained on mail newer than what it was judged on', async () => {
    const run = await train({ epochs: 3, refit: false });
    expect(run.holdout).toMatchObject({ kind: 'newest', count: run.validationCount });
    const held = split(run.id, 'validation');
    const trained = split(run.id, 'train');
    for (const label of ['spam', 'ham']) {
      const newestTrained = Math.max(...trained.filter((r) => r.label === label && r.date !== null).map((r) => r.date!));
      const oldestHeld = Math.min(...held.filter((r) => r.label === label && r.date !== null).map((r) => r.date!));
      expect(newestTrained).toBeLessThanOrEqual(oldestHeld);
    }
    const heldDates = held.map((r) => r.date).filter((d): d is number => d !== null);
    expect(run.holdout!.from).toBe(Math.min(...heldDates));
    expect(run.holdout!.to).toBe(Math.max(...heldDates));
  });

  it('refits the delivered model on every labeled message and keeps the holdout model’s figures as its estimate', async () => {
    const judgedOnly = await train({ epochs: 3, refit: false });
    const refit = await train({ epochs: 3 });
    const labeled = db().prepare('SELECT count(*) FROM labels').pluck().get() as number;
    expect(refit.trainCount).toBe(labeled);
    expect(judgedOnly.trainCount).toBe(labeled - judgedOnly.validationCount);
    // Same seed, same holdout: the honest estimate is the holdout model's, refit or not.
    expect(refit.validationMetrics).toEqual(judgedOnly.validationMetrics);
    // The delivered model did learn from the held-out messages: their weights differ from the holdout model's.
    const a = decodeWeights(runModel(db(), judgedOnly.id), 'a');
    const b = decodeWeights(runModel(db(), refit.id), 'b');
    expect(Buffer.from(a.table.buffer).equals(Buffer.from(b.table.buffer))).toBe(false);
  });

  it('starts an unweighted run at the cost threshold and an Fβ-weighted one at 0.5; β below 1 leans to ham', async () => {
    const plain = await train({ epochs: 3, refit: false });
    const precise = await train({ epochs: 3, refit: false, classWeighting: 'fbeta', beta: 0.5 });
    expect(plain.threshold).toBe(0.9);
    expect(precise.threshold).toBe(0.5);
    // The figures stored with a run are at the threshold it filters with.
    expect(plain.validationMetrics!.threshold).toBe(0.9);
    expect(precise.validationMetrics!.threshold).toBe(0.5);
    const meanSpamProbability = (runId: number) =>
      db().prepare(`SELECT avg(probability) FROM predictions WHERE run_id = ? AND split = 'validation'`).pluck().get(runId) as number;
    expect(meanSpamProbability(precise.id)).toBeLessThan(meanSpamProbability(plain.id));
  });

  it('counts ham lost apart for legitimate bulk mail, found by its mailing-list headers', async () => {
    const run = await train({ epochs: 3 });
    const report = runReport(db(), run.id, 0.5);
    const hamHeld = db()
      .prepare(
        `SELECT m.headers_json, p.probability FROM predictions p JOIN messages m ON m.id = p.message_id
         WHERE p.run_id = ? AND p.split = 'validation' AND p.label = 'ham'`,
      )
      .all(run.id) as Array<{ headers_json: string; probability: number }>;
    const isBulk = (headers: Array<[string, string]>) =>
      headers.some(
        ([name, value]) =>
          ['list-id', 'list-unsubscribe', 'list-post'].includes(name) ||
          (name === 'precedence' && ['bulk', 'list', 'junk'].includes(value.trim().toLowerCase())),
      );
    const bulk = hamHeld.filter((r) => isBulk(JSON.parse(r.headers_json)));
    const other = hamHeld.filter((r) => !isBulk(JSON.parse(r.headers_json)));
    expect(bulk.length).toBeGreaterThan(0);
    expect(other.length).toBeGreaterThan(0);
    expect(report.hamFlagged).toEqual({
      bulk: { count: bulk.length, flagged: bulk.filter((r) => r.probability >= 0.5).length },
      other: { count: other.length, flagged: other.filter((r) => r.probability >= 0.5).length },
    });
  });
});
