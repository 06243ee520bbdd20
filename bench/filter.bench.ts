// spamlab's default model against bogofilter, spamprobe and two scikit-learn
// models, on two splits of the SpamAssassin corpus: stratified random 80/20
// (seed 42) and chronological (per class, the newest 20% by date is the test
// set). spamlab is a black box here: only its command line, as a user runs it.
// BENCH_QUICK=1 runs on a small subset; BENCH_JSON=FILE writes every figure.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { CORPUS_GROUPS, CorpusMessage, loadCorpus } from '../test/support/corpus';
import { chronologicalSplit, Dated, dated, globalCutMix } from '../test/support/chrono';
import { fmt, hasCommand, jsonLines, loadLine, machine, measured, randomSplit, SplitOnDisk, splitOnDisk, table } from './common';
import { CLIP, f1, logLoss, recallAtFpr, rocAuc, wrongPct } from './metrics';

const QUICK = process.env.BENCH_QUICK === '1';
const ROOT = path.join(__dirname, '..', '..');
const CLI = path.join(ROOT, 'dist', 'cli.js');
const PYTHON = '/usr/bin/python3';
const INSTALL = 'apt-get install -y bogofilter spamprobe python3-sklearn';

/** One tool's scores on the test set. */
interface ToolRun {
  tool: string;
  /** Where its verdicts come from. */
  threshold: string;
  scores: number[];
  verdicts: number[];
  /** Seconds to train: import + train for spamlab, register for bogofilter, fit for the others. */
  trainSeconds: number;
}

interface Row {
  tool: string;
  threshold: string;
  rocAuc: number;
  logLoss: number;
  f1: number;
  recallAt1PctFpr: number;
  easyHamFlaggedPct: number;
  hardHamFlaggedPct: number;
  spamMissedPct: number;
  trainSeconds: number;
  /** Share (%) of the scores the log-loss clip changed. */
  clippedPct: number;
}

function score(run: ToolRun, test: CorpusMessage[]): Row {
  const targets = test.map((m) => (m.label === 'spam' ? 1 : 0));
  const all = () => true;
  return {
    tool: run.tool,
    threshold: run.threshold,
    rocAuc: rocAuc(run.scores, targets),
    logLoss: logLoss(run.scores, targets),
    f1: f1(run.verdicts, targets),
    recallAt1PctFpr: recallAtFpr(run.scores, targets, 0.01),
    easyHamFlaggedPct: wrongPct(run.verdicts, targets, (i) => test[i]!.group.startsWith('easy-ham'), 0),
    hardHamFlaggedPct: wrongPct(run.verdicts, targets, (i) => test[i]!.group === 'hard-ham-1', 0),
    spamMissedPct: wrongPct(run.verdicts, targets, all, 1),
    trainSeconds: run.trainSeconds,
    clippedPct: (100 * run.scores.filter((s) => s < CLIP || s > 1 - CLIP).length) / run.scores.length,
  };
}

interface SpamlabFigures {
  runId: number;
  model: string;
  backend: string;
  threshold: number;
  importSeconds: number;
  trainSeconds: number;
  imported: number;
  duplicates: number;
  importMsgPerSec: number;
  classifyHeldOutMsgPerSec: number;
  classifyAllMsgPerSec: number;
  allFiles: number;
  peakRssMb: { import: number; train: number; classify: number };
}

interface SpamlabRun {
  id: number;
  status: string;
  threshold: number;
  backend: string;
  settings: { model: string };
  error?: string;
}

/** Trains a run on the imported mail with `flags` and scores the held-out files with it. */
function trainAndScore(db: string, split: SplitOnDisk, flags: string[]) {
  const node = process.execPath;
  const train = measured(node, [CLI, 'train', '--db', db, '--json', ...flags]);
  const run = jsonLines(train.stdout).pop() as unknown as SpamlabRun;
  if (run.status !== 'completed') throw new Error(`spamlab train ${flags.join(' ')} ${run.status}: ${run.error}`);
  const classify = (files: string[]) => measured(node, [CLI, 'classify', '--db', db, '--run', String(run.id), '--json', ...files]);
  const heldOut = classify(split.testFiles);
  const byFile = new Map(jsonLines(heldOut.stdout).map((r) => [r.file as string, r as { probability: number; label: string }]));
  const results = split.testFiles.map((f) => {
    const r = byFile.get(f);
    if (!r) throw new Error(`spamlab classify gave no line for ${f}`);
    return r;
  });
  return { train, run, heldOut, classify, results };
}

