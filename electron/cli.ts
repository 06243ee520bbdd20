// The `spamlab` command line: the same backend as the desktop app.
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs, ParseArgsConfig } from 'node:util';
import { ApiError } from '../shared/errors';
import { ValidationError } from '../shared/schema';
import { requests } from '../shared/contract';
import { DEFAULT_TRAIN_SETTINGS, ImportSummary, Label, RunSummary, TrainSettings } from '../shared/types';
import { openApi, Backend } from './backend/api';
import { scorerFor } from './backend/api/classify';
import { createParsePool } from './backend/ingest/parse-pool';
import { parseMail } from './backend/ingest/parse';
import { labelMail } from './backend/ingest/label-mail';
import { exportLabeledMail } from './backend/export/labeled-mail';
import { defaultDbPath } from './backend/paths';
import { activeRunId, getRun, insertImportedRun, listRuns, runModel } from './backend/store/runs';
import { decodeWeights, ModelWeights } from './backend/model/weights';
import { tokenize, TOKENIZER_VERSION } from './backend/features/tokenizer';
import { countTokens, TokenCounts } from './backend/features/vectorize';
import { runReport } from './backend/api/runs';

const USAGE = `spamlab — make your own spam filter

Usage:
  spamlab import PATH... [--label spam|ham] [--db FILE] [--json]
      Import mbox files, Maildir folders, folders of .eml, single messages, CSV or JSONL.
  spamlab train [--db FILE] [--model logistic|mlp] [--epochs N] [--optimizer adam|rmsprop|sgd]
                [--learning-rate X] [--batch-size N] [--validation-share X] [--class-weight none|balanced|POS]
                [--folds K] [--patience N] [--seed N] [--backend tensorflow|wasm|cpu] [--name NAME] [--json]
      Train on the labeled messages; the finished run becomes the active one.
  spamlab classify [FILE...] [--db FILE] [--run ID] [--json] [--exit-status] [--unsure-below P]
      Score messages (stdin when no FILE). --exit-status exits like bogofilter:
      0 spam, 1 ham, 2 unsure (probability in [P, threshold)), 3 error.
  spamlab label --as spam|ham|none [FILE...] [--db FILE] [--json]
      Label messages (stdin when no FILE), importing those not stored yet: for
      "mark as spam" buttons in mail clients. Labels keep their history.
  spamlab stats [--db FILE] [--json]
  spamlab runs [--db FILE] [--json]
  spamlab report [--run ID] [--threshold P] [--db FILE] [--json]
  spamlab export --run ID --out FILE [--db FILE]
      Write a run's model (a checksummed spamlab model file).
  spamlab export-labels --out DIR [--db FILE]
      Write the labeled messages to DIR/spam.mbox, DIR/ham.mbox (and DIR/records.jsonl
      for rows imported from CSV/JSONL): \`spamlab import --label\` reads them back.
  spamlab import-model FILE [--name NAME] [--db FILE]
      Check a model file and store it as a run; it becomes the active one.

The database defaults to SPAMLAB_DB, else the desktop app's own (${defaultDbPath()}).
Exit status: 0 success, 2 bad usage or bad input, 1 other failure.`;

class UsageError extends Error {}

const common = { db: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } as const;

function parse<T extends NonNullable<ParseArgsConfig['options']>>(args: string[], options: T, positionals = false) {
  try {
    return parseArgs({ args, options: { ...common, ...options }, allowPositionals: positionals, strict: true });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

const print = (value: unknown) => process.stdout.write(`${typeof value === 'string' ? value : JSON.stringify(value)}\n`);

function number(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n)) throw new UsageError(`--${name}: expected a number, got "${value}"`);
  return n;
}

function labelOption(value: string | undefined): Label | null {
  if (value === undefined) return null;
  if (value !== 'spam' && value !== 'ham') throw new UsageError(`--label: expected spam or ham, got "${value}"`);
  return value;
}

/** A one-line progress display on a terminal; silent when stderr is not one. */
function progressLine() {
  let last = 0;
  return {
    update(text: string) {
      if (!process.stderr.isTTY || Date.now() - last < 100) return;
      last = Date.now();
      process.stderr.write(`\r\x1b[2K${text.slice(0, (process.stderr.columns ?? 80) - 1)}`);
    },
    done() {
      if (process.stderr.isTTY && last > 0) process.stderr.write('\r\x1b[2K');
    },
  };
}

