import { useCallback, useState } from 'react';
import type { PredictionSort } from '../../../../shared/contract';
import type { ExamplePrediction, Label } from '../../../../shared/types';
import { api } from '../../api/client';
import { useEvent, useQuery } from '../../api/hooks';
import { Contributions, LossExplained } from '../../components/Contributions';
import { Explainer } from '../../components/Explainer';
import { MessageView } from '../../components/MessageView';
import { usePagedRows, VirtualRows } from '../../components/VirtualRows';
import { CartographyMap } from './CartographyMap';
import { LossHistogram } from './LossHistogram';
import { useListKeys } from '../../components/keys';

const ROW_HEIGHT = 34;

const SORTS: Array<[PredictionSort, string]> = [
  ['loss-desc', 'highest loss first'],
  ['mislabeled', 'likely mislabeled (confident learning)'],
  ['hard', 'hard to learn (over the epochs)'],
  ['loss-asc', 'lowest loss first'],
  ['probability-desc', 'most spammy first'],
];

export function LossesView() {
  const [sort, setSort] = useState<PredictionSort>('loss-desc');
  const [label, setLabel] = useState<Label | ''>('');
  const [mistakes, setMistakes] = useState(false);
  const [selected, setSelected] = useState<{ id: number; index: number } | null>(null);
  const [version, setVersion] = useState(0);
  const [mode, setMode] = useState<'table' | 'map'>('table');
  const [retraining, setRetraining] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const stats = useQuery('dataset.stats', {}, version);
  const runs = useQuery('runs.list', {}, version);
  const runId = stats.data?.activeRunId ?? null;
  const activeRun = runs.data?.find((r) => r.id === runId) ?? null;
  const query = runId === null ? null : { runId, sort, ...(label && { label }), ...(mistakes && { mistakes }) };
  const queryKey = JSON.stringify(query);
  const fetchPage = useCallback(
    async (offset: number, limit: number) => (query ? api.call('runs.predictions', { ...query, offset, limit }) : { total: 0, rows: [] }),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [queryKey],
  );
  // Relabeling does not reorder the list (the run's losses stay what they were); a new run or order does.
  const paged = usePagedRows<ExamplePrediction>(fetchPage, queryKey);
  const histogram = useQuery('runs.lossHistogram', query);
  const selectedId = selected?.id ?? null;
  const message = useQuery('messages.get', selectedId === null ? null : { id: selectedId }, version);
  const explanation = useQuery(
    'classify.message',
    selectedId === null || runId === null ? null : { messageId: selectedId, runId },
    version,
  );
  const dynamics = useQuery('runs.dynamics', runId === null || mode !== 'map' ? null : { runId }, version);
  const row = selected && paged.rowAt(selected.index)?.messageId === selected.id ? paged.rowAt(selected.index)! : null;
  const selectedDynamics = dynamics.data?.find((d) => d.messageId === selectedId) ?? null;

  const relabel = useCallback(
    async (value: Label) => {
      if (selectedId === null) return;
      await api.call('labels.set', { id: selectedId, label: value });
      setVersion((v) => v + 1);
    },
    [selectedId],
  );

  const retrain = async () => {
    if (!activeRun) return;
    setError(null);
    try {
      const { runId: started } = await api.call('training.start', {
        settings: activeRun.settings,
        name: `${activeRun.name} + fixes`,
        retrainOf: activeRun.id,
      });
      setRetraining(started);
    } catch (err) {
      setError((err as Error).message);
    }
  };
  useEvent('training.finished', (e) => {
    if (e.runId !== retraining) return;
    setRetraining(null);
    if (e.error) setError(e.error);
    setVersion((v) => v + 1);
  });

  useListKeys({
    paged,
    selectedIndex: selected?.index ?? null,
    onOpen: (row, index) => setSelected({ id: row.messageId, index }),
    onLabel: (value) => void relabel(value),
    moves: mode === 'table',
  });

  if (stats.data && runId === null) {
    return (
      <div className="empty">
        <h2>No trained run yet</h2>
        <p>Train a run first: every labeled message then gets its probability and loss here, highest first.</p>
      </div>
    );
  }
  return (
    <>
      <header className="view-header">
        <h1>Losses</h1>
        <select value={sort} onChange={(e) => setSort(e.target.value as PredictionSort)} aria-label="sort" style={{ maxWidth: 270 }}>
          {SORTS.map(([value, name]) => (
            <option key={value} value={value}>
              {name}
            </option>
          ))}
        </select>
        <select value={label} onChange={(e) => setLabel(e.target.value as Label | '')} aria-label="class">
          <option value="">both classes</option>
          <option value="spam">labeled spam</option>
          <option value="ham">labeled ham</option>
        </select>
        <label className="row small" title="Only messages the run gets wrong at its threshold">
          <input type="checkbox" checked={mistakes} onChange={(e) => setMistakes(e.target.checked)} aria-label="only mistakes" /> only
          mistakes
        </label>
        <div className="tabs" role="tablist" style={{ margin: 0 }}>
          <button className={mode === 'table' ? 'active' : ''} onClick={() => setMode('table')}>
            Losses
          </button>
          <button className={mode === 'map' ? 'active' : ''} onClick={() => setMode('map')} data-testid="map-tab">
            Training map
          </button>
        </div>
        <span className="spacer" />
        <span className="small muted">
          run {runId} · {paged.total.toLocaleString()} messages · <kbd>J</kbd>/<kbd>K</kbd> move, <kbd>S</kbd>/<kbd>H</kbd> relabel
        </span>
      </header>
      {(activeRun?.isStale || retraining !== null || error) && (
        <div className={`notice ${error ? 'error' : 'warn'} retrain-bar`} data-testid="retrain-bar">
          {error ??
            (retraining !== null
              ? `Retraining as run ${retraining} with your fixes… this list switches to it when it is done.`
              : `You changed labels since run ${runId} was trained: its losses describe the old labels.`)}
          {activeRun?.isStale && retraining === null && (
            <button className="primary" onClick={() => void retrain()} data-testid="retrain-button">
              Retrain with fixes
            </button>
          )}
        </div>
      )}
      <div className="split" style={{ flex: 1, minHeight: 0, gridTemplateColumns: 'minmax(540px, 48%) 1fr' }}>
        <div style={{ overflow: 'auto', borderRight: '1px solid var(--border)', background: 'var(--panel)' }}>
          {mode === 'map' ? (
            <div className="panel-pad">
              <CartographyMap points={dynamics.data ?? []} selectedId={selectedId} onSelect={(id) => setSelected({ id, index: -1 })} />
              <p className="small muted">
                Each dot is a training message: how confident the model was of its label (mean over epochs) against how much that confidence
                moved. Bottom-left dots are hard to learn: often label errors. Click one to read it.
              </p>
            </div>
          ) : (
            <div className="losses-list">
              {histogram.data && (
                <div className="panel-pad" style={{ paddingBottom: 0 }}>
                  <LossHistogram histogram={histogram.data} />
                </div>
              )}
              <div className="loss-row loss-head">
                <span>subject</span>
                <span>label</span>
                <span>split</span>
                <span className="num">p(spam)</span>
                <span className="num">loss</span>
              </div>
              <VirtualRows
                paged={paged}
                rowHeight={ROW_HEIGHT}
                className="loss-rows"
                testId="losses-table"
                focusIndex={selected?.index ?? null}
                renderRow={(r, index, style) =>
                  r ? (
                    <div
                      key={r.messageId}
                      className={`loss-row clickable${r.messageId === selectedId ? ' selected' : ''}`}
                      style={style}
                      onClick={() => setSelected({ id: r.messageId, index })}
                      data-testid="loss-row"
                      data-message-id={r.messageId}
                    >
                      <span className="subject">{r.subject || '(no subject)'}</span>
                      <span>
                        <span className={`badge ${r.label}`}>{r.label}</span>
                      </span>
                      <span className="small muted">{r.split}</span>
                      <span className="num">{r.probability.toFixed(3)}</span>
                      <span className="num" data-testid="loss">
                        {r.loss.toFixed(3)}
                      </span>
                    </div>
                  ) : (
                    <div key={`i${index}`} className="loss-row muted" style={style}>
                      …
                    </div>
                  )
                }
              />
            </div>
          )}
        </div>
        <div style={{ overflow: 'auto' }}>
          {message.data && (row || selectedDynamics) ? (
            <>
              {row && (
                <div className="panel panel-pad" style={{ margin: 16 }}>
                  <LossExplained probability={row.probability} label={message.data.label ?? row.label} />
                  <div style={{ marginTop: 10 }}>
                    <Explainer />
                  </div>
                </div>
              )}
              {selectedDynamics && (
                <div className="panel panel-pad small" style={{ margin: 16 }}>
                  Over the epochs the model gave this message's label a mean probability of <b>{selectedDynamics.confidence.toFixed(3)}</b>,
                  varying by <b>{selectedDynamics.variability.toFixed(3)}</b>.
                </div>
              )}
              {explanation.data && (
                <div className="panel panel-pad" style={{ margin: 16 }}>
                  <Contributions result={explanation.data} limit={15} />
                </div>
              )}
              <MessageView
                key={message.data.id}
                message={message.data}
                wordWeights={explanation.data?.wordWeights}
                whyFirst
                actions={
                  <>
                    <button className="spam" onClick={() => void relabel('spam')}>
                      <kbd>S</kbd> Spam
                    </button>
                    <button className="ham" onClick={() => void relabel('ham')}>
                      <kbd>H</kbd> Ham
                    </button>
                  </>
                }
              />
            </>
          ) : (
            <div className="empty">
              <h2>Pick a message</h2>
              <p>High-loss messages are where the model and your labels disagree most: label mistakes, or the hard cases.</p>
            </div>
          )}
        </div>
      </div>
    </>
  );
}
