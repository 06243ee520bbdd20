import { useState } from 'react';
import type { ResponseOf } from '../../../../shared/contract';
import { api } from '../../api/client';

/** Writes the labeled messages to a folder as spam.mbox and ham.mbox, which import back unchanged. */
export function ExportPanel() {
  const [dir, setDir] = useState('');
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<ResponseOf<'export.labels'> | null>(null);
  const [error, setError] = useState<string | null>(null);

  const run = async () => {
    setBusy(true);
    setError(null);
    setResult(null);
    try {
      setResult(await api.call('export.labels', { dir: dir.trim() }));
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="panel panel-pad" data-testid="export-panel">
      <div className="field">
        <label htmlFor="export-dir">Export labeled mail</label>
        <input
          id="export-dir"
          placeholder="An empty folder (absolute path): spam.mbox and ham.mbox go there"
          value={dir}
          onChange={(e) => setDir(e.target.value)}
        />
      </div>
      <div className="row" style={{ marginTop: 8 }}>
        <button className="primary" disabled={busy || dir.trim() === ''} onClick={() => void run()}>
          {busy ? 'Exporting…' : 'Export'}
        </button>
        <span className="small muted">Import them anywhere with the label they carry: your dataset, portable.</span>
      </div>
      {error && <div className="notice error">{error}</div>}
      {result && (
        <div className="small" data-testid="export-summary" style={{ marginTop: 8 }}>
          Wrote <b>{result.spam}</b> spam and <b>{result.ham}</b> ham messages
          {result.records ? (
            <>
              {' '}
              and <b>{result.records}</b> records from CSV/JSONL
            </>
          ) : null}
          :{' '}
          {result.files.map((f) => (
            <code key={f}>{f} </code>
          ))}
        </div>
      )}
    </div>
  );
}
