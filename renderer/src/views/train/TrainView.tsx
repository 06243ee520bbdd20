import { useCallback, useEffect, useRef, useState } from 'react';
import type { CurvePoint, RunSummary } from '../../../../shared/types';
import { SettingKey, TrainSettings } from '../../../../shared/train-settings';
import { api } from '../../api/client';
import { useEvent, useQuery } from '../../api/hooks';
import { bestEpochIndex, LossChart, LossSeries } from '../../components/LossChart';
import { DataWarnings } from './DataWarnings';
import { RunComparison } from './RunComparison';
import { RunReportPanel } from './RunReportPanel';
import { fieldText, modelNotes, SETTING_FIELDS, SettingNotes, withField } from './settings';
import { loadSettings, saveSettings } from './stored-settings';
import { dataWarnings, runCounts } from './warnings';

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

/**
 * Where the run's epochs ended: the best epoch (the one kept), and "stopped at
 * epoch 5 of 20 (no improvement for 3)" when early stopping ended it.
 */
function EpochNote({ run, series }: { run: RunSummary; series: LossSeries }) {
  const best = bestEpochIndex(series.epochVal);
  const ran = series.epochSteps.length;
  if (best === null || ran === 0) return null;
  const { epochs, earlyStoppingPatience: patience, refit } = run.settings;
  const loss = series.epochVal[best]!.toFixed(4);
  if (run.status === 'running')
    return (
      <div className="small muted epoch-note" data-testid="epoch-note">
        Best so far: epoch {best + 1} of {ran} run, validation loss {loss}.
      </div>
    );
  if (run.status !== 'completed') return null;
  const stopped = patience > 0 && ran < epochs;
  return (
    <div className="small epoch-note" data-testid="epoch-note">
      {stopped ? (
        <b data-testid="early-stop">
          Stopped at epoch {ran} of {epochs} (no improvement for {patience}).
        </b>
      ) : (
        <span>
          Ran all {ran} epochs{patience > 0 ? ` (early stopping after ${patience} without improvement did not end it)` : ''}.
        </span>
      )}{' '}
      <span data-testid="best-epoch">
        Best epoch: {best + 1}, validation loss {loss} (ringed on the chart).{' '}
        {refit
          ? `The delivered model was then trained on every labeled message for ${best + 1} epoch${best ? 's' : ''}.`
          : 'Its weights are the ones kept.'}
      </span>
    </div>
  );
}

/** What the star marks, in its tooltip, its accessible name and the table's legend. */
const ACTIVE_RULE =
  'Active filter: the run classify, the filter, the Label queue and the Test view use. A run that finishes becomes active; Use picks another until the next one finishes.';

/** A key on a run's row (not on a control in it): ↑/↓, Home/End move to another row; Enter or Space shows the row's run. */
function onRunRowKey(event: React.KeyboardEvent<HTMLTableRowElement>, show: () => void) {
  if (event.target !== event.currentTarget || event.altKey || event.ctrlKey || event.metaKey) return;
  const rows = [...(event.currentTarget.parentElement?.children ?? [])] as HTMLElement[];
  const at = rows.indexOf(event.currentTarget);
  const key = event.key;
  const to = key === 'ArrowDown' ? at + 1 : key === 'ArrowUp' ? at - 1 : key === 'Home' ? 0 : key === 'End' ? rows.length - 1 : null;
  if (to !== null) {
    event.preventDefault();
    rows[Math.max(0, Math.min(rows.length - 1, to))]?.focus();
  } else if (event.key === 'Enter' || event.key === ' ') {
    event.preventDefault();
    show();
  }
}

const duration = (run: RunSummary) => (run.finishedAt ? `${((run.finishedAt - run.createdAt) / 1000).toFixed(1)} s` : '…');

