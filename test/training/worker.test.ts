// The real training worker on real mail.
import { describe, expect, it } from 'vitest';
import { DEFAULT_TRAIN_SETTINGS } from '../../shared/types';
import { decodeWeights } from '../../electron/backend/model/weights';
import { runModel } from '../../electron/backend/store/runs';
import { corpusTraining } from '../support/backend';

const corpus = corpusTraining(40);
const train = corpus.train;
const epochCurve = (runId: number, column: 'val_loss' | 'train_loss' = 'val_loss') =>
  corpus
    .backend()
    .context.db.prepare(`SELECT ${column} FROM run_curves WHERE run_id = ? AND kind = 'epoch' ORDER BY step`)
    .pluck()
    .all(runId) as number[];

describe('training worker', () => {
  it('trains the logistic model: the loss falls and held-out mail is told apart', async () => {
    const run = await train({ epochs: 10 });
    expect(run.status).toBe('completed');
    expect(['wasm', 'cpu', 'tensorflow']).toContain(run.backend);
    expect(run.validationMetrics!.rocAuc).toBeGreaterThan(0.95);
    const trainLosses = epochCurve(run.id, 'train_loss');
    expect(trainLosses.at(-1)!).toBeLessThan(trainLosses[0]! / 5);
    const dynamics = corpus.backend().context.db.prepare('SELECT count(*) FROM example_dynamics WHERE run_id = ?').pluck().get(run.id);
    // Cartography follows the fit the holdout judged; the delivered model is then refit on every message.
    expect(dynamics).toBe(run.trainCount - run.validationCount);
  });

  it('trains the neural model too', async () => {
    const run = await train({ model: 'mlp', learningRate: 0.02, epochs: 8 });
    expect(run.status).toBe('completed');
    expect(run.validationMetrics!.rocAuc).toBeGreaterThan(0.9);
    expect(decodeWeights(runModel(corpus.backend().context.db, run.id), 'run').kind).toBe('mlp');
  });

  it('is deterministic: the same seed gives the same model on the same backend', async () => {
    const a = await train({ epochs: 3, seed: 7 });
    const b = await train({ epochs: 3, seed: 7 });
    expect(runModel(corpus.backend().context.db, a.id).equals(runModel(corpus.backend().context.db, b.id))).toBe(true);
    const c = await train({ epochs: 3, seed: 8 });
    expect(runModel(corpus.backend().context.db, c.id).equals(runModel(corpus.backend().context.db, a.id))).toBe(false);
  });

  it('weighs classes: a heavy spam weight pushes probabilities toward spam', async () => {
    const plain = await train({ epochs: 3 });
    const heavy = await train({ epochs: 3, classWeighting: 'positive', positiveWeight: 20 });
    const meanProbability = (runId: number) =>
      corpus
        .backend()
        .context.db.prepare(`SELECT avg(probability) FROM predictions WHERE run_id = ? AND split = 'validation'`)
        .pluck()
        .get(runId) as number;
    expect(meanProbability(heavy.id)).toBeGreaterThan(meanProbability(plain.id));
  });

  it('stops early when validation loss stops improving, keeping the best epoch', async () => {
    const run = await train({ epochs: 200, learningRate: 1, earlyStoppingPatience: 2 });
    const losses = epochCurve(run.id);
    expect(losses.length).toBeLessThan(200);
    const best = Math.min(...losses);
    expect(losses.indexOf(best)).toBe(losses.length - 3);
    expect(run.validationMetrics!.logLoss).toBeCloseTo(best, 6);
  });

  it('gives every message an out-of-fold prediction with k folds', async () => {
    const run = await train({ epochs: 3, folds: 3 });
    const labeled = corpus.backend().context.db.prepare('SELECT count(*) FROM labels').pluck().get();
    const oof = corpus
      .backend()
      .context.db.prepare(`SELECT count(DISTINCT message_id) FROM predictions WHERE run_id = ? AND split = 'oof'`)
      .pluck()
      .get(run.id);
    expect(oof).toBe(labeled);
  });

  it('cancels within a second and a half', async () => {
    const { runId, finished } = corpus
      .backend()
      .training.start({ ...DEFAULT_TRAIN_SETTINGS, model: 'mlp', epochs: 500, earlyStoppingPatience: 0 });
    await new Promise((resolve) => {
      const off = corpus.backend().on('training.steps', (e) => e.runId === runId && (off(), resolve(null)));
    });
    const started = Date.now();
    expect((await corpus.backend().handle('training.cancel', { runId })).ok).toBe(true);
    const run = await finished;
    expect(Date.now() - started).toBeLessThan(1500);
    expect(run.status).toBe('cancelled');
  });
});
