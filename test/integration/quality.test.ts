// The default model's quality on the whole SpamAssassin corpus, on a random and
// a chronological split, through the real import, the real training worker and
// the classify request. Floors sit below today's figures (docs/evaluation.md)
// so that a change that hurts the filter fails here; the bench gives the figures.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_TRAIN_SETTINGS } from '../../shared/types';
import { openApiWithInternals } from '../../electron/backend/api/backend';
import { importPaths } from '../../electron/backend/ingest/importer';
import { computeMetrics } from '../../electron/backend/evaluation/metrics';
import { CorpusMessage, loadCorpus, stratifiedSplit, writeEmlFolder, writeMbox } from '../support/corpus';
import { chronologicalSplit, dated } from '../support/chrono';
import { tempDir } from '../support/cli';

const dir = tempDir('quality');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const corpus = loadCorpus();

/** Trains the default model on `train` and scores `test`: probabilities, the run's threshold, its holdout. */
async function defaultModelOn(name: string, train: CorpusMessage[], test: CorpusMessage[]) {
  const backend = await openApiWithInternals({ dbPath: path.join(dir, `${name}.db`), indexSearchInBackground: false });
  try {
    for (const label of ['spam', 'ham'] as const) {
      const file = path.join(dir, `${name}-${label}.mbox`);
      writeMbox(
        file,
        train.filter((m) => m.label === label),
      );
      await importPaths(backend.context.db, [file], { label, origin: 'import' });
    }
    const run = await backend.training.start(DEFAULT_TRAIN_SETTINGS).finished;
    expect(run.status).toBe('completed');
    const testDir = path.join(dir, `${name}-test`);
    writeEmlFolder(testDir, test);
    const paths = test.map((m) => path.join(testDir, `${m.name}.eml`));
    const result = await backend.handle('classify.files', { paths, runId: run.id });
    if (!result.ok) throw new Error(result.error.message);
    const scores = (result.value as { scores: Array<{ probability: number } | { error: string }> }).scores;
    return { run, probabilities: scores.map((s) => ('probability' in s ? s.probability : NaN)) };
  } finally {
    await backend.close();
  }
}

function recallAtFpr(probabilities: number[], targets: number[], fpr: number): number {
  const ham = probabilities.filter((_, i) => targets[i] === 0).sort((a, b) => b - a);
  const cutoff = ham[Math.floor(ham.length * fpr)]!;
  const spam = probabilities.filter((_, i) => targets[i] === 1);
  return spam.filter((p) => p > cutoff).length / spam.length;
}

function judge(test: CorpusMessage[], probabilities: number[], threshold: number) {
  const targets = test.map((m) => (m.label === 'spam' ? 1 : 0));
  const hard = probabilities.filter((_, i) => test[i]!.group === 'hard-ham-1');
  return {
    metrics: computeMetrics(probabilities, targets, threshold),
    recallAt1PctFpr: recallAtFpr(probabilities, targets, 0.01),
    hardHamFlagged: hard.filter((p) => p >= threshold).length / hard.length,
  };
}

const SPLITS = [
  {
    name: 'a random 80/20 split',
    split: () => stratifiedSplit(corpus, 0.2, 42),
    floors: { auc: 0.9993, logLoss: 0.03, recall: 0.98, hardHam: 0.1 },
  },
  {
    name: 'older mail for training and newer for testing',
    split: () => chronologicalSplit(dated(corpus)),
    floors: { auc: 0.997, logLoss: 0.09, recall: 0.95, hardHam: 0.2 },
  },
];

describe('default model quality on the SpamAssassin corpus', () => {
  it.each(SPLITS)(
    'on $name: AUC, log-loss, recall at 1% FPR and hard ham flagged within their floors',
    async ({ name, split, floors }) => {
      const { train, test } = split();
      const { run, probabilities } = await defaultModelOn(name.split(' ')[1]!, train, test);
      expect(run.holdout?.kind).toBe('newest');
      expect(run.trainCount).toBe(train.length);
      const q = judge(test, probabilities, run.threshold);
      expect(q.metrics.rocAuc).toBeGreaterThan(floors.auc);
      expect(q.metrics.logLoss).toBeLessThan(floors.logLoss);
      expect(q.recallAt1PctFpr).toBeGreaterThan(floors.recall);
      expect(q.hardHamFlagged).toBeLessThanOrEqual(floors.hardHam);
    },
    120_000,
  );
});
