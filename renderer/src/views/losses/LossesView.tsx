import { useCallback, useEffect, useState } from 'react';
import type { PredictionSort } from '../../../../shared/contract';
import type { Label } from '../../../../shared/types';
import { api } from '../../api/client';
import { useQuery } from '../../api/hooks';
import { Contributions, LossExplained } from '../../components/Contributions';
import { MessageView } from '../../components/MessageView';
import { CartographyMap } from './CartographyMap';

const SORTS: Array<[PredictionSort, string]> = [
  ['loss-desc', 'highest loss first'],
  ['mislabeled', 'likely mislabeled (confident learning)'],
  ['loss-asc', 'lowest loss first'],
  ['probability-desc', 'most spammy first'],
];

export function LossesView() {
  const [sort, setSort] = useState<PredictionSort>('loss-desc');
  const [label, setLabel] = useState<Label | ''>('');
  const [selected, setSelected] = useState<number | null>(null);
  const [version, setVersion] = useState(0);
  const [mode, setMode] = useState<'table' | 'map'>('table');
  const stats = useQuery('dataset.stats', {}, version);
  const runId = stats.data?.activeRunId ?? null;
  const rows = useQuery(
    'runs.predictions',
    runId === null ? null : { runId, offset: 0, limit: 200, sort, ...(label && { label }) },
    version,
  );
  const message = useQuery('messages.get', selected === null ? null : { id: selected }, version);
  const explanation = useQuery('classify.message', selected === null || runId === null ? null : { messageId: selected, runId }, version);
  const dynamics = useQuery('runs.dynamics', runId === null || mode !== 'map' ? null : { runId }, version);
  const row = rows.data?.rows.find((r) => r.messageId === selected) ?? null;
  const selectedDynamics = dynamics.data?.find((d) => d.messageId === selected) ?? null;

  const relabel = useCallback(
    async (value: Label) => {
      if (selected === null) return;
      await api.call('labels.set', { id: selected, label: value });
      setVersion((v) => v + 1);
    },
    [selected],
  );

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.target instanceof HTMLElement && /^(INPUT|TEXTAREA|SELECT)$/.test(event.target.tagName)) return;
      if (event.key === 's') void relabel('spam');
      if (event.key === 'h') void relabel('ham');
      if ((event.key === 'j' || event.key === 'ArrowDown' || event.key === 'k' || event.key === 'ArrowUp') && rows.data) {
        const index = rows.data.rows.findIndex((r) => r.messageId === selected);
        const next =
          rows.data.rows[
            Math.max(0, Math.min(rows.data.rows.length - 1, index + (event.key === 'j' || event.key === 'ArrowDown' ? 1 : -1)))
          ];
        if (next) setSelected(next.messageId);
        event.preventDefault();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [relabel, rows.data, selected]);

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
        <select value={sort} onChange={(e) => setSort(e.target.value as PredictionSort)} aria-label="sort">
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
          run {runId} · {rows.data?.total ?? 0} messages · <kbd>J</kbd>/<kbd>K</kbd> move, <kbd>S</kbd>/<kbd>H</kbd> relabel
        </span>
      </header>
      <div className="split" style={{ flex: 1, minHeight: 0, gridTemplateColumns: 'minmax(540px, 48%) 1fr' }}>
        <div style={{ overflow: 'auto', borderRight: '1px solid var(--border)', background: 'var(--panel)' }}>
          {mode === 'map' ? (
            <div className="panel-pad">
              <CartographyMap points={dynamics.data ?? []} selectedId={selected} onSelect={setSelected} />
              <p className="small muted">
                Each dot is a training message: how confident the model was of its label (mean over epochs) against how much that confidence
                moved. Bottom-left dots are hard to learn: often label errors. Click one to read it.
              </p>
            </div>
          ) : (
            <table className="grid" data-testid="losses-table">
              <thead>
                <tr>
                  <th>subject</th>
                  <th>label</th>
                  <th>split</th>
                  <th>p(spam)</th>
                  <th>loss</th>
                </tr>
              </thead>
              <tbody>
                {(rows.data?.rows ?? []).map((r) => (
                  <tr
                    key={r.messageId}
                    className="clickable"
                    onClick={() => setSelected(r.messageId)}
                    style={r.messageId === selected ? { background: 'var(--panel-2)' } : undefined}
                    data-testid="loss-row"
                  >
                    <td style={{ maxWidth: 240, overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' }}>
                      {r.subject || '(no subject)'}
                    </td>
                    <td>
                      <span className={`badge ${r.label}`}>{r.label}</span>
                    </td>
                    <td className="small muted">{r.split}</td>
                    <td className="num">{r.probability.toFixed(3)}</td>
                    <td className="num">{r.loss.toFixed(3)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
        <div style={{ overflow: 'auto' }}>
          {message.data && (row || selectedDynamics) ? (
            <>
              {row && (
                <div className="panel panel-pad" style={{ margin: 16 }}>
                  <LossExplained probability={row.probability} label={message.data.label ?? row.label} />
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
