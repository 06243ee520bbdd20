// Retraining after drift, through the real worker: the newest mail weighted up, or the oldest left out.
import { describe, expect, it } from 'vitest';
import { decodeWeights } from '../../electron/backend/model/weights';
import { runModel } from '../../electron/backend/store/runs';
import { corpusTraining } from '../support/backend';

const corpus = corpusTraining(40);
const db = () => corpus.backend().context.db;
const predicted = (runId: number) =>
  db()
    .prepare(
      `SELECT l.label, count(*) AS n, min(m.date) AS oldest FROM predictions p JOIN labels l ON l.message_id = p.message_id
       JOIN messages m ON m.id = p.message_id WHERE p.run_id = ? GROUP BY l.label ORDER BY l.label`,
    )
    .all(runId) as Array<{ label: string; n: number; oldest: number | null }>;

describe('retraining with the newest mail', () => {
  it('leaves each class’s oldest share out of training and holdout alike', async () => {
    const all = await corpus.train({ epochs: 2 });
    const newest = await corpus.train({ epochs: 2, leaveOutOldest: 0.5 });
    expect(newest.status).toBe('completed');
    const before = predicted(all.id);
    const after = predicted(newest.id);
    after.forEach((row, k) => {
      expect(row.n).toBe(before[k]!.n - Math.round(before[k]!.n * 0.5));
      expect(row.oldest).toBeGreaterThanOrEqual(before[k]!.oldest!);
    });
    expect(newest.trainCount).toBe(after.reduce((sum, row) => sum + row.n, 0));
    expect(newest.holdout!.count).toBe(newest.validationCount);
  });

  it('weighs recent mail up: a different model from the same seed, and off by default', async () => {
    const plain = await corpus.train({ epochs: 2 });
    const again = await corpus.train({ epochs: 2, recentHalfLifeDays: 0 });
    const recent = await corpus.train({ epochs: 2, recentHalfLifeDays: 7 });
    expect(recent.status).toBe('completed');
    const table = (runId: number) => Buffer.from(decodeWeights(runModel(db(), runId), 'run').table.buffer);
    expect(table(again.id).equals(table(plain.id))).toBe(true);
    expect(table(recent.id).equals(table(plain.id))).toBe(false);
  });
});
