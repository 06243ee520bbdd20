import { useCallback, useEffect, useState } from 'react';
import type { CurvePoint, RunSummary } from '../../../../shared/types';
import { DEFAULT_TRAIN_SETTINGS, SettingKey, TrainSettings } from '../../../../shared/train-settings';
import { api } from '../../api/client';
import { useEvent, useQuery } from '../../api/hooks';
import { LossChart, LossSeries } from '../../components/LossChart';
import { RunComparison } from './RunComparison';
import { RunReportPanel } from './RunReportPanel';
import { fieldText, SETTING_FIELDS, withField } from './settings';

const EMPTY: LossSeries = { steps: [], stepLoss: [], epochSteps: [], epochTrain: [], epochVal: [] };

function seriesFrom(curves: CurvePoint[]): LossSeries {
  const steps = curves.filter((c) => c.kind === 'step');
  const epochs = curves.filter((c) => c.kind === 'epoch');
  return {
    steps: steps.map((c) => c.step),
    stepLoss: steps.map((c) => c.trainLoss),
    epochSteps: epochs.map((c) => c.step),
    epochTrain: epochs.map((c) => c.trainLoss),
    epochVal: epochs.map((c) => c.valLoss),
  };
}

const duration = (run: RunSummary) => (run.finishedAt ? `${((run.finishedAt - run.createdAt) / 1000).toFixed(1)} s` : '…');

