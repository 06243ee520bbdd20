import type { CurvePoint, HoldoutInfo, Label, RunStatus, RunSummary, TrainSettings } from '../../../shared/types';
import { ApiError } from '../../../shared/errors';
import type { ApiContext, Handlers } from './context';
import { ensureFeatures, labeledExamples } from '../features/cache';
import { TOKENIZER_VERSION } from '../features/tokenizer';
import { DEFAULT_BUCKETS } from '../features/vectorize';
import { bce } from '../../../shared/bce';
import { startTraining, TrainingOutcome } from '../training/runner';
import type { TrainingResult } from '../training/protocol';
import { orderingTimes } from '../training/split';
import {
  appendCurvePoints,
  completeRun,
  CompletedRun,
  createRun,
  finishRun,
  getRun,
  nextRunNumber,
  setActiveRun,
  setRunBackend,
} from '../store/runs';
import { scoreUnscored } from './scoring';

const MIN_PER_CLASS = 2;

interface Training {
  cancel(): void;
  finished: Promise<RunSummary>;
}

export interface TrainingService {
  handlers: Handlers<'training.start' | 'training.cancel'>;
  /** Starts a run; `finished` settles when it is stored as completed, failed or cancelled. */
  start(settings: TrainSettings, options?: StartOptions): { runId: number; finished: Promise<RunSummary> };
  cancelAll(): Promise<void>;
}

export interface StartOptions {
  name?: string;
}

export function createTrainingService(ctx: ApiContext): TrainingService {
  const running = new Map<number, Training>();

  function start(settings: TrainSettings, { name }: StartOptions = {}) {
    const { db, events } = ctx;
    ensureFeatures(db);
    const buckets = DEFAULT_BUCKETS;
    const { data, dates, importedAt } = labeledExamples(db, buckets);
    const spam = data.targets.reduce((sum, t) => sum + t, 0);
    const ham = data.targets.length - spam;
    if (spam < MIN_PER_CLASS || ham < MIN_PER_CLASS) {
      throw new ApiError(
        'bad-input',
        `training needs at least ${MIN_PER_CLASS} spam and ${MIN_PER_CLASS} ham labeled messages; there are ${spam} spam and ${ham} ham`,
      );
    }
    data.times.set(orderingTimes(dates.map((date, i) => ({ date, importedAt: importedAt[i]! }))));
    // Kept before the arrays move to the worker: each label, and the Date header where it was used as the time.
    const labels = new Map(Array.from(data.messageIds, (id, i) => [id, data.targets[i] === 1 ? 1 : 0] as const));
    const usedDates = new Map(Array.from(data.messageIds, (id, i) => [id, dates[i] === data.times[i] ? dates[i]! : null]));
    const runId = createRun(db, name ?? `${settings.model} #${nextRunNumber(db)}`, settings, TOKENIZER_VERSION);
    const handle = startTraining(
      { settings, buckets, tokenizerVersion: TOKENIZER_VERSION, data },
      {
        onBackend: (backend) => {
          setRunBackend(db, runId, backend);
          events.emit('training.backend', { runId, backend });
        },
        onSteps: (points) => {
          appendCurvePoints(
            db,
            runId,
            points.map((p): CurvePoint => ({ kind: 'step', ...p, trainLoss: p.loss, valLoss: null, valAuc: null, valAccuracy: null })),
          );
          events.emit('training.steps', { runId, points });
        },
        onEpoch: (point, examplesPerSecond) => {
          appendCurvePoints(db, runId, [point]);
          events.emit('training.epoch', { runId, point, examplesPerSecond, epochs: settings.epochs });
        },
        onFold: (fold, of) => events.emit('training.fold', { runId, fold, of }),
      },
    );
    const finished = handle.done.then((outcome) => {
      running.delete(runId);
      const status = store(ctx, runId, outcome, labels, (result) => holdoutOf(settings, result, usedDates));
      // The one rule for which filter is in use: a run that finishes becomes active; "Use" picks another until the next one finishes.
      if (status === 'completed') setActiveRun(db, runId);
      const run = getRun(db, runId);
      events.emit('training.finished', { runId, status, error: run.error });
      return run;
    });
    running.set(runId, { cancel: handle.cancel, finished });
    return { runId, finished };
  }

  return {
    start,
    handlers: {
      'training.start': (request) => ({ runId: start(request.settings, { name: request.name }).runId }),
      'training.cancel': (request) => {
        const training = running.get(request.runId);
        training?.cancel();
        return { cancelled: training !== undefined };
      },
    },
    async cancelAll() {
      const all = [...running.values()];
      for (const training of all) training.cancel();
      await Promise.allSettled(all.map((t) => t.finished));
    },
  };
}

/** What the run's validation figures are on: how many held-out messages, and the span of their usable dates. */
function holdoutOf(settings: TrainSettings, result: TrainingResult, dates: Map<number, number | null>): HoldoutInfo {
  const held = result.predictions.filter((p) => p.split === 'validation');
  const heldDates = held.map((p) => dates.get(p.messageId) ?? null).filter((d): d is number => d !== null);
  // A loop, not Math.min(...dates): a holdout of 130,000 messages overflows the stack as arguments.
  let from: number | null = null;
  let to: number | null = null;
  for (const d of heldDates) {
    if (from === null || d < from) from = d;
    if (to === null || d > to) to = d;
  }
  return { kind: settings.holdout, count: held.length, from, to };
}

function store(
  ctx: ApiContext,
  runId: number,
  outcome: TrainingOutcome,
  labels: Map<number, 0 | 1>,
  holdout: (result: TrainingResult) => HoldoutInfo,
): RunStatus {
  if (outcome.status !== 'completed') {
    finishRun(ctx.db, runId, outcome.status, outcome.status === 'failed' ? outcome.error : null);
    return outcome.status;
  }
  try {
    completeRun(ctx.db, runId, toCompletedRun(outcome.result, labels, holdout(outcome.result)));
    scoreUnscored(ctx, runId);
    return 'completed';
  } catch (err) {
    finishRun(ctx.db, runId, 'failed', `storing the trained model failed: ${(err as Error).message}`);
    return 'failed';
  }
}

function toCompletedRun(result: TrainingResult, labels: Map<number, 0 | 1>, holdout: HoldoutInfo): CompletedRun {
  const labelOf = (messageId: number): Label => (labels.get(messageId) === 1 ? 'spam' : 'ham');
  return {
    model: Buffer.from(result.weights),
    metrics: result.validationMetrics,
    holdout,
    threshold: result.threshold,
    examplesPerSecond: result.examplesPerSecond,
    trainCount: result.trainCount,
    validationCount: result.validationCount,
    predictions: result.predictions.map((p) => ({
      ...p,
      label: labelOf(p.messageId),
      loss: bce(p.probability, labels.get(p.messageId) ?? 0),
    })),
    dynamics: result.cartography,
  };
}