/** The Fβ-weighted BCE option at β = 0.5, 1 and 2, on the same imported mail: how it trades ham lost for spam missed. */
function runSpamlabFbeta(db: string, split: SplitOnDisk): ToolRun[] {
  return [0.5, 1, 2].map((beta) => {
    const { run, results, train } = trainAndScore(db, split, ['--class-weight', 'fbeta', '--beta', String(beta)]);
    return {
      tool: `spamlab, Fβ-weighted BCE, β = ${beta}`,
      threshold: `run's ${fmt(run.threshold, 2)}`,
      scores: results.map((r) => r.probability),
      verdicts: results.map((r) => (r.label === 'spam' ? 1 : 0)),
      trainSeconds: train.seconds,
    };
  });
}

function runSpamlab(split: SplitOnDisk): { run: ToolRun; figures: SpamlabFigures; db: string } {
  const db = path.join(split.dir, 'spamlab.db');
  const node = process.execPath;
  const importSpam = measured(node, [CLI, 'import', split.trainSpamMbox, '--label', 'spam', '--db', db, '--json']);
  const importHam = measured(node, [CLI, 'import', split.trainHamMbox, '--label', 'ham', '--db', db, '--json']);
  const imports = [importSpam, importHam].map((m) => jsonLines(m.stdout).pop() as { imported: number; duplicates: number });
  const { train, run, heldOut, classify, results } = trainAndScore(db, split, []);
  const allFiles = [...split.trainFiles, ...split.testFiles];
  const everything = classify(allFiles);
  const importSeconds = importSpam.seconds + importHam.seconds;
  return {
    db,
    run: {
      tool: `spamlab ${run.settings.model} (default, ${run.backend})`,
      threshold: `run's ${fmt(run.threshold, 2)}`,
      scores: results.map((r) => r.probability),
      verdicts: results.map((r) => (r.label === 'spam' ? 1 : 0)),
      trainSeconds: importSeconds + train.seconds,
    },
    figures: {
      runId: run.id,
      model: run.settings.model,
      backend: run.backend,
      threshold: run.threshold,
      importSeconds,
      trainSeconds: train.seconds,
      imported: imports.reduce((s, i) => s + i.imported, 0),
      duplicates: imports.reduce((s, i) => s + i.duplicates, 0),
      importMsgPerSec: split.train.length / importSeconds,
      classifyHeldOutMsgPerSec: split.testFiles.length / heldOut.seconds,
      classifyAllMsgPerSec: allFiles.length / everything.seconds,
      allFiles: allFiles.length,
      peakRssMb: {
        import: Math.max(importSpam.peakRssMb, importHam.peakRssMb),
        train: train.peakRssMb,
        classify: Math.max(heldOut.peakRssMb, everything.peakRssMb),
      },
    },
  };
}

function bogofilterCutoff(): number {
  const out = spawnSync('bogofilter', ['-Q']).stdout?.toString() ?? '';
  return Number(/^spam_cutoff\s*=\s*([\d.]+)/m.exec(out)?.[1] ?? NaN);
}

