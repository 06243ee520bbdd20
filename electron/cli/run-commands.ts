// Commands about models and the dataset's state: train, stats, runs, report, export, import-model.
import fs from 'node:fs';
import path from 'node:path';
import { requests } from '../../shared/contract';
import { ApiError } from '../../shared/errors';
import { DEFAULT_TRAIN_SETTINGS, RunSummary, TrainSettings } from '../../shared/types';
import { runReport } from '../backend/api/runs';
import { TOKENIZER_VERSION } from '../backend/features/tokenizer';
import { readRegularFile } from '../backend/files';
import { decodeWeights, MAX_MODEL_FILE_BYTES, ModelWeights } from '../backend/model/weights';
import { insertImportedRun, listRuns, runModel } from '../backend/store/runs';
import { resolveRun } from '../backend/api/classify';
import { number, parse, print, progressLine, UsageError, withBackend } from './common';

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

export async function trainCommand(args: string[]): Promise<number> {
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

export async function statsCommand(args: string[]): Promise<number> {
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

export async function runsCommand(args: string[]): Promise<number> {
  const { values } = parse(args, {});
  return withBackend(values.db, async ({ context }) => {
    const runs = listRuns(context.db);
    print(values.json ? runs : runs.length ? runs.map((r) => (r.isActive ? '* ' : '  ') + describeRun(r)).join('\n') : 'no runs yet');
    return 0;
  });
}

export async function reportCommand(args: string[]): Promise<number> {
  const { values } = parse(args, { run: { type: 'string' }, threshold: { type: 'string' } });
  return withBackend(values.db, async ({ context }) => {
    const report = runReport(context.db, resolveRun(context, number(values.run, 'run')), number(values.threshold, 'threshold'));
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

export async function exportCommand(args: string[]): Promise<number> {
  const { values } = parse(args, { run: { type: 'string' }, out: { type: 'string' } });
  if (!values.out) throw new UsageError('export: --out FILE is required');
  const out = values.out;
  return withBackend(values.db, async ({ context }) => {
    const runId = resolveRun(context, number(values.run, 'run'));
    fs.writeFileSync(out, runModel(context.db, runId));
    print(values.json ? { runId, file: path.resolve(out) } : `wrote run ${runId}'s model to ${out}`);
    return 0;
  });
}

export async function importModelCommand(args: string[]): Promise<number> {
  const { values, positionals } = parse(args, { name: { type: 'string' } }, true);
  if (positionals.length !== 1) throw new UsageError('import-model: give exactly one model FILE');
  const file = positionals[0]!;
  const bytes = readRegularFile(file, MAX_MODEL_FILE_BYTES);
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
