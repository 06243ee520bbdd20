import type { RunReport } from '../../../shared/contract';
import type { Handlers } from './context';
import { calibrationBins, computeMetrics, prCurve, rocCurve } from '../evaluation/metrics';
import { deleteRun, getRun, listRuns, runCurves, setActiveRun, setThreshold } from '../store/runs';
import { heldOutPredictions, listPredictions, lossHistogram, runDynamics } from '../store/predictions';
import type { Db } from '../store/open';
import { forgetRunModel } from './scoring';
import { resolveRun } from './classify';

const HISTOGRAM_BINS = 20;

function histogram(probabilities: number[], targets: number[]): RunReport['histogram'] {
  const spam = new Array<number>(HISTOGRAM_BINS).fill(0);
  const ham = new Array<number>(HISTOGRAM_BINS).fill(0);
  probabilities.forEach((p, i) => {
    const bin = Math.min(HISTOGRAM_BINS - 1, Math.floor(p * HISTOGRAM_BINS));
    (targets[i] === 1 ? spam : ham)[bin]++;
  });
  return { spam, ham };
}

/** Ham called spam at the threshold, legitimate bulk mail (newsletters, lists, receipts) apart from the rest. */
function hamFlagged(probabilities: number[], targets: number[], bulk: boolean[], threshold: number): RunReport['hamFlagged'] {
  const count = (wantBulk: boolean) => {
    const ham = probabilities.filter((_, i) => targets[i] === 0 && bulk[i] === wantBulk);
    return { count: ham.length, flagged: ham.filter((p) => p >= threshold).length };
  };
  return { bulk: count(true), other: count(false) };
}

export function runReport(db: Db, runId: number, threshold?: number): RunReport {
  const run = getRun(db, runId);
  const { split, probabilities, targets, bulk } = heldOutPredictions(db, runId, run.holdout?.kind === 'newest');
  const at = threshold ?? run.threshold;
  return {
    run,
    split,
    metrics: computeMetrics(probabilities, targets, at),
    hamFlagged: hamFlagged(probabilities, targets, bulk, at),
    roc: rocCurve(probabilities, targets),
    pr: prCurve(probabilities, targets),
    calibration: calibrationBins(probabilities, targets, 10),
    histogram: histogram(probabilities, targets),
  };
}

export const runHandlers: Handlers<
  | 'runs.list'
  | 'runs.get'
  | 'runs.delete'
  | 'runs.activate'
  | 'runs.setThreshold'
  | 'runs.report'
  | 'runs.predictions'
  | 'runs.lossHistogram'
  | 'runs.dynamics'
> = {
  'runs.list': (_request, { db }) => listRuns(db),
  'runs.get': (request, { db }) => ({ ...getRun(db, request.runId), curves: runCurves(db, request.runId) }),
  'runs.delete': (request, ctx) => {
    forgetRunModel(ctx, request.runId);
    return { deleted: deleteRun(ctx.db, request.runId) };
  },
  'runs.activate': (request, { db }) => setActiveRun(db, request.runId),
  'runs.setThreshold': (request, { db }) => setThreshold(db, request.runId, request.threshold),
  'runs.report': (request, ctx) => runReport(ctx.db, resolveRun(ctx, request.runId), request.threshold),
  'runs.predictions': (request, { db }) => listPredictions(db, request),
  'runs.lossHistogram': (request, { db }) => lossHistogram(db, request),
  'runs.dynamics': (request, { db }) => runDynamics(db, request.runId),
};
