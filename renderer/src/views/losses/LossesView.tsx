import { bce } from '../../../../shared/bce';
import { useCallback, useState } from 'react';
import type { LabelChange, PredictionSort } from '../../../../shared/contract';
import type { ExamplePrediction, Label, RunSummary } from '../../../../shared/types';
import { api } from '../../api/client';
import { useEvent, useQuery } from '../../api/hooks';
import { Contributions, LossExplained } from '../../components/Contributions';
import { Explainer } from '../../components/Explainer';
import { MessageView } from '../../components/MessageView';
import { usePagedRows, VirtualRows } from '../../components/VirtualRows';
import { CartographyMap } from './CartographyMap';
import { LossHistogram } from './LossHistogram';
import { useListKeys } from '../../components/keys';
import { useViewUndo } from '../../components/useViewUndo';

const ROW_HEIGHT = 34;
/** Folds of the out-of-fold retrain offered when a run has none. */
const OOF_FOLDS = 5;

/** Whether a run gave every message a prediction from a model that never saw it. */
const hasOutOfFold = (run: RunSummary) => run.settings.folds >= 2;

/** What an out-of-fold retrain costs, from the run's own duration: the run again plus k models on (k−1)/k of the data, about k runs. */
function outOfFoldCost(run: RunSummary): string {
  const seconds = run.finishedAt === null ? null : ((run.finishedAt - run.createdAt) / 1000) * OOF_FOLDS;
  const time =
    seconds === null ? '' : seconds < 90 ? `, about ${Math.max(1, Math.round(seconds))} s` : `, about ${Math.round(seconds / 60)} min`;
  return `trains the model ${OOF_FOLDS} more times${time}`;
}

