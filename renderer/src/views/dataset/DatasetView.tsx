import { useCallback, useEffect, useState } from 'react';
import type { LabelFilter, MessageFilter, MessageSummary } from '../../../../shared/contract';
import { api } from '../../api/client';
import { useEvent, useQuery } from '../../api/hooks';
import { MessageView } from '../../components/MessageView';
import { usePagedRows } from '../../components/VirtualRows';
import { ExportPanel } from './ExportPanel';
import { SenderListsPanel } from './SenderListsPanel';
import { ImportPanel, ImportRequest, isPendingImport } from './ImportPanel';
import { batchPlace, batchTime, ConfirmRemoval, ImportHistoryPanel, removalQuestion } from './ImportHistoryPanel';
import { VirtualList } from './VirtualList';
import { useListKeys } from '../../components/keys';
import { useViewUndo } from '../../components/useViewUndo';

export function DatasetView({ importRequest }: { importRequest: ImportRequest | null }) {
  const [search, setSearch] = useState('');
  const [label, setLabel] = useState<LabelFilter>('any');
  const [disagreement, setDisagreement] = useState(false);
  // The source filter: '' (all), `import:ID` (an import batch) or `source:PATH` (a source from before import history).
  const [source, setSource] = useState('');
  const [predicted, setPredicted] = useState<'' | 'spam' | 'ham'>('');
  const [dateFrom, setDateFrom] = useState('');
  const [dateTo, setDateTo] = useState('');
  const [selected, setSelected] = useState<{ id: number; index: number } | null>(null);
  const selectedId = selected?.id ?? null;
  const [version, setVersion] = useState(0);
  const [showImport, setShowImport] = useState(isPendingImport(importRequest));
  const [showExport, setShowExport] = useState(false);
  const [showLists, setShowLists] = useState(false);
  const [showHistory, setShowHistory] = useState(false);
  /** Which removal is being confirmed: the open message, or everything the source filter shows. */
  const [confirming, setConfirming] = useState<'message' | 'source' | null>(null);
  useEffect(() => {
    if (isPendingImport(importRequest)) setShowImport(true);
  }, [importRequest]);
  const stats = useQuery('dataset.stats', {}, version);
  const message = useQuery('messages.get', selectedId === null ? null : { id: selectedId }, version);
  // A label does not change a score: the explanation follows the message and the active run only.
  const explanation = useQuery(
    'classify.message',
    selectedId === null || stats.data?.activeRunId == null ? null : { messageId: selectedId },
    stats.data?.activeRunId,
  );
  const refresh = useCallback(() => setVersion((v) => v + 1), []);
  useEvent('labels.changed', refresh);
  // Deleted here or in another window: the counts, the list and the import history change.
  useEvent('messages.removed', refresh);
  // While the search index catches up with an import, say how far it has to go, and look again each second.
  const indexing = stats.data?.searchBacklog ?? 0;
  const reloadStats = stats.reload;
  useEffect(() => {
    if (indexing === 0) return;
    const timer = setTimeout(reloadStats, 1000);
    return () => clearTimeout(timer);
  }, [indexing, reloadStats, stats.data]);
  // The import history changes when messages arrive or go; its labeled counts, with labels while the panel shows them.
  const history = useQuery('imports.list', {}, [stats.data?.messages, showHistory && version]);
  const importId = source.startsWith('import:') ? Number(source.slice('import:'.length)) : null;
  const sourcePath = source.startsWith('source:') ? source.slice('source:'.length) : null;
  const chosenBatch = importId === null ? null : (history.data?.batches.find((b) => b.id === importId) ?? null);
  const chosenSource = sourcePath === null ? null : (history.data?.before.sources.find((s) => s.source === sourcePath) ?? null);
  // A group emptied (its import undone, its messages deleted) leaves the filter.
  useEffect(() => {
    if (!history.data) return;
    if ((importId !== null && !(chosenBatch && chosenBatch.messages > 0)) || (sourcePath !== null && !chosenSource)) setSource('');
  }, [history.data, importId, sourcePath, chosenBatch, chosenSource]);
  const hasRun = stats.data?.activeRunId != null;
  const filter: MessageFilter = {
    label,
    ...(search.trim() && { search: search.trim() }),
    ...(disagreement && hasRun && { disagreement }),
    ...(importId !== null && { importId }),
    ...(sourcePath !== null && { source: sourcePath }),
    ...(predicted && hasRun && { predicted }),
    // Dates are the user's calendar days: from the first millisecond of one to the last of the other.
    ...(dateFrom && { dateFrom: new Date(`${dateFrom}T00:00:00`).getTime() }),
    ...(dateTo && { dateTo: new Date(`${dateTo}T23:59:59.999`).getTime() }),
  };
  const filtered = source || predicted || dateFrom || dateTo;
  const filterKey = JSON.stringify(filter);
  const fetchPage = useCallback(
    (offset: number, limit: number) => api.call('messages.list', { offset, limit, filter }),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [filterKey],
  );
  const paged = usePagedRows<MessageSummary>(fetchPage, JSON.stringify([filterKey, version]));
  // A message opened under another search or filter may not be in this list: close it.
  useEffect(() => setSelected(null), [filterKey]);
  useEffect(() => setConfirming(null), [filterKey, selectedId]);
  const removed = useCallback(() => {
    setConfirming(null);
    refresh();
  }, [refresh]);
  const total = paged.total;

  const undo = useViewUndo();
  const relabel = useCallback(
    async (value: 'spam' | 'ham' | null) => {
      if (selectedId === null) return;
      undo.clearNotice();
      await api.call('labels.set', { id: selectedId, label: value });
      undo.record(selectedId);
    },
    [selectedId, undo],
  );

  useListKeys({
    paged,
    selectedIndex: selected?.index ?? null,
    onOpen: (row, index) => setSelected({ id: row.id, index }),
    onLabel: (value) => void relabel(value),
    onUndo: () => void undo.undo(),
  });

  return (
    <>
      <header className="view-header">
        <h1>Dataset</h1>
        <input
          type="search"
          placeholder="Search subject, sender and text…"
          value={search}
          onChange={(e) => setSearch(e.target.value)}
          style={{ width: 200 }}
          aria-label="search"
        />
        {indexing > 0 && (
          <span className="small muted" data-testid="search-indexing">
            indexing {indexing.toLocaleString()} messages for search…
          </span>
        )}
        <span className="spacer" />
        {stats.data && (
          <span className="counts" data-testid="counts">
            <span>
              <b>{stats.data.messages.toLocaleString()}</b> {stats.data.messages === 1 ? 'message' : 'messages'}
            </span>
            <span style={{ color: 'var(--spam)' }}>
              <b>{stats.data.spam}</b> spam
            </span>
            <span style={{ color: 'var(--ham)' }}>
              <b>{stats.data.ham}</b> ham
            </span>
            <span className="muted">
              <b>{stats.data.unlabeled}</b> unlabeled
            </span>
          </span>
        )}
        <button onClick={() => setShowImport((s) => !s)}>{showImport ? 'Close import' : 'Import…'}</button>
        <button
          onClick={() => setShowHistory((s) => !s)}
          aria-pressed={showHistory}
          title={showHistory ? 'Close the import history' : 'Each import, and undo one'}
          data-testid="imports-button"
        >
          Imports…
        </button>
        <button onClick={() => setShowExport((s) => !s)} disabled={!stats.data || stats.data.spam + stats.data.ham === 0}>
          {showExport ? 'Close export' : 'Export…'}
        </button>
        <button onClick={() => setShowLists((s) => !s)}>{showLists ? 'Close lists' : 'Lists…'}</button>
      </header>
      <div className="filter-bar">
        <select value={label} onChange={(e) => setLabel(e.target.value as LabelFilter)} aria-label="label filter">
          <option value="any">all labels</option>
          <option value="spam">spam</option>
          <option value="ham">ham</option>
          <option value="unlabeled">unlabeled</option>
        </select>
        <select value={source} onChange={(e) => setSource(e.target.value)} aria-label="source filter" style={{ maxWidth: 280 }}>
          <option value="">all sources</option>
          {(history.data?.batches ?? [])
            .filter((b) => b.messages > 0)
            .map((b) => {
              const place = batchPlace(b, 16);
              return (
                <option key={`import:${b.id}`} value={`import:${b.id}`} title={place.title}>
                  {batchTime(b.startedAt)} · {place.text} ({b.messages.toLocaleString()})
                </option>
              );
            })}
          {(history.data?.before.sources ?? []).map((s) => (
            <option key={`source:${s.source}`} value={`source:${s.source}`} title={`${s.source} (before import history)`}>
              {s.source.split(/[\\/]/).pop()} ({s.count.toLocaleString()})
            </option>
          ))}
        </select>
        <select
          value={predicted}
          onChange={(e) => setPredicted(e.target.value as '' | 'spam' | 'ham')}
          aria-label="prediction filter"
          disabled={!hasRun}
          title={hasRun ? 'What the active run predicts' : 'Train a run to filter by prediction'}
        >
          <option value="">any prediction</option>
          <option value="spam">predicted spam</option>
          <option value="ham">predicted ham</option>
        </select>
        <label className="row small" title="Only messages whose label disagrees with the active run">
          <input type="checkbox" checked={disagreement} onChange={(e) => setDisagreement(e.target.checked)} disabled={!hasRun} /> model
          disagrees
        </label>
        <label className="row small">
          from <input type="date" value={dateFrom} onChange={(e) => setDateFrom(e.target.value)} aria-label="date from" />
        </label>
        <label className="row small">
          to <input type="date" value={dateTo} onChange={(e) => setDateTo(e.target.value)} aria-label="date to" />
        </label>
        {(chosenBatch || chosenSource) &&
          (confirming === 'source' ? (
            <ConfirmRemoval
              testId="confirm-source-removal"
              question={
                chosenBatch
                  ? removalQuestion(chosenBatch.messages, chosenBatch.labeled)
                  : removalQuestion(chosenSource!.count, chosenSource!.labeled)
              }
              onKeep={() => setConfirming(null)}
              onRemove={async () => {
                if (chosenBatch) await api.call('imports.undo', { id: chosenBatch.id });
                else await api.call('messages.delete', { source: chosenSource!.source });
                removed();
              }}
            />
          ) : (
            <button
              onClick={() => setConfirming('source')}
              title={chosenBatch ? 'Undo this import: remove every message it added' : 'Remove every message from this source'}
            >
              Delete all from this source
            </button>
          ))}
        {filtered && (
          <button
            onClick={() => {
              setSource('');
              setPredicted('');
              setDateFrom('');
              setDateTo('');
            }}
          >
            Clear filters
          </button>
        )}
      </div>
      {showImport && (
        <div style={{ padding: '12px 20px 0' }}>
          <ImportPanel onImported={refresh} request={importRequest} />
        </div>
      )}
      {showExport && (
        <div style={{ padding: '12px 20px 0' }}>
          <ExportPanel />
        </div>
      )}
      {showLists && (
        <div style={{ padding: '12px 20px 0' }}>
          <SenderListsPanel />
        </div>
      )}
      {showHistory && (
        <div style={{ padding: '12px 20px 0' }}>
          <ImportHistoryPanel history={history.data} onChanged={refresh} />
        </div>
      )}
      {undo.notice && (
        <div className="notice" style={{ margin: '8px 20px 0' }} data-testid="undo-notice">
          {undo.notice}
        </div>
      )}
      <div className="split" style={{ flex: 1, minHeight: 0, marginTop: showImport || showExport || showLists || showHistory ? 12 : 0 }}>
        <div style={{ display: 'flex', flexDirection: 'column', minHeight: 0 }}>
          <div
            className="small muted"
            style={{ padding: '6px 14px', borderBottom: '1px solid var(--border)', borderRight: '1px solid var(--border)' }}
            data-testid="list-total"
          >
            {total} shown
            {stats.data?.activeRunId != null && ` · p: spam probability by run ${stats.data.activeRunId}, the active filter`}
          </div>
          <VirtualList
            paged={paged}
            selected={selected}
            onSelect={(id, index) => setSelected({ id, index })}
            search={search.trim()}
            filterKey={filterKey}
          />
        </div>
        <div style={{ minHeight: 0, overflow: 'hidden' }}>
          {message.data && message.data.id === selectedId ? (
            <MessageView
              key={message.data.id}
              message={message.data}
              wordWeights={explanation.data?.wordWeights}
              contributions={explanation.data?.contributions}
              actions={
                <>
                  <button className="spam" onClick={() => void relabel('spam')}>
                    Spam
                  </button>
                  <button className="ham" onClick={() => void relabel('ham')}>
                    Ham
                  </button>
                  <button onClick={() => void relabel(null)}>Clear</button>
                  <button onClick={() => void undo.undo()} title="Undo the last label given in this view (U)" data-testid="dataset-undo">
                    Undo
                  </button>
                  {confirming === 'message' ? (
                    <ConfirmRemoval
                      testId="confirm-message-removal"
                      question={removalQuestion(1, message.data.label ? 1 : 0)}
                      onKeep={() => setConfirming(null)}
                      onRemove={async () => {
                        await api.call('messages.delete', { ids: [message.data!.id] });
                        setSelected(null);
                        removed();
                      }}
                    />
                  ) : (
                    <button onClick={() => setConfirming('message')} title="Remove this message, its label and everything stored about it">
                      Delete
                    </button>
                  )}
                </>
              }
            />
          ) : (
            <div className="empty">
              <h2>{total === 0 && !search ? 'No messages here yet' : 'Pick a message'}</h2>
              <p>
                {total === 0 && !search
                  ? 'Import an mbox, a Maildir or a folder of .eml files with “Import…”.'
                  : 'Click a message in the list to read it and label it.'}
              </p>
            </div>
          )}
        </div>
      </div>
    </>
  );
}