async function withBackend<T>(dbFile: string | undefined, work: (backend: Backend) => Promise<T>): Promise<T> {
  const backend = await openApi({ dbPath: dbFile ?? defaultDbPath() });
  try {
    return await work(backend);
  } finally {
    await backend.close();
  }
}

function describeImport(s: ImportSummary): string {
  const lines = [
    `imported ${s.imported}, duplicates ${s.duplicates}, failed ${s.failed}, labeled ${s.labeled}` +
      ` (${(s.bytes / 1e6).toFixed(1)} MB in ${s.seconds.toFixed(1)} s, ${Math.round((s.imported + s.duplicates) / Math.max(s.seconds, 1e-3))} messages/s)`,
  ];
  for (const f of s.failures.slice(0, 20)) lines.push(`  failed: ${f.file}${f.offset === null ? '' : ` at byte ${f.offset}`}: ${f.error}`);
  if (s.failures.length > 20) lines.push(`  … and ${s.failed - 20} more failures (use --json for all)`);
  return lines.join('\n');
}

async function importCommand(args: string[]): Promise<number> {
  const { values, positionals } = parse(args, { label: { type: 'string' } }, true);
  if (positionals.length === 0) throw new UsageError('import: give at least one PATH (mbox, Maildir, folder, .eml, .csv, .jsonl)');
  const label = labelOption(values.label);
  return withBackend(values.db, async (backend) => {
    const progress = progressLine();
    const unsubscribe = backend.on('import.progress', (p) =>
      progress.update(`importing… ${p.done} imported, ${p.duplicates} duplicates, ${p.failed} failed — ${p.file}`),
    );
    const { importPaths } = await import('./backend/ingest/importer');
    const summary = await importPaths(backend.context.db, positionals, {
      label,
      origin: 'cli',
      onProgress: (p) => backend.context.events.emit('import.progress', p),
    });
    unsubscribe();
    progress.done();
    print(values.json ? summary : describeImport(summary));
    return summary.imported + summary.duplicates === 0 && summary.failed > 0 ? 2 : 0;
  });
}

function trainSettings(values: Record<string, string | boolean | undefined>): TrainSettings {
  const str = (name: string) => values[name] as string | undefined;
  const weighting = str('class-weight');
  const positiveWeight = weighting && weighting !== 'none' && weighting !== 'balanced' ? number(weighting, 'class-weight') : undefined;
  const candidate = {
    ...DEFAULT_TRAIN_SETTINGS,
    ...(str('model') !== undefined && { model: str('model') }),
    ...(str('optimizer') !== undefined && { optimizer: str('optimizer') }),
    ...(str('epochs') !== undefined && { epochs: number(str('epochs'), 'epochs') }),
    ...(str('learning-rate') !== undefined && { learningRate: number(str('learning-rate'), 'learning-rate') }),
    ...(str('batch-size') !== undefined && { batchSize: number(str('batch-size'), 'batch-size') }),
    ...(str('validation-share') !== undefined && { validationShare: number(str('validation-share'), 'validation-share') }),
    ...(str('folds') !== undefined && { folds: number(str('folds'), 'folds') }),
    ...(str('patience') !== undefined && { earlyStoppingPatience: number(str('patience'), 'patience') }),
    ...(str('seed') !== undefined && { seed: number(str('seed'), 'seed') }),
    ...(str('backend') !== undefined && { backend: str('backend') }),
    ...(weighting !== undefined && {
      classWeighting: positiveWeight === undefined ? weighting : 'positive',
      ...(positiveWeight !== undefined && { positiveWeight }),
    }),
  };
  try {
    return requests['training.start'].parse({ settings: candidate }).settings;
  } catch (err) {
    throw new UsageError(`train: ${(err as Error).message.replace(/^settings\./, '--')}`);
  }
}