function runBogofilter(split: SplitOnDisk): { runs: ToolRun[]; registerSeconds: number; classifyAllMsgPerSec: number } {
  const wordlist = path.join(split.dir, 'bogofilter');
  fs.mkdirSync(wordlist);
  const spam = measured('bogofilter', ['-d', wordlist, '-s', '-M', '-I', split.trainSpamMbox]);
  const ham = measured('bogofilter', ['-d', wordlist, '-n', '-M', '-I', split.trainHamMbox]);
  // bogofilter exits 1 or 2 when the last message was ham or unsure: its output is still complete.
  const classify = (files: string[]) => measured('bogofilter', ['-d', wordlist, '-T', '-B', ...files], [0, 1, 2]);
  const out = classify(split.testFiles);
  const allFiles = [...split.trainFiles, ...split.testFiles];
  const everything = classify(allFiles);
  const byFile = new Map(
    out.stdout
      .trim()
      .split('\n')
      .map((line) => {
        const [file, verdict, score] = line.split(' ');
        return [file!, { verdict: verdict!, score: Number(score) }] as const;
      }),
  );
  const results = split.testFiles.map((f) => {
    const r = byFile.get(f);
    if (!r) throw new Error(`bogofilter gave no line for ${f}`);
    return r;
  });
  const registerSeconds = spam.seconds + ham.seconds;
  const scores = results.map((r) => r.score);
  return {
    runs: [
      {
        tool: 'bogofilter (own verdict)',
        threshold: `spam_cutoff ${bogofilterCutoff()}`,
        scores,
        verdicts: results.map((r) => (r.verdict === 'S' ? 1 : 0)),
        trainSeconds: registerSeconds,
      },
      {
        tool: 'bogofilter at 0.5',
        threshold: '0.5',
        scores,
        verdicts: scores.map((s) => (s >= 0.5 ? 1 : 0)),
        trainSeconds: registerSeconds,
      },
    ],
    registerSeconds,
    classifyAllMsgPerSec: allFiles.length / everything.seconds,
  };
}

function runSpamprobe(split: SplitOnDisk): ToolRun {
  const dir = path.join(split.dir, 'spamprobe');
  const spam = measured('spamprobe', ['-c', '-d', dir, 'spam', split.trainSpamMbox]);
  const good = measured('spamprobe', ['-d', dir, 'good', split.trainHamMbox]);
  const out = measured('spamprobe', ['-d', dir, '-M', 'score', ...split.testFiles]);
  const lines = out.stdout.trim().split('\n');
  if (lines.length !== split.testFiles.length) throw new Error(`spamprobe scored ${lines.length} of ${split.testFiles.length} files`);
  const results = lines.map((line) => {
    const [verdict, scoreText] = line.split(' ');
    return { verdict: verdict!, score: Number(scoreText) };
  });
  return {
    tool: 'spamprobe (own verdict)',
    threshold: 'its default 0.7',
    scores: results.map((r) => r.score),
    verdicts: results.map((r) => (r.verdict === 'SPAM' ? 1 : 0)),
    trainSeconds: spam.seconds + good.seconds,
  };
}

interface SklearnModel {
  param: string;
  chosen: number;
  cvLogLoss: Record<string, number>;
  cvSeconds: number;
  fitSeconds: number;
  probabilities: number[];
}

function runSklearn(split: SplitOnDisk): { runs: ToolRun[]; version: string; models: Record<string, Omit<SklearnModel, 'probabilities'>> } {
  const manifest = path.join(split.dir, 'manifest.json');
  fs.writeFileSync(manifest, JSON.stringify({ train: split.train.map((m, i) => [split.trainFiles[i], m.label]), test: split.testFiles }));
  const out = measured(PYTHON, [path.join(ROOT, 'bench', 'sklearn_peers.py'), manifest]);
  const result = JSON.parse(out.stdout) as { version: string; lr: SklearnModel; nb: SklearnModel };
  const run = (name: string, m: SklearnModel): ToolRun => ({
    tool: name,
    threshold: '0.5',
    scores: m.probabilities,
    verdicts: m.probabilities.map((p) => (p >= 0.5 ? 1 : 0)),
    trainSeconds: m.fitSeconds,
  });
  const strip = ({ probabilities: _p, ...rest }: SklearnModel) => rest;
  return {
    runs: [
      run(`sklearn LogReg TF-IDF, C=${result.lr.chosen}`, result.lr),
      run(`sklearn MultinomialNB, alpha=${result.nb.chosen}`, result.nb),
    ],
    version: result.version,
    models: { lr: strip(result.lr), nb: strip(result.nb) },
  };
}

