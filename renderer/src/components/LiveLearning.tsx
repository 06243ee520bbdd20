import { useState } from 'react';
import type { LiveStatus, RunningWindow } from '../../../shared/contract';
import { api } from '../api/client';
import { useEvent, useQuery } from '../api/hooks';

/** The live copy's state, kept current by its pushes and by anything that changes the active run. */
export function useLiveStatus(): { status: LiveStatus | null; reload(): void } {
  const [version, setVersion] = useState(0);
  const [pushed, setPushed] = useState<LiveStatus | null>(null);
  const query = useQuery('live.status', {}, version);
  useEvent('live.updated', setPushed);
  // A label the live copy does not learn (no run, an mlp run) still moves the running score: ask again, newer than any push.
  useEvent('labels.changed', () => (setPushed(null), setVersion((v) => v + 1)));
  useEvent('training.finished', () => (setPushed(null), setVersion((v) => v + 1)));
  const reload = () => (setPushed(null), setVersion((v) => v + 1));
  // A push is newer than the answer it follows; a fresh answer replaces both.
  return { status: pushed ?? query.data, reload };
}

const percent = (share: number) => `${(share * 100).toFixed(share === 1 || share === 0 ? 0 : 1)}%`;

function windowText(w: RunningWindow): string {
  if (w.count === 0) return 'no labels yet';
  return `${percent(w.accuracy ?? 0)} right · BCE ${w.bce?.toFixed(3) ?? 'n/a'}${w.count < w.size ? ` (${w.count} so far)` : ''}`;
}

/** For the sidebar: the active filter (what classify, the filter and the queue use) and how it did on the last 50 labels, before learning them. */
export function LiveSummary({ activeRunId, status }: { activeRunId: number | null; status: LiveStatus | null }) {
  const learning = status !== null && status.baseRunId !== null && status.baseRunId === activeRunId;
  return (
    <span className="live-summary" data-testid="live-summary" title="Scored before each label was learned: mail the model had not seen">
      {activeRunId === null ? 'No active filter yet: train a run' : `Active filter: run ${activeRunId}`}
      {learning && status.learned > 0 && ` + ${status.learned} learned`}
      {status && status.running.last50.count > 0 && (
        <>
          <br />
          last 50: {windowText(status.running.last50)}
        </>
      )}
    </span>
  );
}

/** The Label view's panel: the running score on mail not yet learned from, and what to do with the live copy. */
export function LivePanel({ status, onChanged }: { status: LiveStatus | null; onChanged(): void }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState<number | null>(null);
  if (!status) return null;
  const act = async (work: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    try {
      await work();
      onChanged();
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="live-panel" data-testid="live-panel">
      <div className="live-scores" data-testid="running-score">
        <span title="Each message is scored before its label is learned, so this is how the model does on mail it has not seen">
          Running score
        </span>
        <span>
          last 50: <b>{windowText(status.running.last50)}</b>
        </span>
        <span>
          last 500: <b>{windowText(status.running.last500)}</b>
        </span>
      </div>
      <div className="live-state small" data-testid="live-state">
        {status.baseRunId === null ? (
          <span className="muted">{status.unavailable ?? 'No active run: train one and it will learn from each label.'}</span>
        ) : (
          <>
            <span>
              Learning from your labels on top of run {status.baseRunId}: {status.learned} learned
              {status.lastUpdateMs !== null && <span className="muted"> · queue re-ranked in {Math.round(status.lastUpdateMs)} ms</span>}
            </span>
            {status.learned > 0 && (
              <>
                <button
                  disabled={busy}
                  onClick={() =>
                    void act(async () => {
                      const { runId } = await api.call('live.save', {});
                      setSaved(runId);
                    })
                  }
                  data-testid="live-save"
                >
                  Save as a new run
                </button>
                <button disabled={busy} onClick={() => void act(() => api.call('live.discard', {}))} data-testid="live-discard">
                  Discard
                </button>
              </>
            )}
            {saved !== null && status.learned === 0 && <span className="muted">Saved as run {saved}, now the active filter.</span>}
          </>
        )}
      </div>
      {error && <div className="notice error">{error}</div>}
    </div>
  );
}
