import { useState } from 'react';
import type { MonitorPeriod, MonitorPoint } from '../../../../shared/contract';
import type { TrainSettings } from '../../../../shared/types';
import { api } from '../../api/client';
import { useEvent, useQuery } from '../../api/hooks';
import { DriftChart } from './DriftChart';

type Axis = 'byMessageDate' | 'byLabelTime';

const share = (value: number | null) => (value === null ? '—' : `${(value * 100).toFixed(1)}%`);

function PointsTable({ points }: { points: MonitorPoint[] }) {
  return (
    <table className="grid" data-testid="monitor-table">
      <thead>
        <tr>
          <th>Period</th>
          <th className="num">Messages</th>
          <th className="num">BCE (95% band)</th>
          <th className="num">Ham flagged</th>
          <th className="num">Spam missed</th>
          <th>Alarm</th>
        </tr>
      </thead>
      <tbody>
        {points.map((p) => (
          <tr key={p.period} className={p.alarm ? 'alarm-row' : undefined}>
            <td>{p.period}</td>
            <td className="num">
              {p.count.toLocaleString()}{' '}
              <span className="muted small">
                ({p.ham} ham, {p.spam} spam)
              </span>
            </td>
            <td className="num">
              {p.bce.toFixed(3)}{' '}
              <span className="muted small">
                {p.bceLow.toFixed(3)}–{p.bceHigh.toFixed(3)}
              </span>
            </td>
            <td className="num">{share(p.hamFlagged)}</td>
            <td className="num">{share(p.spamMissed)}</td>
            <td>{p.alarm ? <b className="alarm-text">above holdout</b> : ''}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The one-click answers to drift: the same settings, with the newest mail weighted up or the oldest left out. */
const RETRAINS: Array<{ id: string; label: string; change: Partial<TrainSettings> }> = [
  { id: 'recent', label: 'Retrain with the newest mail weighted up (half-life 30 days)', change: { recentHalfLifeDays: 30 } },
  { id: 'oldest', label: 'Retrain without the oldest 30% of the mail', change: { leaveOutOldest: 0.3 } },
];

function RetrainButtons({ runId }: { runId: number }) {
  const run = useQuery('runs.get', { runId });
  const [started, setStarted] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const start = async (retrain: (typeof RETRAINS)[number]) => {
    if (!run.data) return;
    setError(null);
    try {
      const { runId: id } = await api.call('training.start', {
        settings: { ...run.data.settings, ...retrain.change },
        name: `${run.data.name} · ${retrain.id === 'recent' ? 'newest weighted up' : 'oldest left out'}`,
      });
      setStarted(id);
    } catch (err) {
      setError((err as Error).message);
    }
  };
  return (
    <div className="row" style={{ marginTop: 8 }} data-testid="monitor-retrain">
      {RETRAINS.map((r) => (
        <button key={r.id} disabled={!run.data || started !== null} onClick={() => void start(r)} data-testid={`retrain-${r.id}`}>
          {r.label}
        </button>
      ))}
      {started !== null && <span className="small muted">Training run {started}: it becomes the active filter when it finishes.</span>}
      {error && <span className="notice error">{error}</span>}
    </div>
  );
}

/** How the active run does on mail it did not learn from, period by period, against its own holdout: the drift watch. */
export function MonitorView() {
  const [by, setBy] = useState<MonitorPeriod>('month');
  const [axis, setAxis] = useState<Axis>('byMessageDate');
  const [version, setVersion] = useState(0);
  useEvent('training.finished', () => setVersion((v) => v + 1));
  const report = useQuery('monitor.report', { by }, version);
  // Not on every label learned (the report reads every monitored message): only when a saved live copy becomes the active run.
  useEvent('live.updated', (status) => status.baseRunId !== report.data?.runId && setVersion((v) => v + 1));
  const data = report.data;
  const points = data ? data[axis] : [];
  return (
    <>
      <header className="view-header">
        <h1>Monitor</h1>
        <span className="muted small">How the active filter does on mail it did not learn from.</span>
        <span className="spacer" />
        <label className="row small">
          Per
          <select value={by} onChange={(e) => setBy(e.target.value as MonitorPeriod)} aria-label="period" data-testid="monitor-period">
            <option value="week">week</option>
            <option value="month">month</option>
          </select>
        </label>
        <label className="row small">
          By
          <select value={axis} onChange={(e) => setAxis(e.target.value as Axis)} aria-label="time axis" data-testid="monitor-axis">
            <option value="byMessageDate">message date</option>
            <option value="byLabelTime">when labeled</option>
          </select>
        </label>
      </header>
      <div className="view-body monitor">
        {report.error && <div className="notice error">{report.error}</div>}
        {data && (
          <>
            <div className={`notice ${data.drift.alarm ? 'error' : 'panel'}`} data-testid="monitor-verdict">
              <b>{data.drift.alarm ? 'Drift: ' : ''}</b>
              {data.drift.verdict}
              <div className="small muted">
                Run {data.runId} at threshold {data.threshold}
                {data.baseline
                  ? ` · holdout BCE ${data.baseline.bce.toFixed(3)} on ${data.baseline.count.toLocaleString()} messages`
                  : ' · no held-out predictions (an imported model): periods are shown without a baseline'}
                {data.drift.recentBce !== null &&
                  ` · recent BCE ${data.drift.recentBce.toFixed(3)} on ${data.drift.recentCount.toLocaleString()} messages`}
                {data.drift.pValue !== null &&
                  ` · p = ${data.drift.pValue < 0.001 ? data.drift.pValue.toExponential(1) : data.drift.pValue.toFixed(3)}`}
              </div>
              <RetrainButtons runId={data.runId} />
            </div>
            <div className="panel panel-pad">
              {points.length === 0 ? (
                <div className="empty" data-testid="monitor-empty">
                  <h2>Nothing to watch yet</h2>
                  <p>
                    The monitor scores labeled mail the run did not train on: its holdout and everything labeled after it was trained. Label
                    new mail as it arrives and the periods appear here.
                  </p>
                </div>
              ) : (
                <>
                  <DriftChart points={points} baseline={data.baseline?.bce ?? null} />
                  <p className="small muted">
                    Each point is the mean binary cross-entropy of the run's spam probabilities on that period's labeled mail, with its 95%
                    band; lower is better. The dashed line is the run's own holdout BCE. Points well above it mean the mail has changed
                    since the model learned: retrain.
                  </p>
                  <PointsTable points={points} />
                </>
              )}
            </div>
            <div className="panel panel-pad small" data-testid="monitor-unsure">
              {data.unsure.count === 0
                ? 'No unlabeled mail newer than the run’s training mail.'
                : `${share(data.unsure.share)} of ${data.unsure.count.toLocaleString()} unlabeled messages newer than the training mail are unsure (probability ${data.unsure.low}–${data.unsure.high}): a rising share is drift you can see before labeling.`}
            </div>
          </>
        )}
      </div>
    </>
  );
}
