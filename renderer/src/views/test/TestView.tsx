import { useEffect, useState } from 'react';
import type { ClassifyResult } from '../../../../shared/contract';
import { api } from '../../api/client';
import { useQuery } from '../../api/hooks';
import { Contributions } from '../../components/Contributions';
import { HighlightedText } from '../../components/HighlightedText';

const DEBOUNCE_MS = 250;

/** The text's verdict under a run ('active': whichever is active; null: none asked), fetched as the text settles. */
function useVerdict(raw: string, run: number | 'active' | null) {
  const [state, setState] = useState<{ run: number | 'active' | null; result: ClassifyResult | null; error: string | null }>({
    run,
    result: null,
    error: null,
  });
  useEffect(() => {
    if (run === null || raw.trim() === '') {
      setState({ run, result: null, error: null });
      return;
    }
    let current = true;
    const timer = setTimeout(() => {
      api.call('classify.text', { raw, ...(run !== 'active' && { runId: run }) }).then(
        (result) => current && setState({ run, result, error: null }),
        (e: Error) => current && setState({ run, result: null, error: e.message }),
      );
    }, DEBOUNCE_MS);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [raw, run]);
  // A verdict from the run chosen before is never shown under the one chosen now.
  return state.run === run ? state : { run, result: null, error: null };
}

function VerdictCard({ result, testId }: { result: ClassifyResult; testId: string }) {
  return (
    <div data-testid={testId}>
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
        {result.decidedBy && (
          <span className="badge none" data-testid="decided-by">
            {result.decidedBy}
          </span>
        )}
      </div>
      <div className="progress" style={{ margin: '10px 0 14px' }}>
        <div style={{ width: `${result.probability * 100}%`, background: 'var(--spam)' }} />
        <div style={{ width: `${(1 - result.probability) * 100}%`, background: 'var(--ham)' }} />
      </div>
    </div>
  );
}

export function TestView() {
  const [raw, setRaw] = useState('');
  const [otherRunId, setOtherRunId] = useState<number | null>(null);
  const runs = useQuery('runs.list', {});
  const active = useVerdict(raw, 'active');
  const other = useVerdict(raw, otherRunId);
  const result = active.result;
  const candidates = (runs.data ?? []).filter((r) => r.status === 'completed' && !r.isActive);

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
          Paste a message with its headers, type text, or drop an .eml file: the verdict follows as you type.
        </span>
        <span className="spacer" />
        <label className="row small">
          compare with{' '}
          <select
            value={otherRunId ?? ''}
            onChange={(e) => setOtherRunId(e.target.value ? Number(e.target.value) : null)}
            aria-label="compare with run"
            disabled={candidates.length === 0}
          >
            <option value="">{candidates.length ? 'no other run' : 'no other completed run'}</option>
            {candidates.map((r) => (
              <option key={r.id} value={r.id}>
                run {r.id} {r.name}
              </option>
            ))}
          </select>
        </label>
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
          <div style={{ display: 'grid', gap: 16, alignContent: 'start' }}>
            {active.error && <div className="notice error">{active.error}</div>}
            {!result && !active.error && <div className="empty">Type or drop a message to see what the active run thinks of it.</div>}
            {result && (
              <div className="panel panel-pad">
                <div className={otherRunId !== null ? 'verdicts' : undefined}>
                  <VerdictCard result={result} testId="verdict-active" />
                  {otherRunId !== null && other.result && <VerdictCard result={other.result} testId="verdict-other" />}
                  {otherRunId !== null && other.error && <div className="notice error">{other.error}</div>}
                </div>
                {result.parsed && (
                  <div className="highlighted-mail" data-testid="test-highlighted">
                    {result.parsed.subject && (
                      <b>
                        <HighlightedText text={result.parsed.subject} weights={result.wordWeights.subject} />
                      </b>
                    )}
                    <div className="text">
                      <HighlightedText text={result.parsed.text} weights={result.wordWeights.text} />
                    </div>
                  </div>
                )}
                <Contributions result={result} />
              </div>
            )}
          </div>
        </div>
      </div>
    </>
  );
}
