// The drift monitor: how a run does on labeled mail it never learned from, period by period, against its own holdout.
import type { MonitorReport } from '../../../shared/contract';
import { ApiError } from '../../../shared/errors';
import type { Handlers } from './context';
import { MonitoredExample, monitorReport, unsureBand } from '../evaluation/drift';
import { plausibleDate } from '../../../shared/mail-dates';
import { holdoutRows, laterRows, learnedRows, newestTrainingDate, unlabeledAfter } from '../store/monitor';
import { runLineage } from '../store/live';
import type { Db } from '../store/open';
import { getRun } from '../store/runs';
import { resolveRun } from './classify';
import { scoreUnscored } from './scoring';

/** The run a saved live copy descends from by way of its base runs, and every label learned on the way. */
function lineageOf(db: Db, runId: number): { judgedRunId: number; learnedEventIds: number[] } {
  let learnedEventIds: number[] = [];
  let judgedRunId = runId;
  for (let lineage = runLineage(db, runId); lineage; lineage = runLineage(db, judgedRunId)) {
    learnedEventIds = learnedEventIds.concat(lineage.learnedEventIds);
    judgedRunId = lineage.baseRunId;
  }
  return { judgedRunId, learnedEventIds };
}

export const monitorHandlers: Handlers<'monitor.report'> = {
  'monitor.report': (request, ctx): MonitorReport => {
    const runId = resolveRun(ctx, request.runId);
    const run = getRun(ctx.db, runId);
    if (run.status !== 'completed') throw new ApiError('conflict', `run ${runId} is ${run.status}; only a completed run can be monitored`);
    // Mail imported after the run has no score under it yet.
    scoreUnscored(ctx, runId);
    // A run saved from a live copy was judged as the run it learned on top of: that run's holdout is its baseline,
    // and the labels it learned count as later mail with the probability recorded before each was learned.
    const { judgedRunId, learnedEventIds } = lineageOf(ctx.db, runId);
    const holdout = holdoutRows(ctx.db, judgedRunId).map((r): MonitoredExample => ({
      probability: r.probability,
      label: r.label,
      date: plausibleDate(r.date, r.importedAt),
      labeledAt: null,
      later: false,
    }));
    // The run read its labels when it started: anything labeled since, and not among its predictions, it never saw.
    const later = [...learnedRows(ctx.db, learnedEventIds), ...laterRows(ctx.db, runId, run.createdAt)].map((r): MonitoredExample => ({
      probability: r.probability,
      label: r.label,
      date: plausibleDate(r.date, r.importedAt),
      labeledAt: r.labeledAt,
      later: true,
    }));
    const band = unsureBand(run.threshold, run.unsureBelow);
    const newest = newestTrainingDate(ctx.db, judgedRunId) ?? run.createdAt;
    return monitorReport({
      runId,
      by: request.by,
      threshold: run.threshold,
      holdoutSpan: getRun(ctx.db, judgedRunId).holdout,
      holdout,
      later,
      unlabeled: unlabeledAfter(ctx.db, runId, newest, band.low, band.high),
      band,
    });
  },
};
