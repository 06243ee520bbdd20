// `spamlab monitor`: how the active run (or --run) does on mail labeled since it trained, period by period.
import { MONITOR_PERIODS, MonitorPeriod, MonitorPoint, MonitorReport } from '../../shared/contract';
import { id, parse, print, UsageError, withBackend } from './common';

/** Exit status under --exit-status when the drift test fires (0 healthy or not enough mail; 2 bad usage, 1 other failure). */
export const DRIFT_EXIT_STATUS = 3;

const percent = (x: number | null) => (x === null ? '–' : `${(100 * x).toFixed(1)}%`);
const day = (ms: number | null) => (ms === null ? '?' : new Date(ms).toISOString().slice(0, 10));

function table(points: MonitorPoint[]): string[] {
  const rows = [
    ['period', 'count', 'ham', 'spam', 'BCE', '95% band', 'ham flagged', 'spam missed', 'alarm'],
    ...points.map((p) => [
      p.period,
      String(p.count),
      String(p.ham),
      String(p.spam),
      p.bce.toFixed(3),
      `${p.bceLow.toFixed(3)}–${p.bceHigh.toFixed(3)}`,
      percent(p.hamFlagged),
      percent(p.spamMissed),
      p.alarm ? 'ALARM' : '',
    ]),
  ];
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  return rows.map((r) => `  ${r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ')}`.trimEnd());
}

function describe(report: MonitorReport): string {
  const lines = [`run ${report.runId}, by ${report.by}, spam at probability ≥ ${report.threshold.toFixed(4)}`];
  const b = report.baseline;
  lines.push(
    b
      ? `holdout: BCE ${b.bce.toFixed(3)} on ${b.count} messages (${day(b.from)} to ${day(b.to)}), the level later mail is compared with`
      : 'holdout: none (an imported model): nothing to compare with',
  );
  if (report.byMessageDate.length)
    lines.push('by message date (the holdout and mail labeled since the run):', ...table(report.byMessageDate));
  else lines.push('no dated labeled mail to show');
  const u = report.unsure;
  lines.push(
    `unlabeled mail newer than the run's training mail: ${u.count}` +
      (u.share === null ? '' : `, ${percent(u.share)} unsure (probability in [${u.low.toFixed(2)}, ${u.high.toFixed(2)}))`),
  );
  lines.push(report.drift.verdict);
  return lines.join('\n');
}

function period(value: string | undefined): MonitorPeriod {
  if (value === undefined) return 'month';
  const chosen = MONITOR_PERIODS.find((p) => p === value);
  if (!chosen) throw new UsageError(`--by: expected ${MONITOR_PERIODS.join(' or ')}, got "${value}"`);
  return chosen;
}

export async function monitorCommand(args: string[]): Promise<number> {
  const { values } = parse(args, { by: { type: 'string' }, run: { type: 'string' }, 'exit-status': { type: 'boolean' } });
  const request = { by: period(values.by), runId: id(values.run, 'run') };
  return withBackend(values.db, async (api) => {
    const report = await api.call('monitor.report', request);
    print(values.json ? report : describe(report));
    return values['exit-status'] && report.drift.alarm ? DRIFT_EXIT_STATUS : 0;
  });
}
