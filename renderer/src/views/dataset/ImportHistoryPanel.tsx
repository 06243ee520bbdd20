import { useState } from 'react';
import type { ImportBatch, ImportHistory } from '../../../../shared/contract';
import { api } from '../../api/client';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "3 Dec 14:02" (with the year when it is not this one). */
export function batchTime(ms: number): string {
  const d = new Date(ms);
  const year = d.getFullYear() === new Date().getFullYear() ? '' : ` ${d.getFullYear()}`;
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getDate()} ${MONTHS[d.getMonth()]}${year} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** A path as a person reads it: the home folder as ~, and only the last folders of one longer than `max`. */
export function shortPath(full: string, max = 36): string {
  const home = full.replace(/^\/(?:home|Users)\/[^/]+(?=\/|$)/, '~').replace(/^[A-Za-z]:\\Users\\[^\\]+(?=\\|$)/, '~');
  if (home.length <= max) return home;
  const parts = home.split(/[\\/]/).filter(Boolean);
  return `…/${parts.slice(-2).join('/')}`;
}

/** What an import asked for, in a few words; the full paths go in the tooltip. */
export function batchPlace(batch: Pick<ImportBatch, 'paths'>, max?: number): { text: string; title: string } {
  const [first = '', ...rest] = batch.paths;
  return { text: `${shortPath(first, max)}${rest.length ? ` +${rest.length} more` : ''}`, title: batch.paths.join('\n') };
}

const plural = (n: number, word: string) => `${n.toLocaleString()} ${word}${n === 1 ? '' : 's'}`;

/** "Remove 943 messages and their 12 labels?" */
export const removalQuestion = (messages: number, labels: number) =>
  messages === 1
    ? `Remove this message${labels ? ' and its label' : ''}?`
    : `Remove ${plural(messages, 'message')}${labels ? ` and their ${plural(labels, 'label')}` : ''}?`;

/** An inline "are you sure": the question with Remove and Keep, in place of the button that asked. */
export function ConfirmRemoval({
  question,
  onRemove,
  onKeep,
  testId,
}: {
  question: string;
  onRemove(): Promise<void>;
  onKeep(): void;
  testId?: string;
}) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  return (
    <span
      className="row small"
      role="alertdialog"
      aria-label={question}
      data-testid={testId ?? 'confirm-removal'}
      style={{ gap: 6, justifyContent: 'flex-end', flexWrap: 'wrap' }}
    >
      <span style={{ whiteSpace: 'nowrap' }}>{question}</span>
      <button
        className="spam"
        disabled={busy}
        autoFocus
        onClick={() => {
          setBusy(true);
          setError(null);
          onRemove().catch((e: Error) => {
            setError(e.message);
            setBusy(false);
          });
        }}
      >
        {busy ? 'Removing…' : 'Remove'}
      </button>
      <button disabled={busy} onClick={onKeep}>
        Keep
      </button>
      {error && <span className="error-text">{error}</span>}
    </span>
  );
}