export function TrainView() {
  // Kept across visits to the view: read back field by field, checked against the settings schema.
  const [settings, setSettings] = useState<TrainSettings>(loadSettings);
  useEffect(() => saveSettings(settings), [settings]);
  /** What the last change of model did to the learning rate (and any other per-model default), by field. */
  const [notes, setNotes] = useState<SettingNotes>({});
  const form = useRef<HTMLDetailsElement>(null);
  const [statsVersion, setStatsVersion] = useState(0);
  const stats = useQuery('dataset.stats', {}, statsVersion);
  useEvent('labels.changed', () => setStatsVersion((v) => v + 1));
  const [shownRunId, setShownRunId] = useState<number | null>(null);
  const [series, setSeries] = useState<LossSeries>(EMPTY);
  const [live, setLive] = useState<{ backend: string | null; examplesPerSecond: number | null; fold: string | null }>({
    backend: null,
    examplesPerSecond: null,
    fold: null,
  });
  const [confirmingDelete, setConfirmingDelete] = useState<number | null>(null);
  /** The runs table's row in the Tab order: the one last focused while it is listed, else the shown run's, else the first. */
  const [focusedRunId, setFocusedRunId] = useState<number | null>(null);
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
  const tabRunId = [focusedRunId, shownRunId].find((id) => runs.data?.some((r) => r.id === id)) ?? runs.data?.[0]?.id ?? null;

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
  useEvent('training.finished', (e) => {
    refresh();
    setStatsVersion((v) => v + 1);
    // The stored curves are whole: points pushed while the view was away, or before it had loaded the run, are in them.
    if (e.runId === shownRunId) void open(e.runId);
  });

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

  const set = (key: SettingKey, text: string) => {
    const next = withField(settings, key, text);
    setNotes((n) => (key === 'model' ? modelNotes(settings, next) : Object.fromEntries(Object.entries(n).filter(([k]) => k !== key))));
    setSettings(next);
  };
  const useBalanced = () => {
    set('classWeighting', 'balanced');
    if (form.current) form.current.open = true;
  };
  const counts = stats.data ? runCounts(stats.data, settings) : null;
  const warnings = counts ? dataWarnings(counts.labeled, counts.holdout, 'before') : [];

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
          {shown && <EpochNote run={shown} series={series} />}
          {shown?.error && <div className="notice error">{shown.error}</div>}
        </div>
        <div className="panel panel-pad" data-testid="train-form">
          <DataWarnings
            warnings={warnings}
            testId="data-warnings"
            weighting={settings.classWeighting === 'balanced' ? 'on' : 'suggest'}
            onUseBalanced={useBalanced}
          />
          <details ref={form}>
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
                  {notes[f.key] && (
                    <span className="setting-note" data-testid={`setting-note-${f.key}`}>
                      {notes[f.key]}
                    </span>
                  )}
                  <span className="help">{f.help}</span>
                </div>
              ))}
            </div>
          </details>
        </div>
        <div className="panel panel-pad runs-panel">
          <div className="row runs-title">
            <b>Runs</b>
            <span className="small muted" data-testid="runs-legend">
              <span aria-hidden>★</span> {ACTIVE_RULE}{' '}
              <span className="nowrap">
                <kbd>↑</kbd>/<kbd>↓</kbd> move between runs,
              </span>{' '}
              <span className="nowrap">
                <kbd>Enter</kbd> shows one.
              </span>
            </span>
          </div>
          {/* Narrower than its columns, the table scrolls inside this box; the buttons column stays in sight. */}
          <div className="table-scroll">
            <table className="grid runs-table" data-testid="runs-table" aria-label="runs">
              <thead>
                <tr>
                  <th>run</th>
                  <th>status</th>
                  <th>model · backend</th>
                  <th>time</th>
                  <th className="num">val AUC</th>
                  <th className="num">val log-loss</th>
                  <th className="num">threshold</th>
                  <th title="Overlay this run's curves on the shown run and compare their numbers">compare</th>
                  <th className="run-actions">
                    <span className="visually-hidden">actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {(runs.data ?? []).map((run) => (
                  <tr
                    key={run.id}
                    className={`clickable${run.id === shownRunId ? ' shown' : ''}`}
                    data-run-id={run.id}
                    // One row is in the Tab order (the last one focused, else the shown run's); ↑/↓ move between them.
                    tabIndex={run.id === tabRunId ? 0 : -1}
                    aria-current={run.id === shownRunId ? 'true' : undefined}
                    onClick={() => void open(run.id)}
                    onFocus={(e) => e.target === e.currentTarget && setFocusedRunId(run.id)}
                    onKeyDown={(e) => onRunRowKey(e, () => void open(run.id))}
                  >
                    <td className="run-name">
                      {run.isActive && (
                        <span className="active-star" role="img" aria-label={ACTIVE_RULE} title={ACTIVE_RULE} data-testid="active-star">
                          ★
                        </span>
                      )}
                      {run.id} {run.name}
                      {run.isStale ? <span className="muted small"> (labels changed since)</span> : null}
                    </td>
                    <td>{run.status}</td>
                    <td>
                      {run.settings.model} <span className="muted">· {run.backend ?? '—'}</span>
                    </td>
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
                    <td className="run-actions">
                      {run.status === 'completed' && !run.isActive && (
                        <button
                          title={`Make run ${run.id} the active filter`}
                          onClick={(e) => {
                            e.stopPropagation();
                            // The button goes once the run is active: its row keeps the focus.
                            const row = e.currentTarget.closest('tr');
                            void api.call('runs.activate', { runId: run.id }).then(() => (row?.focus(), refresh()));
                          }}
                        >
                          Use
                        </button>
                      )}
                      {run.status !== 'running' && (
                        <button
                          className={confirmingDelete === run.id ? 'danger' : undefined}
                          onClick={(e) => {
                            e.stopPropagation();
                            // A run's model and curves cannot be brought back: the first click asks, the second deletes.
                            if (confirmingDelete !== run.id) return setConfirmingDelete(run.id);
                            setConfirmingDelete(null);
                            const row = e.currentTarget.closest('tr');
                            const next = (row?.nextElementSibling ?? row?.previousElementSibling) as HTMLElement | null;
                            void api.call('runs.delete', { runId: run.id }).then(() => (setShownRunId(null), next?.focus(), refresh()));
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
        </div>
        {shown && comparedRun && (
          <div className="panel panel-pad">
            <b>
              Run {shown.id} against run {comparedRun.id}
            </b>
            <span className="muted small">
              {' '}
              — held-out metrics, at each run&apos;s saved threshold where they depend on one; dashed curves in the chart above are run{' '}
              {comparedRun.id}
            </span>
            <div style={{ marginTop: 10 }}>
              <RunComparison left={shown} right={comparedRun} />
            </div>
          </div>
        )}
        {shown?.status === 'completed' && (
          <div className="panel panel-pad">
            <b>Metrics of run {shown.id}</b>
            <div style={{ marginTop: 10 }}>
              <RunReportPanel
                runId={shown.id}
                initialThreshold={shown.threshold}
                onSaved={refresh}
                formWeighting={settings.classWeighting}
                onUseBalanced={useBalanced}
              />
            </div>
          </div>
        )}
      </div>
    </>
  );
}