/** Why a list is empty, in one sentence. */
function emptyReason(q: {
  runId: number;
  sort: PredictionSort;
  label: Label | '';
  mistakes: boolean;
  threshold: number | null;
  oof: boolean;
}): string {
  const which = q.label ? `message labeled ${q.label}` : 'labeled message';
  if (q.mistakes && q.sort === 'mislabeled') {
    return `Nothing to show: no ${which} is both a mistake of run ${q.runId} and likely mislabeled. Untick “only mistakes” or pick another order.`;
  }
  if (q.mistakes) {
    return `Nothing to show: run ${q.runId} gets every ${which} right at its threshold${
      q.threshold === null ? '' : ` (${q.threshold.toFixed(2)})`
    }, so there are no mistakes. Untick “only mistakes” to see them all.`;
  }
  if (q.sort === 'mislabeled') {
    return `Nothing to show: no ${which} looks mislabeled. The model never gives the other class as much confidence as that class's own messages get on average${
      q.oof ? '' : ' (judged on messages it trained on: retrain with out-of-fold predictions to look harder)'
    }.`;
  }
  return `Nothing to show: run ${q.runId} has no predictions for any ${which}${q.label ? '' : ' (an imported model keeps none)'}.`;
}

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
  const [retraining, setRetraining] = useState<{ runId: number; kind: 'fixes' | 'oof'; fold: string | null } | null>(null);
  /** Labels changed since the list was fetched: its rows show the label now, and the loss under it. */
  const [relabeled, setRelabeled] = useState<ReadonlyMap<number, Label | null>>(new Map());
  const [error, setError] = useState<string | null>(null);
  const stats = useQuery('dataset.stats', {}, version);
  const runId = stats.data?.activeRunId ?? null;
  const query = runId === null ? null : { runId, sort, ...(label && { label }), ...(mistakes && { mistakes }) };
  const queryKey = JSON.stringify(query);
  // Also read again when the list's filters change: the run's threshold now is the one the list uses.
  const runs = useQuery('runs.list', {}, `${version}:${queryKey}`);
  const activeRun = runs.data?.find((r) => r.id === runId) ?? null;
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

  const noteChange = useCallback((change: LabelChange) => {
    setRelabeled((current) => new Map(current).set(change.messageId, change.label));
  }, []);
  useEvent('labels.changed', noteChange);
  const undo = useViewUndo();
  const relabel = useCallback(
    async (value: Label) => {
      if (selectedId === null) return;
      undo.clearNotice();
      noteChange(await api.call('labels.set', { id: selectedId, label: value }));
      undo.record(selectedId);
      setVersion((v) => v + 1);
    },
    [selectedId, noteChange, undo],
  );
  // The row follows through labels.changed, as after a relabel.
  const undoLast = useCallback(async () => {
    if (await undo.undo()) setVersion((v) => v + 1);
  }, [undo]);

  const retrain = async (kind: 'fixes' | 'oof') => {
    if (!activeRun) return;
    setError(null);
    try {
      const { runId: started } = await api.call('training.start', {
        settings: kind === 'oof' ? { ...activeRun.settings, folds: OOF_FOLDS } : activeRun.settings,
        name: `${activeRun.name} + ${kind === 'oof' ? 'out-of-fold' : 'fixes'}`,
      });
      setRetraining({ runId: started, kind, fold: null });
    } catch (err) {
      setError((err as Error).message);
    }
  };
  useEvent('training.fold', (e) => {
    if (e.runId === retraining?.runId) setRetraining({ ...retraining, fold: `fold ${e.fold} of ${e.of}` });
  });
  useEvent('training.finished', (e) => {
    if (e.runId !== retraining?.runId) return;
    setRetraining(null);
    if (e.error) setError(e.error);
    setVersion((v) => v + 1);
  });
  const oof = activeRun ? hasOutOfFold(activeRun) : true;
  const listed = histogram.data ? histogram.data.spam.reduce((a, b) => a + b, 0) + histogram.data.ham.reduce((a, b) => a + b, 0) : null;
  const empty = runId !== null && listed === 0 && !histogram.loading && paged.total === 0;

  useListKeys({
    paged,
    selectedIndex: selected?.index ?? null,
    onOpen: (row, index) => setSelected({ id: row.messageId, index }),
    onLabel: (value) => void relabel(value),
    onUndo: () => void undoLast(),
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
              {value === 'mislabeled' && !oof ? ' · no out-of-fold predictions' : ''}
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
              ? `Retraining as run ${retraining.runId} ${retraining.kind === 'oof' ? `with out-of-fold predictions (k = ${OOF_FOLDS})` : 'with your fixes'}${
                  retraining.fold ? `, ${retraining.fold}` : ''
                }… this list switches to it when it is done.`
              : `You changed labels since run ${runId} was trained: its losses describe the old labels.`)}
          {activeRun?.isStale && retraining === null && (
            <button className="primary" onClick={() => void retrain('fixes')} data-testid="retrain-button">
              Retrain with fixes
            </button>
          )}
        </div>
      )}
      {sort === 'mislabeled' && activeRun && !oof && retraining === null && (
        <div className="notice warn retrain-bar oof-bar" data-testid="oof-notice">
          <span>
            Run {activeRun.id} has no out-of-fold predictions: “likely mislabeled” judges it on the messages it trained on, so a wrong label
            it learned by heart looks right (a planted error can sit at p = 0.03). Out-of-fold predictions score each message with a model
            that never saw it.
          </span>
          <button className="primary" onClick={() => void retrain('oof')} data-testid="oof-retrain">
            Retrain with out-of-fold predictions (k = {OOF_FOLDS})
          </button>
          <span className="small" data-testid="oof-cost">
            {outOfFoldCost(activeRun)}
          </span>
        </div>
      )}
      {/* Side by side, the detail pane keeps a reading width; in a narrow window the two stack (styles.css). */}
      <div className="split losses-split">
        <div className="losses-list-pane">
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
              {histogram.data && !empty && (
                <div className="panel-pad loss-histogram-box">
                  <LossHistogram histogram={histogram.data} />
                </div>
              )}
              {empty ? (
                <div className="empty losses-empty" data-testid="losses-empty">
                  <p>
                    {emptyReason({
                      runId: runId!,
                      sort,
                      label,
                      mistakes,
                      threshold: activeRun?.threshold ?? null,
                      oof,
                    })}
                  </p>
                </div>
              ) : (
                <div className="loss-row loss-head">
                  <span>subject</span>
                  <span>label</span>
                  <span>split</span>
                  <span className="num">p(spam)</span>
                  <span className="num">loss</span>
                </div>
              )}
              {!empty && (
                <VirtualRows
                  paged={paged}
                  rowHeight={ROW_HEIGHT}
                  className="loss-rows"
                  testId="losses-table"
                  focusIndex={selected?.index ?? null}
                  renderRow={(r, index, style) => {
                    if (!r) {
                      return (
                        <div key={`i${index}`} className="loss-row muted" style={style}>
                          …
                        </div>
                      );
                    }
                    const now = relabeled.has(r.messageId) ? relabeled.get(r.messageId)! : r.label;
                    const changed = now !== r.label;
                    const loss = now === null ? null : changed ? bce(r.probability, now === 'spam' ? 1 : 0) : r.loss;
                    return (
                      <div
                        key={r.messageId}
                        className={`loss-row clickable${r.messageId === selectedId ? ' selected' : ''}${changed ? ' relabeled' : ''}`}
                        style={style}
                        onClick={() => setSelected({ id: r.messageId, index })}
                        data-testid="loss-row"
                        data-message-id={r.messageId}
                        title={
                          changed
                            ? `Relabeled from ${r.label}: the loss is under your label now; run ${runId} trained on the old one.`
                            : undefined
                        }
                      >
                        <span className="subject">{r.subject || '(no subject)'}</span>
                        <span>
                          <span className={`badge ${now ?? 'none'}`} data-testid="row-label">
                            {now ?? 'unlabeled'}
                          </span>
                        </span>
                        <span className="small muted">{changed ? 'relabeled' : r.split}</span>
                        <span className="num">{r.probability.toFixed(3)}</span>
                        <span className="num" data-testid="loss">
                          {loss === null ? '—' : loss.toFixed(3)}
                        </span>
                      </div>
                    );
                  }}
                />
              )}
            </div>
          )}
        </div>
        <div className="losses-detail" data-testid="losses-detail">
          {message.data && (row || selectedDynamics) ? (
            <>
              {/* The message to judge first; what the model made of it below. */}
              <MessageView
                key={message.data.id}
                message={message.data}
                wordWeights={explanation.data?.wordWeights}
                contributions={explanation.data?.contributions}
                whyFirst
                actions={
                  <>
                    <button className="spam" onClick={() => void relabel('spam')}>
                      <kbd>S</kbd> Spam
                    </button>
                    <button className="ham" onClick={() => void relabel('ham')}>
                      <kbd>H</kbd> Ham
                    </button>
                    <button onClick={() => void undoLast()} title="Undo the last label given in this view" data-testid="losses-undo">
                      <kbd>U</kbd> Undo
                    </button>
                  </>
                }
              />
              {undo.notice && (
                <div className="notice" data-testid="undo-notice">
                  {undo.notice}
                </div>
              )}
              {row && (
                <div className="panel panel-pad losses-card">
                  {message.data.label ? (
                    <LossExplained probability={row.probability} label={message.data.label} />
                  ) : (
                    <p className="small muted">Unlabeled now: no loss until it has a label.</p>
                  )}
                  <div style={{ marginTop: 10 }}>
                    <Explainer />
                  </div>
                </div>
              )}
              {selectedDynamics && (
                <div className="panel panel-pad small losses-card">
                  Over the epochs the model gave this message's label a mean probability of <b>{selectedDynamics.confidence.toFixed(3)}</b>,
                  varying by <b>{selectedDynamics.variability.toFixed(3)}</b>.
                </div>
              )}
              {explanation.data && (
                <div className="panel panel-pad losses-card">
                  <Contributions result={explanation.data} limit={15} />
                </div>
              )}
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