function describeRun(run: RunSummary): string {
  const m = run.validationMetrics;
  const head = `run ${run.id} "${run.name}": ${run.status} on ${run.backend ?? '?'} backend, ${run.trainCount} train / ${run.validationCount} validation`;
  if (!m) return run.error ? `${head}\n  ${run.error}` : head;
  return (
    `${head}, ${Math.round(run.examplesPerSecond ?? 0)} examples/s\n` +
    `  validation: AUC ${m.rocAuc.toFixed(4)}  log-loss ${m.logLoss.toFixed(4)}  accuracy ${(m.accuracy * 100).toFixed(2)}%` +
    `  F1 ${m.f1.toFixed(4)}  hm% ${m.hamMisclassifiedPct.toFixed(2)}  sm% ${m.spamMisclassifiedPct.toFixed(2)}`
  );
}

async function trainCommand(args: string[]): Promise<number> {
  const options = {
    model: { type: 'string' },
    optimizer: { type: 'string' },
    epochs: { type: 'string' },
    'learning-rate': { type: 'string' },
    'batch-size': { type: 'string' },
    'validation-share': { type: 'string' },
    'class-weight': { type: 'string' },
    folds: { type: 'string' },
    patience: { type: 'string' },
    seed: { type: 'string' },
    backend: { type: 'string' },
    name: { type: 'string' },
  } as const;
  const { values } = parse(args, options);
  const settings = trainSettings(values);
  return withBackend(values.db, async (backend) => {
    const service = backend.training;
    const progress = progressLine();
    const off = [
      backend.on('training.steps', (e) => {
        const last = e.points[e.points.length - 1];
        if (last) progress.update(`epoch ${last.epoch + 1}/${settings.epochs}  step ${last.step}  loss ${last.loss.toFixed(4)}`);
      }),
      backend.on('training.epoch', (e) => {
        progress.done();
        if (!values.json) {
          const p = e.point;
          process.stderr.write(
            `epoch ${p.epoch + 1}: train loss ${p.trainLoss.toFixed(4)}  validation loss ${p.valLoss?.toFixed(4) ?? '–'}` +
              `  AUC ${p.valAuc?.toFixed(4) ?? '–'}  ${Math.round(e.examplesPerSecond)} examples/s\n`,
          );
        }
      }),
      backend.on('training.fold', (e) => progress.update(`out-of-fold predictions: fold ${e.fold}/${e.of}`)),
    ];
    const { finished } = service.start(settings, { name: values.name });
    const cancel = () => void service.cancelAll();
    process.once('SIGINT', cancel);
    const run = await finished;
    process.off('SIGINT', cancel);
    off.forEach((unsubscribe) => unsubscribe());
    progress.done();
    print(values.json ? run : describeRun(run));
    return run.status === 'completed' ? 0 : 1;
  });
}

type Input = { file: string; bytes: Uint8Array } | { file: string; error: string };

async function readInputs(files: string[]): Promise<Input[]> {
  if (files.length === 0) {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return [{ file: '-', bytes: Buffer.concat(chunks) }];
  }
  return files.map((file) => {
    try {
      return { file, bytes: fs.readFileSync(file) };
    } catch (err) {
      return { file, error: `cannot read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})` };
    }
  });
}

/** Token counts of each message, parsed on worker threads when there are many; results come back in input order. */
async function* tokensInOrder(inputs: Input[]): AsyncGenerator<{ file: string; tokens: TokenCounts } | { file: string; error: string }> {
  const pool = inputs.length > 8 ? createParsePool() : null;
  const tokensOf = async (bytes: Uint8Array) => (pool ? pool.tokens(bytes) : countTokens(tokenize(await parseMail(bytes))));
  const parse = (input: Input) =>
    'error' in input
      ? Promise.resolve(input)
      : tokensOf(input.bytes).then(
          (tokens) => ({ file: input.file, tokens }),
          (err: Error) => ({ file: input.file, error: err.message }),
        );
  const inFlight: ReturnType<typeof parse>[] = [];
  try {
    for (const input of inputs) {
      inFlight.push(parse(input));
      if (inFlight.length >= 256) yield await inFlight.shift()!;
    }
    while (inFlight.length) yield await inFlight.shift()!;
  } finally {
    await pool?.close();
  }
}

