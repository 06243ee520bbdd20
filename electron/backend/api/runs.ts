import type { RunReport } from '../../../shared/contract';
import type { SplitName } from '../../../shared/types';
import type { Handlers } from './context';
import { calibrationBins, computeMetrics, prCurve, rocCurve } from '../evaluation/metrics';
import {
  deleteRun,
  getRun,
  listPredictions,
  listRuns,
  lossHistogram,
  runDynamics,
  runCurves,
  setActiveRun,
  setThreshold,
} from '../store/runs';
import type { Db } from '../store/open';
import { forgetRunModel } from './scoring';

const HISTOGRAM_BINS = 20;

/** Legitimate bulk mail announces itself: mailing-list fields, or Precedence bulk/list/junk (RFC 2369, RFC 3834). */
const IS_BULK = `EXISTS (SELECT 1 FROM json_each(m.headers_json) h WHERE json_extract(h.value, '$[0]') IN ('list-id', 'list-unsubscribe', 'list-post')
  OR (json_extract(h.value, '$[0]') = 'precedence' AND lower(trim(json_extract(h.value, '$[1]'))) IN ('bulk', 'list', 'junk')))`;

/**
 * Held-out predictions of a run: its newest-mail holdout when it has one (the
 * figures that look forward), else out-of-fold when it has them, else the validation split.
 */
function heldOut(db: Db, runId: number, newest: boolean) {
  const rows = db
    .prepare(
      `SELECT p.split, p.label, p.probability, ${IS_BULK} AS bulk FROM predictions p JOIN messages m ON m.id = p.message_id
       WHERE p.run_id = ? AND p.split = (
         SELECT CASE WHEN ? = 0 AND EXISTS (SELECT 1 FROM predictions WHERE run_id = ? AND split = 'oof') THEN 'oof' ELSE 'validation' END)`,
    )
    .all(runId, newest ? 1 : 0, runId) as Array<{ split: SplitName; label: string; probability: number; bulk: number }>;
  return {
    split: rows[0]?.split ?? 'validation',
    probabilities: rows.map((r) => r.probability),
    targets: rows.map((r) => (r.label === 'spam' ? 1 : 0)),
    bulk: rows.map((r) => r.bulk === 1),
  };
}

/** Ham called spam at the threshold, legitimate bulk mail (newsletters, lists, receipts) apart from the rest. */
function hamFlagged(probabilities: number[], targets: number[], bulk: boolean[], threshold: number): RunReport['hamFlagged'] {
  const count = (wantBulk: boolean) => {
    const ham = probabilities.filter((_, i) => targets[i] === 0 && bulk[i] === wantBulk);
    return { count: ham.length, flagged: ham.filter((p) => p >= threshold).length };
  };
  return { bulk: count(true), other: count(false) };
}

function histogram(probabilities: number[], targets: number[]): RunReport['histogram'] {
  const spam = new Array<number>(HISTOGRAM_BINS).fill(0);
  const ham = new Array<number>(HISTOGRAM_BINS).fill(0);
  probabilities.forEach((p, i) => {
    const bin = Math.min(HISTOGRAM_BINS - 1, Math.floor(p * HISTOGRAM_BINS));
    (targets[i] === 1 ? spam : ham)[bin]++;
  });
  return { spam, ham };
}

export function runReport(db: Db, runId: number, threshold?: number): RunReport {
  const run = getRun(db, runId);
  const { split, probabilities, targets, bulk } = heldOut(db, runId, run.holdout?.kind === 'newest');
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
  'runs.report': (request, { db }) => runReport(db, request.runId, request.threshold),
  'runs.predictions': (request, { db }) => listPredictions(db, request),
  'runs.lossHistogram': (request, { db }) => lossHistogram(db, request),
  'runs.dynamics': (request, { db }) => runDynamics(db, request.runId),
};
