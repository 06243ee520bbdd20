import type { Metrics, RunSummary } from '../../../../shared/types';
import { fieldText, SETTING_FIELDS } from './settings';

interface MetricRow {
  name: string;
  value(m: Metrics): number;
  format(v: number): string;
  /** Which direction is better, so the better run's figure can be marked. */
  better: 'higher' | 'lower';
}

const pct = (v: number) => `${(v * 100).toFixed(2)}%`;
const METRIC_ROWS: MetricRow[] = [
  { name: 'ROC AUC', value: (m) => m.rocAuc, format: (v) => v.toFixed(4), better: 'higher' },
  { name: 'log-loss', value: (m) => m.logLoss, format: (v) => v.toFixed(4), better: 'lower' },
  { name: 'accuracy', value: (m) => m.accuracy, format: pct, better: 'higher' },
  { name: 'F1', value: (m) => m.f1, format: (v) => v.toFixed(4), better: 'higher' },
  { name: 'ham lost (hm%)', value: (m) => m.hamMisclassifiedPct, format: (v) => `${v.toFixed(2)}%`, better: 'lower' },
  { name: 'spam missed (sm%)', value: (m) => m.spamMisclassifiedPct, format: (v) => `${v.toFixed(2)}%`, better: 'lower' },
  { name: 'ECE', value: (m) => m.ece, format: (v) => v.toFixed(4), better: 'lower' },
];

const seconds = (run: RunSummary) => (run.finishedAt ? (run.finishedAt - run.createdAt) / 1000 : null);

/** Two runs side by side: the settings that differ, and validation metrics with the better figure marked. */
export function RunComparison({ left, right }: { left: RunSummary; right: RunSummary }) {
  const runs = [left, right];
  const differing = SETTING_FIELDS.filter((f) => fieldText(left.settings, f.key) !== fieldText(right.settings, f.key));
  const winner = (row: MetricRow, run: RunSummary) => {
    const [a, b] = runs.map((r) => (r.validationMetrics ? row.value(r.validationMetrics) : null));
    if (a === null || b === null || a === b) return false;
    const mine = run === left ? a : b;
    return row.better === 'higher' ? mine === Math.max(a, b) : mine === Math.min(a, b);
  };
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
        <tr>
          <th>threshold (hm%, sm%, accuracy and F1 are at it)</th>
          {runs.map((run) => (
            <td key={run.id} className="num">
              {run.threshold.toFixed(2)}
            </td>
          ))}
        </tr>
        {METRIC_ROWS.map((row) => (
          <tr key={row.name}>
            <th>
              {row.name} <span className="muted small">({row.better} is better)</span>
            </th>
            {runs.map((run) => (
              <td key={run.id} className={`num${winner(row, run) ? ' better' : ''}`}>
                {run.validationMetrics ? row.format(row.value(run.validationMetrics)) : '—'}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
