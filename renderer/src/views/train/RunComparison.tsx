import { useEffect, useState } from 'react';
import type { Metrics, RunSummary } from '../../../../shared/types';
import { api } from '../../api/client';
import { figureValue, formatFigure, undefinedBecause, type FigureName } from './format';
import { fieldText, SETTING_FIELDS } from './settings';

interface MetricRow {
  name: string;
  figure: FigureName;
  /** Which direction is better, so the better run's figure can be marked. */
  better: 'higher' | 'lower';
}

/** Figures that depend on where the threshold is: shown at each run's saved threshold. */
const AT_THRESHOLD: MetricRow[] = [
  { name: 'ham lost (hm%)', figure: 'hamLost', better: 'lower' },
  { name: 'spam missed (sm%)', figure: 'spamMissed', better: 'lower' },
  { name: 'accuracy', figure: 'accuracy', better: 'higher' },
  { name: 'F1', figure: 'f1', better: 'higher' },
];
/** Figures of the probabilities alone, whatever the threshold. */
const ANY_THRESHOLD: MetricRow[] = [
  { name: 'ROC AUC', figure: 'rocAuc', better: 'higher' },
  { name: 'log-loss', figure: 'logLoss', better: 'lower' },
  { name: 'ECE', figure: 'ece', better: 'lower' },
];

const seconds = (run: RunSummary) => (run.finishedAt ? (run.finishedAt - run.createdAt) / 1000 : null);

/**
 * A completed run's held-out figures at its saved threshold (runs.report): the
 * figures stored with the run are at the threshold it started with, which
 * "Use this threshold" or a policy may since have moved.
 */
function useMetricsAtSavedThreshold(run: RunSummary): Metrics | null | 'loading' {
  const [metrics, setMetrics] = useState<Metrics | null | 'loading'>('loading');
  useEffect(() => {
    if (run.status !== 'completed') return setMetrics(null);
    let current = true;
    setMetrics('loading');
    api.call('runs.report', { runId: run.id, threshold: run.threshold }).then(
      (report) => current && setMetrics(report.metrics),
      () => current && setMetrics(null),
    );
    return () => {
      current = false;
    };
  }, [run.id, run.threshold, run.status]);
  return metrics;
}

/** Two runs side by side: the settings that differ, and held-out metrics with the better figure marked. */
export function RunComparison({ left, right }: { left: RunSummary; right: RunSummary }) {
  const runs = [left, right];
  const metrics = [useMetricsAtSavedThreshold(left), useMetricsAtSavedThreshold(right)];
  const differing = SETTING_FIELDS.filter((f) => fieldText(left.settings, f.key) !== fieldText(right.settings, f.key));
  const value = (row: MetricRow, i: number) => {
    const m = metrics[i];
    return m && m !== 'loading' ? figureValue(m, row.figure) : null;
  };
  const winner = (row: MetricRow, i: number) => {
    const [a, b] = [value(row, 0), value(row, 1)];
    if (a === null || b === null || a === b) return false;
    const mine = i === 0 ? a : b;
    return row.better === 'higher' ? mine === Math.max(a, b) : mine === Math.min(a, b);
  };
  const metricRow = (row: MetricRow) => (
    <tr key={row.name} data-testid={`compare-${row.figure}`}>
      <th>
        {row.name} <span className="muted small">({row.better} is better)</span>
      </th>
      {runs.map((run, i) => {
        const m = metrics[i];
        return (
          <td
            key={run.id}
            className={`num${winner(row, i) ? ' better' : ''}`}
            title={m && m !== 'loading' ? (undefinedBecause(m, row.figure) ?? undefined) : undefined}
          >
            {m === 'loading' ? '…' : m ? formatFigure(row.figure, value(row, i)) : '—'}
          </td>
        );
      })}
    </tr>
  );
  return (
    <table className="grid comparison" data-testid="run-comparison">
      <thead>
        <tr>
          <th />
          {runs.map((run) => (
            <th key={run.id} className="num">
              run {run.id} {run.name}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {differing.length === 0 ? (
          <tr>
            <th>settings</th>
            <td colSpan={2} className="muted">
              the same (a different data set or seed explains any difference)
            </td>
          </tr>
        ) : (
          differing.map((f) => (
            <tr key={f.key} data-testid="differing-setting">
              <th>{f.label}</th>
              {runs.map((run) => (
                <td key={run.id} className="num">
                  {fieldText(run.settings, f.key)}
                </td>
              ))}
            </tr>
          ))
        )}
        <tr>
          <th>train / validation messages</th>
          {runs.map((run) => (
            <td key={run.id} className="num">
              {run.status === 'completed' ? `${run.trainCount} / ${run.validationCount}` : '—'}
            </td>
          ))}
        </tr>
        <tr>
          <th>time, backend</th>
          {runs.map((run) => (
            <td key={run.id} className="num">
              {seconds(run)?.toFixed(1) ?? '…'} s, {run.backend ?? '—'}
            </td>
          ))}
        </tr>
        <tr data-testid="compare-threshold">
          <th>saved threshold (the next four rows are at it)</th>
          {runs.map((run) => (
            <td key={run.id} className="num">
              {run.threshold.toFixed(2)}
            </td>
          ))}
        </tr>
        {AT_THRESHOLD.map(metricRow)}
        <tr>
          <th className="muted small" colSpan={3}>
            at any threshold
          </th>
        </tr>
        {ANY_THRESHOLD.map(metricRow)}
      </tbody>
    </table>
  );
}
