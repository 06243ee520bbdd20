// spamlab's default model against scikit-learn's LogisticRegression on TF-IDF
// of the raw text (Debian's python3-sklearn), on the same stratified 80/20
// split of the SpamAssassin corpus. Prints both models' quality side by side.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { DEFAULT_TRAIN_SETTINGS } from '../shared/types';
import { openApiWithInternals as openApi } from '../electron/backend/api/backend';
import { classifyMail } from '../electron/backend/api/classify';
import { importPaths } from '../electron/backend/ingest/importer';
import { parseMail } from '../electron/backend/ingest/parse';
import { computeMetrics } from '../electron/backend/evaluation/metrics';
import { corpusSplitOnDisk, fmt, machine, table, timed } from './common';

const PYTHON = '/usr/bin/python3';

async function main() {
  console.log(`spamlab vs scikit-learn LogisticRegression — ${new Date().toISOString().slice(0, 10)} — ${machine()}\n`);
  const split = corpusSplitOnDisk();
  const targets = split.test.map((m) => (m.label === 'spam' ? 1 : 0));

  const backend = await openApi({ dbPath: path.join(split.dir, 'spamlab.db') });
  await importPaths(backend.context.db, [split.trainSpamMbox], { label: 'spam', origin: 'cli' });
  await importPaths(backend.context.db, [split.trainHamMbox], { label: 'ham', origin: 'cli' });
  const trained = await timed(() => backend.training.start({ ...DEFAULT_TRAIN_SETTINGS, validationShare: 0.1 }).finished);
  const run = trained.value;
  if (run.status !== 'completed') throw new Error(`training ${run.status}: ${run.error}`);
  const probabilities: number[] = [];
  for (const file of split.testFiles)
    probabilities.push(classifyMail(backend.context, await parseMail(fs.readFileSync(file)), run.id).probability);
  await backend.close();
  const ours = computeMetrics(probabilities, targets, 0.5);

  const manifest = path.join(split.dir, 'manifest.json');
  const pairs = (files: string[], messages: typeof split.train) => messages.map((m, i) => [files[i], m.label]);
  fs.writeFileSync(manifest, JSON.stringify({ train: pairs(split.trainFiles, split.train), test: pairs(split.testFiles, split.test) }));
  const theirs = JSON.parse(execFileSync(PYTHON, [path.join(__dirname, '..', '..', 'bench', 'sklearn_lr.py'), manifest]).toString()) as {
    auc: number;
    logLoss: number;
    f1: number;
    fitSeconds: number;
  };

  table([
    {
      model: `spamlab ${run.settings.model} (${run.backend})`,
      'ROC AUC': ours.rocAuc.toFixed(5),
      'log-loss': ours.logLoss.toFixed(4),
      F1: ours.f1.toFixed(4),
      'fit s': fmt(trained.seconds, 2),
    },
    {
      model: 'sklearn LogisticRegression, TF-IDF',
      'ROC AUC': theirs.auc.toFixed(5),
      'log-loss': theirs.logLoss.toFixed(4),
      F1: theirs.f1.toFixed(4),
      'fit s': fmt(theirs.fitSeconds, 2),
    },
  ]);
  console.log(`\ntest set: ${split.test.length} messages; spamlab fit includes feature extraction and validation scoring.`);
  fs.rmSync(split.dir, { recursive: true, force: true });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