async function classifyCommand(args: string[]): Promise<number> {
  const { values, positionals } = parse(
    args,
    { run: { type: 'string' }, 'exit-status': { type: 'boolean' }, 'unsure-below': { type: 'string' } },
    true,
  );
  const runOption = number(values.run, 'run');
  const unsureBelow = number(values['unsure-below'], 'unsure-below');
  const inputs = await readInputs(positionals);
  return withBackend(values.db, async (backend) => {
    const scorer = scorerFor(backend.context, runOption);
    let status = 0;
    let errors = 0;
    const lines: string[] = [];
    for await (const parsed of tokensInOrder(inputs)) {
      const { file } = parsed;
      if ('error' in parsed) {
        errors++;
        status = 3;
        const message = `${file}: ${parsed.error}`;
        if (values.json) lines.push(JSON.stringify({ file, error: message }));
        else process.stderr.write(`spamlab classify: ${message}\n`);
        continue;
      }
      const probability = scorer.probability(parsed.tokens);
      const verdict = probability >= scorer.threshold ? 'spam' : unsureBelow !== undefined && probability >= unsureBelow ? 'unsure' : 'ham';
      status = verdict === 'spam' ? 0 : verdict === 'ham' ? 1 : 2;
      lines.push(
        values.json
          ? JSON.stringify({ file, probability, label: verdict, runId: scorer.runId })
          : `${file}\t${verdict}\t${probability.toFixed(6)}`,
      );
      if (lines.length >= 1000) process.stdout.write(`${lines.splice(0).join('\n')}\n`);
    }
    if (lines.length) process.stdout.write(`${lines.join('\n')}\n`);
    if (values['exit-status']) return inputs.length === 1 ? status : errors ? 3 : 0;
    return errors ? 2 : 0;
  });
}

async function labelCommand(args: string[]): Promise<number> {
  const { values, positionals } = parse(args, { as: { type: 'string' } }, true);
  if (values.as !== 'spam' && values.as !== 'ham' && values.as !== 'none') {
    throw new UsageError(`label: --as must be spam, ham or none${values.as === undefined ? '' : `, not "${values.as}"`}`);
  }
  const label = values.as === 'none' ? null : values.as;
  const inputs = await readInputs(positionals);
  return withBackend(values.db, async ({ context }) => {
    let failed = 0;
    for (const input of inputs) {
      try {
        if ('error' in input) throw new Error(input.error);
        const mail = await parseMail(input.bytes);
        const source = input.file === '-' ? 'stdin' : path.resolve(input.file);
        const result = labelMail(context.db, { mail, source, sourceRef: null, raw: input.bytes }, label);
        print(
          values.json
            ? { file: input.file, ...result }
            : `${input.file}\t${result.label ?? 'unlabeled'}\t${result.imported ? 'imported' : `was ${result.previous ?? 'unlabeled'}`}`,
        );
      } catch (err) {
        failed++;
        process.stderr.write(`spamlab label: ${input.file}: ${(err as Error).message}\n`);
      }
    }
    return failed ? 2 : 0;
  });
}

async function statsCommand(args: string[]): Promise<number> {
  const { values } = parse(args, {});
  return withBackend(values.db, async (backend) => {
    const result = await backend.handle('dataset.stats', {});
    if (!result.ok) throw new ApiError(result.error.kind, result.error.message);
    const s = result.value as { messages: number; spam: number; ham: number; unlabeled: number; runs: number; activeRunId: number | null };
    print(
      values.json
        ? s
        : `${s.messages} messages: ${s.spam} spam, ${s.ham} ham, ${s.unlabeled} unlabeled; ${s.runs} runs` +
            (s.activeRunId === null ? '' : `, active run ${s.activeRunId}`),
    );
    return 0;
  });
}

async function runsCommand(args: string[]): Promise<number> {
  const { values } = parse(args, {});
  return withBackend(values.db, async ({ context }) => {
    const runs = listRuns(context.db);
    print(values.json ? runs : runs.length ? runs.map((r) => (r.isActive ? '* ' : '  ') + describeRun(r)).join('\n') : 'no runs yet');
    return 0;
  });
}

