// spamlab against bogofilter on the same files: import + train, then classify
// a held-out stratified 20% of the SpamAssassin corpus. Prints speeds, quality
// and the ratios spamlab/bogofilter.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { DEFAULT_TRAIN_SETTINGS, TfBackendName } from '../shared/types';
import { openApiWithInternals as openApi } from '../electron/backend/api/backend';
import { ensureFeatures } from '../electron/backend/features/cache';
import { importPaths } from '../electron/backend/ingest/importer';
import { computeMetrics } from '../electron/backend/evaluation/metrics';
import { indexPendingSearch } from '../electron/backend/store/search-index';
import { corpusSplitOnDisk, fmt, hasCommand, machine, peakRssMb, table, timed } from './common';

async function main() {
  console.log(`spamlab vs bogofilter — ${new Date().toISOString().slice(0, 10)} — ${machine()}\n`);
  const split = corpusSplitOnDisk();
  const targets = split.test.map((m) => (m.label === 'spam' ? 1 : 0));
  console.log(`corpus: ${split.train.length} train, ${split.test.length} test messages (${fmt(split.trainBytes / 1e6, 1)} MB train)\n`);

  const dbPath = path.join(split.dir, 'spamlab.db');
  const backend = await openApi({ dbPath, indexSearchInBackground: false });
  const ctx = backend.context;
  const imported = await timed(async () => {
    await importPaths(ctx.db, [split.trainSpamMbox], { label: 'spam', origin: 'cli' });
    return importPaths(ctx.db, [split.trainHamMbox], { label: 'ham', origin: 'cli' });
  });
  // What the app does between requests once an import ends (and a search does first).
  const searchIndexed = await timed(() => indexPendingSearch(ctx.db));
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

  const everyFile = [...split.trainFiles, ...split.testFiles];
  const heldOut = await timed(() => classifyWithCli(dbPath, runId, split.testFiles));
  const everything = await timed(() => classifyWithCli(dbPath, runId, everyFile));
  const ours = computeMetrics(heldOut.value, targets, 0.5);

  const rows: Record<string, { step: string; spamlab: string; bogofilter?: string }> = {
    import: {
      step: 'import (parse + store)',
      spamlab: `${fmt(count / imported.seconds)} msg/s, ${fmt(split.trainBytes / 1e6 / imported.seconds, 1)} MB/s`,
    },
    search: {
      step: 'full-text index, after import',
      spamlab: `${fmt(searchIndexed.seconds, 2)} s (${fmt(count / searchIndexed.seconds)} msg/s)`,
    },
    features: { step: 'feature extraction', spamlab: `${fmt(count / features.seconds)} msg/s` },
    ...Object.fromEntries(
      runs.map((r) => [
        r.backend,
        {
          step: `train, ${r.backend} backend`,
          spamlab: `${fmt(r.seconds, 2)} s total; epochs ${epochSpeeds[r.backend]!.map((s) => fmt(s)).join(' / ')} ex/s`,
        },
      ]),
    ),
    heldOut: {
      step: `classify the ${fmt(split.testFiles.length)} held-out files`,
      spamlab: `${fmt(split.testFiles.length / heldOut.seconds)} msg/s`,
    },
    everything: { step: `classify all ${fmt(everyFile.length)} files`, spamlab: `${fmt(everyFile.length / everything.seconds)} msg/s` },
    quality: { step: 'ROC AUC / log-loss', spamlab: `${ours.rocAuc.toFixed(5)} / ${ours.logLoss.toFixed(4)}` },
    errors: {
      step: 'hm% / sm% at 0.5',
      spamlab: `${ours.hamMisclassifiedPct.toFixed(2)} / ${ours.spamMisclassifiedPct.toFixed(2)}`,
    },
  };

  if (!hasCommand('bogofilter')) {
    table(Object.values(rows));
    console.log('\nbogofilter is not installed (apt-get install -y bogofilter): no ratios.');
  } else {
    const wordlist = path.join(split.dir, 'bogofilter');
    fs.mkdirSync(wordlist);
    const bogoTrain = await timed(() => {
      execFileSync('bogofilter', ['-d', wordlist, '-s', '-M', '-I', split.trainSpamMbox]);
      execFileSync('bogofilter', ['-d', wordlist, '-n', '-M', '-I', split.trainHamMbox]);
    });
    const bogoHeldOut = await timed(() => classifyWithBogofilter(wordlist, split.testFiles));
    const bogoEverything = await timed(() => classifyWithBogofilter(wordlist, everyFile));
    const theirs = computeMetrics(bogoHeldOut.value, targets, 0.5);
    rows.import!.bogofilter = '(register, below)';
    rows[runs[0]!.backend]!.bogofilter = `${fmt(bogoTrain.seconds, 2)} s register spam+ham`;
    rows.heldOut!.bogofilter = `${fmt(split.testFiles.length / bogoHeldOut.seconds)} msg/s`;
    rows.everything!.bogofilter = `${fmt(everyFile.length / bogoEverything.seconds)} msg/s`;
    rows.quality!.bogofilter = `${theirs.rocAuc.toFixed(5)} / ${theirs.logLoss.toFixed(4)}`;
    rows.errors!.bogofilter = `${theirs.hamMisclassifiedPct.toFixed(2)} / ${theirs.spamMisclassifiedPct.toFixed(2)}`;
    table(Object.values(rows).map((row) => ({ ...row, bogofilter: row.bogofilter ?? '' })));
    const ourImportTrain = imported.seconds + searchIndexed.seconds + features.seconds + runs[0]!.seconds;
    console.log(`\nratio spamlab/bogofilter, import+train time (wasm): ${fmt(ourImportTrain / bogoTrain.seconds, 2)}× (lower is faster)`);
    const speedRatio = (ours: number, theirs: number) => `${fmt(theirs / ours, 2)}×`;
    console.log(
      `ratio spamlab/bogofilter, classify throughput: ${speedRatio(heldOut.seconds, bogoHeldOut.seconds)} on the held-out files, ` +
        `${speedRatio(everything.seconds, bogoEverything.seconds)} on all files (higher is faster)`,
    );
  }
  console.log(`peak memory (RSS): ${fmt(peakRssMb())} MB`);
  fs.rmSync(split.dir, { recursive: true, force: true });
}

/** Batch classification as a user runs it: the CLI over the files, process start included. */
function classifyWithCli(dbPath: string, runId: number, files: string[]): number[] {
  const cli = path.join(__dirname, '..', 'cli.js');
  const out = execFileSync(process.execPath, [cli, 'classify', '--db', dbPath, '--run', String(runId), '--json', ...files], {
    maxBuffer: 64 * 1024 * 1024,
  }).toString();
  return out
    .trim()
    .split('\n')
    .map((line) => (JSON.parse(line) as { probability: number }).probability);
}

/** bogofilter's spam probability per file, in the order given. */
function classifyWithBogofilter(wordlist: string, files: string[]): number[] {
  // bogofilter exits 1 or 2 when the last message was ham or unsure: its output is still complete.
  const out = spawnSync('bogofilter', ['-d', wordlist, '-T', '-B', ...files], { maxBuffer: 64 * 1024 * 1024 }).stdout.toString();
  const byFile = new Map(
    out
      .trim()
      .split('\n')
      .map((line) => {
        const [file, , score] = line.split(' ');
        return [file!, Number(score)] as const;
      }),
  );
  return files.map((file) => byFile.get(file) ?? 0.5);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