export function TrainView() {
  const [settings, setSettings] = useState<TrainSettings>(DEFAULT_TRAIN_SETTINGS);
  const [shownRunId, setShownRunId] = useState<number | null>(null);
  const [series, setSeries] = useState<LossSeries>(EMPTY);
  const [live, setLive] = useState<{ backend: string | null; examplesPerSecond: number | null; fold: string | null }>({
    backend: null,
    examplesPerSecond: null,
    fold: null,
  });
  const [confirmingDelete, setConfirmingDelete] = useState<number | null>(null);
  const [compared, setCompared] = useState<{ runId: number; series: LossSeries } | null>(null);
  const [smoothing, setSmoothing] = useState(0.6);
  const [logScale, setLogScale] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [version, setVersion] = useState(0);
  const runs = useQuery('runs.list', {}, version);
  const refresh = useCallback(() => setVersion((v) => v + 1), []);
  const shown = runs.data?.find((r) => r.id === shownRunId) ?? null;
  const running = runs.data?.find((r) => r.status === 'running') ?? null;
  const comparedRun = runs.data?.find((r) => r.id === compared?.runId && r.id !== shownRunId) ?? null;

  const toggleCompare = async (runId: number) => {
    if (compared?.runId === runId) return setCompared(null);
    setCompared({ runId, series: EMPTY });
    const detail = await api.call('runs.get', { runId });
    setCompared((c) => (c?.runId === runId ? { ...c, series: seriesFrom(detail.curves) } : c));
  };

  const open = useCallback(async (runId: number) => {
    setShownRunId(runId);
    const detail = await api.call('runs.get', { runId });
    setSeries(seriesFrom(detail.curves));
    setLive({ backend: detail.backend, examplesPerSecond: detail.examplesPerSecond, fold: null });
  }, []);

  useEffect(() => {
    if (shownRunId === null && runs.data?.[0]) void open(runs.data[0].id);
  }, [runs.data, shownRunId, open]);

  useEvent('training.steps', (e) => {
    if (e.runId !== shownRunId) return;
    setSeries((s) => ({
      ...s,
      steps: [...s.steps, ...e.points.map((p) => p.step)],
      stepLoss: [...s.stepLoss, ...e.points.map((p) => p.loss)],
    }));
  });
  useEvent('training.epoch', (e) => {
    if (e.runId !== shownRunId) return;
    setSeries((s) => ({
      ...s,
      epochSteps: [...s.epochSteps, e.point.step],
      epochTrain: [...s.epochTrain, e.point.trainLoss],
      epochVal: [...s.epochVal, e.point.valLoss],
    }));
    setLive((l) => ({ ...l, examplesPerSecond: e.examplesPerSecond }));
  });
  useEvent('training.backend', (e) => e.runId === shownRunId && setLive((l) => ({ ...l, backend: e.backend })));
  useEvent('training.fold', (e) => e.runId === shownRunId && setLive((l) => ({ ...l, fold: `out-of-fold ${e.fold}/${e.of}` })));
  useEvent('training.finished', refresh);

  const start = async () => {
    setError(null);
    try {
      const { runId } = await api.call('training.start', { settings });
      setShownRunId(runId);
      setSeries(EMPTY);
      setLive({ backend: null, examplesPerSecond: null, fold: null });
      refresh();
    } catch (err) {
      setError((err as Error).message);
    }
  };

  const set = (key: SettingKey, text: string) => setSettings((s) => withField(s, key, text));

  return (
    <>
      <header className="view-header">
        <h1>Train</h1>
        <button className="primary" onClick={() => void start()} disabled={running !== null} data-testid="train-button">
          Train
        </button>
        {running && (
          <button onClick={() => void api.call('training.cancel', { runId: running.id })} data-testid="cancel-button">
            Cancel run {running.id}
          </button>
        )}
        <span className="spacer" />
        <span className="small muted" data-testid="backend">
          {live.backend ? `backend: ${live.backend}` : ''}
          {live.examplesPerSecond ? ` · ${Math.round(live.examplesPerSecond).toLocaleString()} examples/s` : ''}
          {live.fold ? ` · ${live.fold}` : ''}
        </span>
      </header>
      <div className="view-body" style={{ display: 'grid', gap: 16 }}>
        {error && <div className="notice error">{error}</div>}
        <div className="panel panel-pad">
          <div className="row" style={{ marginBottom: 8 }}>
            <b>{shown ? `Run ${shown.id} — ${shown.name}` : 'No run yet'}</b>
            {shown && (
              <span className={`badge ${shown.status === 'completed' ? 'ham' : shown.status === 'running' ? 'none' : 'spam'}`}>
                {shown.status}
              </span>
            )}
            <span className="spacer" />
            <label className="row small">
              smoothing{' '}
              <input
                type="range"
                min={0}
                max={0.99}
                step={0.01}
                value={smoothing}
                onChange={(e) => setSmoothing(Number(e.target.value))}
                aria-label="smoothing"
              />
            </label>
            <label className="row small">
              <input type="checkbox" checked={logScale} onChange={(e) => setLogScale(e.target.checked)} /> log scale
            </label>
          </div>
          {series.steps.length === 0 && !running ? (
            <div className="empty">
              <h2>Train your first filter</h2>
              <p>Label some spam and ham, pick settings below, and press Train. The loss curves appear here as the model learns.</p>
            </div>
          ) : (
            <LossChart
              series={series}
              compared={comparedRun ? { name: `run ${comparedRun.id}`, series: compared!.series } : undefined}
              smoothing={smoothing}
              logScale={logScale}
            />
          )}
          {shown?.error && <div className="notice error">{shown.error}</div>}
        </div>
        <details className="panel panel-pad">
          <summary>
            <b>Settings</b>{' '}
            <span className="muted small">
              — {settings.model}, {settings.optimizer}, lr {settings.learningRate}, {settings.epochs} epochs
            </span>
          </summary>
          <div className="settings" style={{ marginTop: 12 }}>
            {SETTING_FIELDS.map((f) => (
              <div className="field" key={f.key}>
                <label htmlFor={`setting-${f.key}`}>{f.label}</label>
                {f.options ? (
                  <select id={`setting-${f.key}`} value={fieldText(settings, f.key)} onChange={(e) => set(f.key, e.target.value)}>
                    {f.options.map((o) => (
                      <option key={o}>{o}</option>
                    ))}
                  </select>
                ) : (
                  <input
                    id={`setting-${f.key}`}
                    type="number"
                    min={f.min}
                    max={f.max}
                    step={f.step}
                    value={fieldText(settings, f.key)}
                    onChange={(e) => set(f.key, e.target.value)}
                  />
                )}
                <span className="help">{f.help}</span>
              </div>
            ))}
          </div>
        </details>
        <div className="panel panel-pad">
          <b>Runs</b>
          <table className="grid" style={{ marginTop: 8 }} data-testid="runs-table">
            <thead>
              <tr>
                <th>run</th>
                <th>status</th>
                <th>model</th>
                <th>backend</th>
                <th>time</th>
                <th>val AUC</th>
                <th>val log-loss</th>
                <th>threshold</th>
                <th title="Overlay this run's curves on the shown run and compare their numbers">compare</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {(runs.data ?? []).map((run) => (
                <tr
                  key={run.id}
                  className="clickable"
                  onClick={() => void open(run.id)}
                  style={run.id === shownRunId ? { background: 'var(--panel-2)' } : undefined}
                >
                  <td>
                    {run.isActive ? '★ ' : ''}
                    {run.id} {run.name}
                    {run.isStale ? <span className="muted small"> (labels changed since)</span> : null}
                  </td>
                  <td>{run.status}</td>
                  <td>{run.settings.model}</td>
                  <td>{run.backend ?? '—'}</td>
                  <td>{duration(run)}</td>
                  <td className="num">{run.validationMetrics?.rocAuc.toFixed(4) ?? '—'}</td>
                  <td className="num">{run.validationMetrics?.logLoss.toFixed(4) ?? '—'}</td>
                  <td className="num">{run.threshold.toFixed(2)}</td>
                  <td onClick={(e) => e.stopPropagation()}>
                    {run.id !== shownRunId && run.status !== 'running' && (
                      <input
                        type="checkbox"
                        checked={compared?.runId === run.id}
                        onChange={() => void toggleCompare(run.id)}
                        aria-label={`compare run ${run.id}`}
                      />
                    )}
                  </td>
                  <td>
                    {run.status === 'completed' && !run.isActive && (
                      <button onClick={(e) => (e.stopPropagation(), void api.call('runs.activate', { runId: run.id }).then(refresh))}>
                        Use
                      </button>
                    )}{' '}
                    {run.status !== 'running' && (
                      <button
                        className={confirmingDelete === run.id ? 'danger' : undefined}
                        onClick={(e) => {
                          e.stopPropagation();
                          // A run's model and curves cannot be brought back: the first click asks, the second deletes.
                          if (confirmingDelete !== run.id) return setConfirmingDelete(run.id);
                          setConfirmingDelete(null);
                          void api.call('runs.delete', { runId: run.id }).then(() => (setShownRunId(null), refresh()));
                        }}
                        onBlur={() => setConfirmingDelete(null)}
                      >
                        {confirmingDelete === run.id ? `Delete run ${run.id}?` : 'Delete'}
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        {shown && comparedRun && (
          <div className="panel panel-pad">
            <b>
              Run {shown.id} against run {comparedRun.id}
            </b>
            <span className="muted small"> — validation metrics; dashed curves in the chart above are run {comparedRun.id}</span>
            <div style={{ marginTop: 10 }}>
              <RunComparison left={shown} right={comparedRun} />
            </div>
          </div>
        )}
        {shown?.status === 'completed' && (
          <div className="panel panel-pad">
            <b>Metrics of run {shown.id}</b>
            <div style={{ marginTop: 10 }}>
              <RunReportPanel runId={shown.id} initialThreshold={shown.threshold} onSaved={refresh} />
            </div>
          </div>
        )}
      </div>
    </>
  );
}