async function reportCommand(args: string[]): Promise<number> {
  const { values } = parse(args, { run: { type: 'string' }, threshold: { type: 'string' } });
  return withBackend(values.db, async ({ context }) => {
    const runId = number(values.run, 'run') ?? activeRunId(context.db);
    if (runId === null) throw new ApiError('conflict', 'no trained model yet: run `spamlab train` first');
    const report = runReport(context.db, runId, number(values.threshold, 'threshold'));
    if (values.json) print(report);
    else {
      const m = report.metrics;
      print(describeRun(report.run));
      print(`on ${report.split} (${m.count} messages) at threshold ${m.threshold}:`);
      print(`  tp ${m.confusion.tp}  fp ${m.confusion.fp}  tn ${m.confusion.tn}  fn ${m.confusion.fn}`);
      print(`  precision ${m.precision.toFixed(4)}  recall ${m.recall.toFixed(4)}  PR AUC ${m.prAuc.toFixed(4)}  ECE ${m.ece.toFixed(4)}`);
    }
    return 0;
  });
}

async function exportCommand(args: string[]): Promise<number> {
  const { values } = parse(args, { run: { type: 'string' }, out: { type: 'string' } });
  if (!values.out) throw new UsageError('export: --out FILE is required');
  const out = values.out;
  return withBackend(values.db, async ({ context }) => {
    const runId = number(values.run, 'run') ?? activeRunId(context.db);
    if (runId === null) throw new ApiError('conflict', 'no trained model yet: run `spamlab train` first');
    getRun(context.db, runId);
    fs.writeFileSync(out, runModel(context.db, runId));
    print(values.json ? { runId, file: path.resolve(out) } : `wrote run ${runId}'s model to ${out}`);
    return 0;
  });
}

async function exportLabelsCommand(args: string[]): Promise<number> {
  const { values } = parse(args, { out: { type: 'string' } });
  if (!values.out) throw new UsageError('export-labels: --out DIR is required');
  const out = values.out;
  return withBackend(values.db, async ({ context }) => {
    const written = exportLabeledMail(context.db, out);
    print(
      values.json
        ? written
        : `wrote ${written.spam} spam and ${written.ham} ham messages${written.records ? ` and ${written.records} records` : ''} to ${out}`,
    );
    return 0;
  });
}

async function importModelCommand(args: string[]): Promise<number> {
  const { values, positionals } = parse(args, { name: { type: 'string' } }, true);
  if (positionals.length !== 1) throw new UsageError('import-model: give exactly one model FILE');
  const file = positionals[0]!;
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch (err) {
    throw new ApiError('bad-input', `${file}: cannot read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  let weights: ModelWeights;
  try {
    weights = decodeWeights(bytes, file);
  } catch (err) {
    throw new ApiError('bad-input', (err as Error).message);
  }
  if (weights.tokenizerVersion !== TOKENIZER_VERSION) {
    throw new ApiError(
      'bad-input',
      `${file}: the model was trained on tokenizer version ${weights.tokenizerVersion}, this spamlab tokenizes with version ${TOKENIZER_VERSION}; retrain it`,
    );
  }
  return withBackend(values.db, async ({ context }) => {
    const settings = {
      ...DEFAULT_TRAIN_SETTINGS,
      model: weights.kind,
      embeddingDim: weights.dim,
      hiddenUnits: Math.max(1, weights.hidden),
    };
    const runId = insertImportedRun(context.db, values.name ?? path.basename(file), settings, weights.tokenizerVersion, bytes);
    print(values.json ? { runId, file } : `stored ${file} as run ${runId}`);
    return 0;
  });
}

const COMMANDS: Record<string, (args: string[]) => Promise<number>> = {
  'import-model': importModelCommand,
  import: importCommand,
  train: trainCommand,
  classify: classifyCommand,
  label: labelCommand,
  stats: statsCommand,
  runs: runsCommand,
  report: reportCommand,
  export: exportCommand,
  'export-labels': exportLabelsCommand,
};

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === '--help' || command === '-h' || command === 'help') {
    print(USAGE);
    return command ? 0 : 2;
  }
  const run = COMMANDS[command];
  if (!run) throw new UsageError(`unknown command "${command}"`);
  if (rest.includes('--help') || rest.includes('-h')) {
    print(USAGE);
    return 0;
  }
  return run(rest);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    const usage = err instanceof UsageError;
    const badInput = usage || err instanceof ValidationError || (err instanceof ApiError && err.kind !== 'internal');
    process.stderr.write(`spamlab: ${(err as Error).message}${usage ? '\nRun `spamlab --help` for usage.' : ''}\n`);
    process.exitCode = badInput ? 2 : 1;
  },
);
