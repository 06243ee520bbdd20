import { useEffect, useState } from 'react';
import type { ImportSummary, Label } from '../../../../shared/types';
import { api } from '../../api/client';
import { useEvent } from '../../api/hooks';

/** Paths to import, from the File menu or a drop; id tells one request from the next. */
export interface ImportRequest {
  id: number;
  paths: string[];
}

/** Outlives the panel, which unmounts when the person switches views: a request is imported once. */
let lastRequestRun = 0;

/** A request not imported yet (the panel opens for it). */
export const isPendingImport = (request: ImportRequest | null) => request !== null && request.id > lastRequestRun;

/** request: paths handed over by the desktop shell, imported at once. */
export function ImportPanel({ onImported, request }: { onImported(): void; request: ImportRequest | null }) {
  const [paths, setPaths] = useState('');
  const [label, setLabel] = useState<Label | ''>('');
  const [busy, setBusy] = useState(false);
  const [progress, setProgress] = useState<{ done: number; failed: number; duplicates: number; file: string } | null>(null);
  const [summary, setSummary] = useState<ImportSummary | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEvent('import.progress', setProgress);
  useEffect(() => {
    if (!request || !isPendingImport(request)) return;
    lastRequestRun = request.id;
    setPaths(request.paths.join('\n'));
    void run(request.paths);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [request]);

  const run = async (list: string[]) => {
    setBusy(true);
    setError(null);
    setSummary(null);
    try {
      setSummary(await api.call('import.paths', { paths: list, label: label || null }));
      onImported();
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
      setProgress(null);
    }
  };

  return (
    <div className="panel panel-pad" data-testid="import-panel">
      <div className="field">
        <label htmlFor="import-paths">Import mail</label>
        <textarea
          id="import-paths"
          rows={2}
          placeholder="One path per line: an mbox file, a Maildir, a folder of .eml files, a .csv or .jsonl"
          value={paths}
          onChange={(e) => setPaths(e.target.value)}
        />
      </div>
      <div className="row" style={{ marginTop: 8 }}>
        <select value={label} onChange={(e) => setLabel(e.target.value as Label | '')} aria-label="label for imported mail">
          <option value="">leave unlabeled</option>
          <option value="spam">label all as spam</option>
          <option value="ham">label all as ham</option>
        </select>
        <button
          className="primary"
          disabled={busy || paths.trim() === ''}
          onClick={() =>
            void run(
              paths
                .split('\n')
                .map((p) => p.trim())
                .filter(Boolean),
            )
          }
        >
          {busy ? 'Importing…' : 'Import'}
        </button>
        {progress && (
          <span className="small muted">
            {progress.done} imported, {progress.duplicates} duplicates, {progress.failed} failed
          </span>
        )}
      </div>
      {error && <div className="notice error">{error}</div>}
      {summary && (
        <div className="small" data-testid="import-summary" style={{ marginTop: 8 }}>
          Imported <b>{summary.imported}</b>, duplicates <b>{summary.duplicates}</b>, failed <b>{summary.failed}</b> in{' '}
          {summary.seconds.toFixed(1)} s.
          {summary.failures.length > 0 && (
            <ul>
              {summary.failures.slice(0, 50).map((f, i) => (
                <li key={i}>
                  <code>{f.file}</code>
                  {f.offset !== null && ` at byte ${f.offset}`}: {f.error}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </div>
  );
}