const day = (t: number | null | undefined) =>
  t === null || t === undefined || !Number.isFinite(t) ? '—' : new Date(t).toISOString().slice(0, 10);

function dateRange(messages: Dated[]): string {
  const times = messages.map((m) => m.time).filter((t): t is number => t !== null);
  return `${day(Math.min(...times))} … ${day(Math.max(...times))}`;
}

function counts(messages: CorpusMessage[]): Record<string, number> {
  const out: Record<string, number> = { spam: 0, ham: 0 };
  for (const g of CORPUS_GROUPS) out[g] = 0;
  for (const m of messages) {
    out[m.label]!++;
    out[m.group]!++;
  }
  return out;
}

const countLine = (messages: CorpusMessage[]) => {
  const c = counts(messages);
  const spamPct = (100 * c.spam!) / messages.length;
  return `${fmt(messages.length)} (spam ${fmt(c.spam!)} = ${fmt(spamPct, 1)}%, ham ${fmt(c.ham!)}; ${CORPUS_GROUPS.map((g) => `${g} ${c[g]}`).join(', ')})`;
};

function printDates(messages: Dated[]) {
  const quantile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * (sorted.length - 1)))];
  table(
    CORPUS_GROUPS.map((group) => {
      const ofGroup = messages.filter((m) => m.group === group);
      const times = ofGroup
        .map((m) => m.time)
        .filter((t): t is number => t !== null)
        .sort((a, b) => a - b);
      return {
        group,
        messages: ofGroup.length,
        'by Date:': ofGroup.filter((m) => m.dateSource === 'date').length,
        'by Received:': ofGroup.filter((m) => m.dateSource === 'received').length,
        'no date': ofGroup.filter((m) => m.dateSource === 'none').length,
        oldest: day(times[0]),
        '5%': day(quantile(times, 0.05)),
        median: day(quantile(times, 0.5)),
        '95%': day(quantile(times, 0.95)),
        newest: day(times[times.length - 1]),
      };
    }),
  );
}

interface SplitReport {
  name: string;
  train: Record<string, number>;
  test: Record<string, number>;
  trainDates?: string;
  testDates?: string;
  rows: Row[];
  spamlab: SpamlabFigures;
  bogofilterRegisterSeconds?: number;
  bogofilterClassifyAllMsgPerSec?: number;
  sklearn?: { version: string; models: Record<string, unknown> };
  missing: string[];
}

