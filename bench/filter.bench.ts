// spamlab against bogofilter on the same files: import + train, then classify
// a held-out stratified 20% of the SpamAssassin corpus. Prints speeds, quality
// and the ratios spamlab/bogofilter.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { DEFAULT_TRAIN_SETTINGS, TfBackendName } from '../shared/types';
import { openApi } from '../electron/backend/api';
import { ensureFeatures } from '../electron/backend/features/cache';
import { importPaths } from '../electron/backend/ingest/importer';
import { computeMetrics } from '../electron/backend/evaluation/metrics';
import { corpusSplitOnDisk, fmt, hasCommand, machine, peakRssMb, table, timed } from './common';

async function main() {
  console.log(`spamlab vs bogofilter — ${new Date().toISOString().slice(0, 10)} — ${machine()}\n`);
  const split = corpusSplitOnDisk();
  const targets = split.test.map((m) => (m.label === 'spam' ? 1 : 0));
  console.log(`corpus: ${split.train.length} train, ${split.test.length} test messages (${fmt(split.trainBytes / 1e6, 1)} MB train)\n`);

  const backend = await openApi({ dbPath: path.join(split.dir, 'spamlab.db') });
  const ctx = backend.context;
  const imported = await timed(async () => {
    await importPaths(ctx.db, [split.trainSpamMbox], { label: 'spam', origin: 'cli' });
    return importPaths(ctx.db, [split.trainHamMbox], { label: 'ham', origin: 'cli' });
  });
  const features = await timed(() => ensureFeatures(ctx.db));
  const count = split.train.length;

  const epochSpeeds: Record<string, number[]> = {};
  const runs: Array<{ backend: TfBackendName; seconds: number; runId: number }> = [];
  for (const tfBackend of ['wasm', 'cpu'] as const) {
    const speeds: number[] = [];
    const off = backend.on('training.epoch', (e) => speeds.push(e.examplesPerSecond));
    const trained = await timed(
      () => backend.training.start({ ...DEFAULT_TRAIN_SETTINGS, validationShare: 0.1, backend: tfBackend }).finished,
    );
    off();
    if (trained.value.status !== 'completed') throw new Error(`training on ${tfBackend} ${trained.value.status}: ${trained.value.error}`);
    epochSpeeds[tfBackend] = speeds;
    runs.push({ backend: trained.value.backend ?? tfBackend, seconds: trained.seconds, runId: trained.value.id });
  }
  const runId = runs[0]!.runId;

  await backend.close();
  // Batch classification as a user runs it: the CLI over all test files, process start included.
  const inputs = split.testFiles;
  const classified = await timed(() => {
    const out = execFileSync(
      process.execPath,
      [
        path.join(__dirname, '..', 'cli.js'),
        'classify',
        '--db',
        path.join(split.dir, 'spamlab.db'),
        '--run',
        String(runId),
        '--json',
        ...inputs,
      ],
      {
        maxBuffer: 64 * 1024 * 1024,
      },
    ).toString();
    return out
      .trim()
      .split('\n')
      .map((line) => (JSON.parse(line) as { probability: number }).probability);
  });
  const ours = computeMetrics(classified.value, targets, 0.5);

  const rows: Array<Record<string, string | number>> = [
    {
      step: 'import (parse + store)',
      spamlab: `${fmt(count / imported.seconds)} msg/s, ${fmt(split.trainBytes / 1e6 / imported.seconds, 1)} MB/s`,
      bogofilter: '',
    },
    { step: 'feature extraction', spamlab: `${fmt(count / features.seconds)} msg/s`, bogofilter: '' },
    ...runs.map((r) => ({
      step: `train, ${r.backend} backend`,
      spamlab: `${fmt(r.seconds, 2)} s total; epochs ${epochSpeeds[r.backend]!.map((s) => fmt(s)).join(' / ')} ex/s`,
      bogofilter: '',
    })),
    { step: 'classify', spamlab: `${fmt(inputs.length / classified.seconds)} msg/s`, bogofilter: '' },
    { step: 'ROC AUC / log-loss', spamlab: `${ours.rocAuc.toFixed(5)} / ${ours.logLoss.toFixed(4)}`, bogofilter: '' },
    {
      step: 'hm% / sm% at 0.5',
      spamlab: `${ours.hamMisclassifiedPct.toFixed(2)} / ${ours.spamMisclassifiedPct.toFixed(2)}`,
      bogofilter: '',
    },
  ];

  if (hasCommand('bogofilter')) {
    const wordlist = path.join(split.dir, 'bogofilter');
    fs.mkdirSync(wordlist);
    const bogoTrain = await timed(() => {
      execFileSync('bogofilter', ['-d', wordlist, '-s', '-M', '-I', split.trainSpamMbox]);
      execFileSync('bogofilter', ['-d', wordlist, '-n', '-M', '-I', split.trainHamMbox]);
    });
    const bogoClassify = await timed(() => {
      // bogofilter exits 1 or 2 when the last message was ham or unsure: its output is still complete.
      const result = spawnSync('bogofilter', ['-d', wordlist, '-T', '-B', ...split.testFiles], { maxBuffer: 64 * 1024 * 1024 });
      const out = result.stdout.toString();
      const byFile = new Map(
        out
          .trim()
          .split('\n')
          .map((line) => {
            const [file, , score] = line.split(' ');
            return [file!, Number(score)] as const;
          }),
      );
      return split.testFiles.map((file) => byFile.get(file) ?? 0.5);
    });
    const theirs = computeMetrics(bogoClassify.value, targets, 0.5);
    const ourImportTrain = imported.seconds + features.seconds + runs[0]!.seconds;
    rows[0]!.bogofilter = `(register, below)`;
    rows[2]!.bogofilter = `${fmt(bogoTrain.seconds, 2)} s register spam+ham`;
    rows[4]!.bogofilter = `${fmt(inputs.length / bogoClassify.seconds)} msg/s`;
    rows[5]!.bogofilter = `${theirs.rocAuc.toFixed(5)} / ${theirs.logLoss.toFixed(4)}`;
    rows[6]!.bogofilter = `${theirs.hamMisclassifiedPct.toFixed(2)} / ${theirs.spamMisclassifiedPct.toFixed(2)}`;
    table(rows);
    console.log(`\nratio spamlab/bogofilter, import+train time (wasm): ${fmt(ourImportTrain / bogoTrain.seconds, 2)}× (lower is faster)`);
    console.log(
      `ratio spamlab/bogofilter, classify throughput: ${fmt(inputs.length / classified.seconds / (inputs.length / bogoClassify.seconds), 2)}× (higher is faster)`,
    );
  } else {
    table(rows);
    console.log('\nbogofilter is not installed (apt-get install -y bogofilter): no ratios.');
  }
  console.log(`peak memory (RSS): ${fmt(peakRssMb())} MB`);
  fs.rmSync(split.dir, { recursive: true, force: true });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
