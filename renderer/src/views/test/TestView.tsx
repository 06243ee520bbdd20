import { useEffect, useState } from 'react';
import type { ClassifyResult, LabelChange } from '../../../../shared/contract';
import type { Label } from '../../../../shared/types';
import { api } from '../../api/client';
import { useQuery } from '../../api/hooks';
import { Contributions } from '../../components/Contributions';
import { HighlightedText } from '../../components/HighlightedText';

const DEBOUNCE_MS = 250;
/** The typed text outlives a visit to another view (and a reload), not the window. */
const STORAGE_KEY = 'spamlab.test.raw';
/** Where a message added from this view says it came from. */
const SOURCE = 'Test view';

function loadRaw(): string {
  try {
    return sessionStorage.getItem(STORAGE_KEY) ?? '';
  } catch {
    return '';
  }
}

function saveRaw(raw: string): void {
  try {
    if (raw) sessionStorage.setItem(STORAGE_KEY, raw);
    else sessionStorage.removeItem(STORAGE_KEY);
  } catch {
    // Storage full or refused: the text is only lost on leaving the view.
  }
}

function base64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

/** An RFC 2047 encoded word when the value is not plain ASCII. */
const headerValue = (value: string) => (/^[\x20-\x7e]*$/.test(value) ? value : `=?UTF-8?B?${base64(new TextEncoder().encode(value))}?=`);

/**
 * The message to store for what was tested. Text the backend read as mail (it
 * had a header block) is stored as it is. Plain text becomes a minimal message:
 * its first line, cut to 120 characters, as the Subject (so the dataset has
 * something to list it by), and the whole text, first line included, as a
 * UTF-8 plain-text body.
 */
export function messageForText(raw: string, readAsText: boolean): string {
  if (!readAsText) return raw;
  const subject = (raw.split(/\r?\n/).find((line) => line.trim() !== '') ?? '').trim().slice(0, 120);
  return [
    `Subject: ${headerValue(subject)}`,
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: 8bit',
    '',
    raw,
  ].join('\r\n');
}

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

function VerdictCard({ result, testId, active = false }: { result: ClassifyResult; testId: string; active?: boolean }) {
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
          spam probability · run {result.runId}
          {active ? ' (active)' : ''} · threshold {result.threshold.toFixed(2)}
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

/** Labels what was tested and adds it to the dataset (or relabels it, when it is stored already). */
function AddToDataset({ raw, result }: { raw: string; result: ClassifyResult }) {
  const [state, setState] = useState<{
    raw: string;
    busy: boolean;
    done: (LabelChange & { imported: boolean }) | null;
    error: string | null;
  }>({
    raw,
    busy: false,
    done: null,
    error: null,
  });
  const current = state.raw === raw ? state : { raw, busy: false, done: null, error: null };
  // The backend read it as plain text when what it tinted is the text as typed.
  const readAsText = result.parsed !== undefined && result.parsed.subject === '' && result.parsed.text === raw;
  const add = async (label: Label) => {
    setState({ raw, busy: true, done: null, error: null });
    try {
      const message = messageForText(raw, readAsText);
      const done = await api.call('labels.setByContent', { raw: base64(new TextEncoder().encode(message)), label, source: SOURCE });
      setState({ raw, busy: false, done, error: null });
    } catch (e) {
      setState({ raw, busy: false, done: null, error: (e as Error).message });
    }
  };
  return (
    <div className="add-to-dataset" data-testid="add-to-dataset">
      <span className="small muted">Label it and add it to the dataset:</span>
      <button className="spam" disabled={current.busy} onClick={() => void add('spam')} data-testid="add-spam">
        Label as spam
      </button>
      <button className="ham" disabled={current.busy} onClick={() => void add('ham')} data-testid="add-ham">
        Label as ham
      </button>
      {readAsText && (
        <span
          className="small muted"
          title="No header block: it is stored with its first line as the Subject and the whole text as the body."
        >
          stored as a message with its first line as the subject
        </span>
      )}
      {current.done && (
        <span className="small" data-testid="add-result">
          {current.done.imported
            ? `Added to the dataset as message ${current.done.messageId}, labeled ${current.done.label}.`
            : current.done.previous === current.done.label
              ? `Already in the dataset (message ${current.done.messageId}), labeled ${current.done.label}.`
              : `Already in the dataset (message ${current.done.messageId}): relabeled ${current.done.previous ?? 'unlabeled'} → ${current.done.label}.`}{' '}
          Retrain for the model to learn it.
        </span>
      )}
      {current.error && (
        <span className="small error-text" data-testid="add-error">
          {current.error}
        </span>
      )}
    </div>
  );
}

export function TestView() {
  const [raw, setRawState] = useState(loadRaw);
  const setRaw = (value: string) => {
    setRawState(value);
    saveRaw(value);
  };
  const [otherRunId, setOtherRunId] = useState<number | null>(null);
  const runs = useQuery('runs.list', {});
  const active = useVerdict(raw, 'active');
  const other = useVerdict(raw, otherRunId);
  const result = active.result;
  const activeRun = (runs.data ?? []).find((r) => r.isActive) ?? null;
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
          >
            <option value="">{candidates.length ? 'no other run' : 'no other completed run'}</option>
            {activeRun && (
              <option value={activeRun.id} disabled data-testid="active-run-option">
                run {activeRun.id} (active) {activeRun.name}
              </option>
            )}
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
                  <VerdictCard result={result} testId="verdict-active" active />
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
                <AddToDataset raw={raw} result={result} />
                <Contributions result={result} />
              </div>
            )}
          </div>
        </div>
      </div>
    </>
  );
}