function evaluate(name: string, train: Dated[], test: Dated[]): SplitReport {
  console.log(`\n=== ${name} split ===`);
  console.log(`train: ${countLine(train)}${name === 'chronological' ? `, dated ${dateRange(train)}` : ''}`);
  console.log(`test:  ${countLine(test)}${name === 'chronological' ? `, dated ${dateRange(test)}` : ''}`);
  if (name === 'chronological')
    for (const label of ['spam', 'ham'] as const)
      console.log(
        `  ${label}: train ${dateRange(train.filter((m) => m.label === label))}, test ${dateRange(test.filter((m) => m.label === label))}`,
      );
  const split = splitOnDisk(train, test);
  const runs: ToolRun[] = [];
  const missing: string[] = [];
  const report: Partial<SplitReport> = { name, train: counts(train), test: counts(test), missing };
  if (name === 'chronological') Object.assign(report, { trainDates: dateRange(train), testDates: dateRange(test) });

  const spamlab = runSpamlab(split);
  runs.push(spamlab.run, ...runSpamlabFbeta(spamlab.db, split));
  report.spamlab = spamlab.figures;
  if (hasCommand('bogofilter')) {
    const bogo = runBogofilter(split);
    runs.push(...bogo.runs);
    report.bogofilterRegisterSeconds = bogo.registerSeconds;
    report.bogofilterClassifyAllMsgPerSec = bogo.classifyAllMsgPerSec;
  } else missing.push('bogofilter');
  if (hasCommand('spamprobe')) runs.push(runSpamprobe(split));
  else missing.push('spamprobe');
  if (fs.existsSync(PYTHON) && spawnSync(PYTHON, ['-c', 'import sklearn']).status === 0) {
    const sk = runSklearn(split);
    runs.push(...sk.runs);
    report.sklearn = { version: sk.version, models: sk.models };
  } else missing.push('scikit-learn (python3-sklearn)');
  fs.rmSync(split.dir, { recursive: true, force: true });

  report.rows = runs.map((r) => score(r, test));
  console.log();
  const pct = (x: number) => (Number.isNaN(x) ? 'n/a' : x.toFixed(2));
  table(
    report.rows.map((r) => ({
      tool: r.tool,
      verdict: r.threshold,
      'ROC AUC': r.rocAuc.toFixed(5),
      'log-loss': r.logLoss.toFixed(4),
      'clipped %': r.clippedPct.toFixed(1),
      F1: r.f1.toFixed(4),
      'recall@1%FPR': r.recallAt1PctFpr.toFixed(3),
      'easy ham flagged %': pct(r.easyHamFlaggedPct),
      'hard ham flagged %': pct(r.hardHamFlaggedPct),
      'spam missed %': pct(r.spamMissedPct),
      'train s': fmt(r.trainSeconds, 2),
    })),
  );
  console.log(
    `log-loss clips every probability to [${CLIP}, 1 − ${CLIP}]; clipped % = share of the tool's test scores outside that range (0 or 1 for bogofilter's and NB's many), whose log-loss the clip decides.`,
  );
  console.log(
    'train s: spamlab import + train (two `import` runs and one `train`, process start included; the Fβ rows train only, on the same imported mail); bogofilter and spamprobe register spam + ham; sklearn the final fit (vectorizer included, CV not).',
  );
  if (report.sklearn) {
    const { lr, nb } = report.sklearn.models as Record<string, { cvLogLoss: Record<string, number>; cvSeconds: number }>;
    const grid = (m: { cvLogLoss: Record<string, number> }) =>
      Object.entries(m.cvLogLoss)
        .map(([k, v]) => `${k}: ${v.toFixed(4)}`)
        .join(', ');
    console.log(
      `sklearn ${report.sklearn.version}, 5-fold CV log-loss on the training part — LogReg C ${grid(lr!)} (${fmt(lr!.cvSeconds, 1)} s);`,
    );
    console.log(`  MultinomialNB alpha ${grid(nb!)} (${fmt(nb!.cvSeconds, 1)} s)`);
  }
  const f = spamlab.figures;
  console.log(
    `spamlab: import ${fmt(f.importMsgPerSec)} msg/s (${fmt(f.imported)} stored, ${fmt(f.duplicates)} duplicates), train ${fmt(f.trainSeconds, 2)} s; ` +
      `classify ${fmt(f.classifyHeldOutMsgPerSec)} msg/s on the ${fmt(split.testFiles.length)} held-out files, ${fmt(f.classifyAllMsgPerSec)} msg/s on all ${fmt(f.allFiles)}; ` +
      `peak RSS import ${fmt(f.peakRssMb.import)} MB, train ${fmt(f.peakRssMb.train)} MB, classify ${fmt(f.peakRssMb.classify)} MB`,
  );
  if (report.bogofilterRegisterSeconds !== undefined)
    console.log(
      `spamlab/bogofilter: import+train ${fmt(f.importSeconds + f.trainSeconds, 2)} s / register ${fmt(report.bogofilterRegisterSeconds, 2)} s = ` +
        `${fmt((f.importSeconds + f.trainSeconds) / report.bogofilterRegisterSeconds, 1)}×; classify all files ${fmt(f.classifyAllMsgPerSec)} vs ${fmt(report.bogofilterClassifyAllMsgPerSec!)} msg/s`,
    );
  for (const m of missing) console.log(`${m} is not installed: skipped (${INSTALL})`);
  return report as SplitReport;
}

interface Target {
  split: string;
  target: string;
  met: boolean;
  figures: string;
}

