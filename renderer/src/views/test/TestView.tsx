import { useEffect, useState } from 'react';
import type { ClassifyResult } from '../../../../shared/contract';
import { api } from '../../api/client';
import { Contributions } from '../../components/Contributions';

const DEBOUNCE_MS = 250;

export function TestView() {
  const [raw, setRaw] = useState('');
  const [result, setResult] = useState<ClassifyResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (raw.trim() === '') {
      setResult(null);
      return;
    }
    const timer = setTimeout(() => {
      api.call('classify.text', { raw }).then(
        (r) => (setResult(r), setError(null)),
        (e: Error) => (setResult(null), setError(e.message)),
      );
    }, DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [raw]);

  const onDrop = async (event: React.DragEvent) => {
    event.preventDefault();
    const file = event.dataTransfer.files[0];
    if (file) setRaw(await file.text());
  };

  return (
    <>
      <header className="view-header">
        <h1>Test</h1>
        <span className="muted small">
          Paste a whole message (headers and body), type some text, or drop an .eml file. The verdict updates as you type.
        </span>
      </header>
      <div className="view-body">
        <div className="split" style={{ gap: 16, height: 'auto' }}>
          <textarea
            data-testid="test-input"
            value={raw}
            onChange={(e) => setRaw(e.target.value)}
            onDragOver={(e) => e.preventDefault()}
            onDrop={(e) => void onDrop(e)}
            placeholder={'Subject: You have won!\n\nClick here to claim your prize…'}
            style={{ minHeight: 420, fontFamily: 'ui-monospace, monospace', fontSize: 13 }}
            aria-label="message to test"
          />
          <div>
            {error && <div className="notice error">{error}</div>}
            {!result && !error && <div className="empty">Type or drop a message to see what the active run thinks of it.</div>}
            {result && (
              <div className="panel panel-pad">
                <div className="row">
                  <span className={`badge ${result.verdict}`} data-testid="verdict">
                    {result.verdict}
                  </span>
                  <span style={{ fontSize: 28, fontWeight: 700 }} data-testid="probability">
                    {(result.probability * 100).toFixed(1)}%
                  </span>
                  <span className="muted">
                    spam probability · run {result.runId} · threshold {result.threshold.toFixed(2)}
                  </span>
                </div>
                <div className="progress" style={{ margin: '10px 0 14px' }}>
                  <div style={{ width: `${result.probability * 100}%`, background: 'var(--spam)' }} />
                  <div style={{ width: `${(1 - result.probability) * 100}%`, background: 'var(--ham)' }} />
                </div>
                <Contributions result={result} />
              </div>
            )}
          </div>
        </div>
      </div>
    </>
  );
}
