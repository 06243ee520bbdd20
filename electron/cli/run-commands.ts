// Commands about models and the dataset's state: train, stats, runs, report, export, import-model.
import type { ApiClient } from '../../shared/contract';
import { ApiError } from '../../shared/errors';
import { describeFlagged, describeHoldout } from '../../shared/holdout';
import type { Metrics, RunSummary } from '../../shared/types';
import { absolute, id, number, parse, print, progressLine, UsageError, withBackend } from './common';
import { TRAIN_OPTIONS, trainSettings } from './train-flags';

/**
 * Precision, recall and F1 as printed: "n/a" where the ratio has nothing to divide by (precision when nothing is
 * called spam, recall when no message is spam, F1 when neither), not a 0 that reads as a measured failure.
 */
function ratios(m: Metrics) {
  const { tp, fp, fn } = m.confusion;
  const shown = (value: number, defined: boolean) => (defined ? value.toFixed(4) : 'n/a');
  return { precision: shown(m.precision, tp + fp > 0), recall: shown(m.recall, tp + fn > 0), f1: shown(m.f1, tp + fp + fn > 0) };
}

/** A run with no held-out predictions: an imported model (trained elsewhere), or a run that held nothing out. */
const noHoldout = (run: RunSummary) =>
  run.trainCount === 0 ? 'no held-out predictions (an imported model): nothing to measure it on here' : 'no held-out predictions';

function describeRun(run: RunSummary): string {
  const m = run.validationMetrics;
  const head = `run ${run.id} "${run.name}": ${run.status} on ${run.backend ?? '?'} backend, ${run.trainCount} train / ${run.validationCount} validation`;
  if (!m) return run.error ? `${head}\n  ${run.error}` : head;
  return (
    `${head}, ${Math.round(run.examplesPerSecond ?? 0)} examples/s\n` +
    `  validation ${describeHoldout(run.holdout, run.validationCount)}:\n    AUC ${m.rocAuc.toFixed(4)}  log-loss ${m.logLoss.toFixed(4)}` +
    `; at threshold ${m.threshold}: accuracy ${(m.accuracy * 100).toFixed(2)}%  F1 ${ratios(m).f1}  hm% ${m.hamMisclassifiedPct.toFixed(2)}  sm% ${m.spamMisclassifiedPct.toFixed(2)}` +
    // The stored figures are at the threshold the run started with; a policy set since moves the run's threshold, not them.
    (m.threshold === run.threshold
      ? ''
      : `\n    (its threshold is now ${run.threshold}: \`spamlab report --run ${run.id}\` gives the figures there)`)
  );
}

/** Settles when a run started after it was made has finished, whichever comes first: the event or the wait. */
function finishedRuns(api: ApiClient) {
  const finished = new Set<number>();
  const waiting = new Map<number, () => void>();
  const off = api.on('training.finished', (e) => {
    finished.add(e.runId);
    waiting.get(e.runId)?.();
  });
  return {
    wait: (runId: number) => new Promise<void>((resolve) => (finished.has(runId) ? resolve() : waiting.set(runId, resolve))),
    off,
  };
}

export async function trainCommand(args: string[]): Promise<number> {
  const { values } = parse(args, TRAIN_OPTIONS);
  const settings = trainSettings(values);
  return withBackend(values.db, async (api) => {
    const progress = progressLine();
    const runs = finishedRuns(api);
    const off = [
      runs.off,
      api.on('training.steps', (e) => {
        const last = e.points[e.points.length - 1];
        if (last) progress.update(`epoch ${last.epoch + 1}/${settings.epochs}  step ${last.step}  loss ${last.loss.toFixed(4)}`);
      }),
      api.on('training.epoch', (e) => {
        progress.done();
        if (!values.json) {
          const p = e.point;
          process.stderr.write(
            `epoch ${p.epoch + 1}: train loss ${p.trainLoss.toFixed(4)}  validation loss ${p.valLoss?.toFixed(4) ?? '–'}` +
              `  AUC ${p.valAuc?.toFixed(4) ?? '–'}  ${Math.round(e.examplesPerSecond)} examples/s\n`,
          );
        }
      }),
      api.on('training.fold', (e) => progress.update(`out-of-fold predictions: fold ${e.fold}/${e.of}`)),
    ];
    const { runId } = await api.call('training.start', { settings, name: values.name });
    const cancel = () => void api.call('training.cancel', { runId });
    process.once('SIGINT', cancel);
    await runs.wait(runId);
    process.off('SIGINT', cancel);
    off.forEach((unsubscribe) => unsubscribe());
    progress.done();
    const run = (await api.call('runs.list', {})).find((r) => r.id === runId);
    if (!run) throw new ApiError('not-found', `run ${runId} is gone: was it deleted while it trained?`);
    print(values.json ? run : describeRun(run));
    return run.status === 'completed' ? 0 : 1;
  });
}

export async function statsCommand(args: string[]): Promise<number> {
  const { values } = parse(args, {});
  return withBackend(values.db, async (api) => {
    const s = await api.call('dataset.stats', {});
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
  return withBackend(values.db, async (api) => {
    const runs = await api.call('runs.list', {});
    print(values.json ? runs : runs.length ? runs.map((r) => (r.isActive ? '* ' : '  ') + describeRun(r)).join('\n') : 'no runs yet');
    return 0;
  });
}

export async function reportCommand(args: string[]): Promise<number> {
  const { values } = parse(args, { run: { type: 'string' }, threshold: { type: 'string' } });
  const request = { runId: id(values.run, 'run'), threshold: number(values.threshold, 'threshold') };
  return withBackend(values.db, async (api) => {
    const report = await api.call('runs.report', request);
    if (values.json) print(report);
    else {
      const m = report.metrics;
      print(describeRun(report.run));
      if (m.count === 0) {
        print(`  ${noHoldout(report.run)}`);
        return 0;
      }
      const { precision, recall } = ratios(m);
      const on = report.split === 'validation' ? describeHoldout(report.run.holdout, m.count) : `on ${report.split} (${m.count} messages)`;
      print(`${on} at threshold ${m.threshold}:`);
      print(`  tp ${m.confusion.tp}  fp ${m.confusion.fp}  tn ${m.confusion.tn}  fn ${m.confusion.fn}`);
      print(`  precision ${precision}  recall ${recall}  PR AUC ${m.prAuc.toFixed(4)}  ECE ${m.ece.toFixed(4)}`);
      print(`  ${describeFlagged('bulk ham', report.hamFlagged.bulk)}, ${describeFlagged('other ham', report.hamFlagged.other)}`);
    }
    return 0;
  });
}

export async function exportCommand(args: string[]): Promise<number> {
  const { values } = parse(args, { run: { type: 'string' }, out: { type: 'string' }, 'with-lists': { type: 'boolean' } });
  if (!values.out) throw new UsageError('export: --out FILE is required');
  const out = values.out;
  const runId = id(values.run, 'run');
  return withBackend(values.db, async (api) => {
    const written = await api.call('models.export', { file: absolute(out), runId, withLists: values['with-lists'] });
    print(values.json ? written : `wrote run ${written.runId}'s model to ${out}`);
    return 0;
  });
}

export async function importModelCommand(args: string[]): Promise<number> {
  const { values, positionals } = parse(args, { name: { type: 'string' } }, true);
  if (positionals.length !== 1) throw new UsageError('import-model: give exactly one model FILE');
  const file = positionals[0]!;
  return withBackend(values.db, async (api) => {
    const { runId } = await api.call('models.import', { file: absolute(file), name: values.name });
    print(values.json ? { runId, file } : `stored ${file} as run ${runId}`);
    return 0;
  });
}