function targets(report: SplitReport): Target[] {
  const [ours, ...others] = report.rows;
  const peers = others.filter((r) => !r.tool.startsWith('spamlab'));
  const out: Target[] = [];
  const add = (target: string, met: boolean, figures: string) => out.push({ split: report.name, target, met, figures });
  const bestAuc = peers.reduce((a, b) => (b.rocAuc > a.rocAuc ? b : a), peers[0]!);
  const bestLoss = peers.reduce((a, b) => (b.logLoss < a.logLoss ? b : a), peers[0]!);
  if (peers.length > 0) {
    add(
      'AUC ≥ every peer',
      ours!.rocAuc >= bestAuc.rocAuc,
      `${ours!.rocAuc.toFixed(5)} vs best peer ${bestAuc.rocAuc.toFixed(5)} (${bestAuc.tool})`,
    );
    add(
      'log-loss ≤ every peer',
      ours!.logLoss <= bestLoss.logLoss,
      `${ours!.logLoss.toFixed(4)} vs best peer ${bestLoss.logLoss.toFixed(4)} (${bestLoss.tool})`,
    );
  }
  if (!Number.isNaN(ours!.hardHamFlaggedPct))
    add('hard ham flagged ≤ 10% at its threshold', ours!.hardHamFlaggedPct <= 10, `${ours!.hardHamFlaggedPct.toFixed(2)}%`);
  add('recall at 1% FPR ≥ 0.90', ours!.recallAt1PctFpr >= 0.9, ours!.recallAt1PctFpr.toFixed(3));
  if (report.bogofilterRegisterSeconds !== undefined) {
    const ratio = (report.spamlab.importSeconds + report.spamlab.trainSeconds) / report.bogofilterRegisterSeconds;
    add(
      'import+train ≤ 3× bogofilter',
      ratio <= 3,
      `${ratio.toFixed(1)}× (${fmt(report.spamlab.importSeconds + report.spamlab.trainSeconds, 2)} s vs ${fmt(report.bogofilterRegisterSeconds, 2)} s)`,
    );
  }
  return out;
}

function main() {
  const started = performance.now();
  console.log(
    `spamlab vs peers — ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC — ${machine()} — ${loadLine()}${QUICK ? ' — QUICK (subset)' : ''}\n`,
  );
  if (!fs.existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run build first`);
  const corpus = dated(loadCorpus(QUICK ? { perGroup: 120 } : {}));
  console.log(`corpus: ${countLine(corpus)}; each message's leading mbox "From " line removed (it leaks the class)\n`);
  console.log(`message dates (Date: header; if missing or outside 1990–2002, the newest Received: header's):`);
  printDates(corpus);
  const global = globalCutMix(corpus);
  console.log(
    `\nchronological split: per class, the newest 20% of the spam and of the ham by date are the test set (undated messages train). ` +
      `One global cut at the newest 20% of all mail would start ${day(global.cut)} and hold ${global.spam} spam and ${global.ham} ham ` +
      `(${fmt((100 * global.spam) / (global.spam + global.ham), 1)}% spam): too few spam to measure.`,
  );

  const random = randomSplit(corpus);
  const chrono = chronologicalSplit(corpus);
  const reports = [evaluate('random', random.train, random.test), evaluate('chronological', chrono.train, chrono.test)];

  console.log('\n=== issue 12 targets, spamlab default model ===');
  const all = reports.flatMap(targets);
  for (const t of all) console.log(`${t.met ? 'MET   ' : 'MISSED'}  ${t.split.padEnd(13)}  ${t.target.padEnd(40)}  ${t.figures}`);
  console.log(`\nbench took ${fmt((performance.now() - started) / 1000, 0)} s; at the end, ${loadLine()}`);

  if (process.env.BENCH_JSON) {
    const json = {
      date: new Date().toISOString(),
      machine: machine(),
      load: loadLine(),
      quick: QUICK,
      corpus: counts(corpus),
      globalCutMix: global,
      splits: reports,
      targets: all,
    };
    fs.writeFileSync(process.env.BENCH_JSON, `${JSON.stringify(json, null, 2)}\n`);
    console.log(`figures written to ${process.env.BENCH_JSON}`);
  }
}

try {
  main();
} catch (err) {
  console.error(err);
  process.exit(1);
}