/** The import history: each import with where from, how many of its messages are left and labeled, and "Undo this import". */
export function ImportHistoryPanel({ history, onChanged }: { history: ImportHistory | null; onChanged(): void }) {
  const [asking, setAsking] = useState<number | null>(null);
  const [done, setDone] = useState<string | null>(null);
  if (!history) return <div className="panel panel-pad small muted">Loading the import history…</div>;
  const { batches, before } = history;
  const cell = { padding: '4px 10px 4px 0', verticalAlign: 'top' } as const;
  return (
    <div className="panel panel-pad" data-testid="import-history">
      <div className="row" style={{ marginBottom: 6 }}>
        <b>Imports</b>
        <span className="small muted">Each import can be taken back: its messages go, with their labels, scores and predictions.</span>
      </div>
      {done && (
        <div className="notice" data-testid="undo-import-result" style={{ margin: '0 0 8px' }}>
          {done}
        </div>
      )}
      {batches.length === 0 && before.messages === 0 ? (
        <div className="small muted">Nothing imported yet.</div>
      ) : (
        <div style={{ maxHeight: 260, overflow: 'auto' }}>
          <table className="small" style={{ borderCollapse: 'collapse', width: '100%', tableLayout: 'fixed' }}>
            {/* Fixed widths: the row does not reflow when its confirmation replaces the button. */}
            <colgroup>
              <col style={{ width: 110 }} />
              <col />
              <col style={{ width: 90 }} />
              <col style={{ width: 70 }} />
              <col style={{ width: 440 }} />
            </colgroup>
            <thead>
              <tr className="muted" style={{ textAlign: 'left' }}>
                <th style={cell}>when</th>
                <th style={cell}>from</th>
                <th style={{ ...cell, textAlign: 'right' }}>messages</th>
                <th style={{ ...cell, textAlign: 'right' }}>labeled</th>
                <th style={cell} />
              </tr>
            </thead>
            <tbody>
              {batches.map((b) => {
                const place = batchPlace(b);
                const gone = b.imported - b.messages;
                return (
                  <tr
                    key={b.id}
                    data-testid="import-batch"
                    data-import-id={b.id}
                    className={b.undoneAt !== null ? 'muted' : undefined}
                    style={{ borderTop: '1px solid var(--border)' }}
                  >
                    <td style={{ ...cell, whiteSpace: 'nowrap' }}>{batchTime(b.startedAt)}</td>
                    <td style={{ ...cell, overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' }} title={place.title}>
                      {place.text}
                      {b.origin !== 'import' && <span className="muted"> · {b.origin === 'mailbox' ? 'IMAP sync' : 'command line'}</span>}
                    </td>
                    <td style={{ ...cell, textAlign: 'right', whiteSpace: 'nowrap' }} data-testid="batch-messages">
                      {b.messages.toLocaleString()}
                      {gone > 0 && b.undoneAt === null && <span className="muted"> of {b.imported.toLocaleString()}</span>}
                    </td>
                    <td style={{ ...cell, textAlign: 'right' }}>{b.labeled.toLocaleString()}</td>
                    <td style={{ ...cell, textAlign: 'right' }}>
                      {b.undoneAt !== null ? (
                        <span>undone {batchTime(b.undoneAt)}</span>
                      ) : asking === b.id ? (
                        <ConfirmRemoval
                          question={removalQuestion(b.messages, b.labeled)}
                          onKeep={() => setAsking(null)}
                          onRemove={async () => {
                            const removed = await api.call('imports.undo', { id: b.id });
                            setAsking(null);
                            setDone(
                              `Removed ${plural(removed.removed, 'message')} and ${plural(removed.labels, 'label')} of the import of ${batchTime(b.startedAt)}.`,
                            );
                            onChanged();
                          }}
                        />
                      ) : (
                        <>
                          {/* Still importing (undo is refused until it ends), or stopped before the end: what it stored can go. */}
                          {b.finishedAt === null && <span className="muted">not finished </span>}
                          <button className="small" disabled={b.messages === 0} onClick={() => setAsking(b.id)}>
                            Undo this import
                          </button>
                        </>
                      )}
                    </td>
                  </tr>
                );
              })}
              {before.messages > 0 && (
                <tr data-testid="import-batch-before" style={{ borderTop: '1px solid var(--border)' }}>
                  <td style={cell} className="muted">
                    before import history
                  </td>
                  <td style={cell} title={before.sources.map((s) => s.source).join('\n')}>
                    {plural(before.sources.length, 'source')}
                  </td>
                  <td style={{ ...cell, textAlign: 'right' }}>{before.messages.toLocaleString()}</td>
                  <td style={{ ...cell, textAlign: 'right' }}>{before.labeled.toLocaleString()}</td>
                  <td style={{ ...cell, textAlign: 'right' }} className="muted">
                    pick a source in the filter to delete it
                  </td>
                </tr>
              )}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
