import { useEffect, useState } from 'react';
import type { RunSummary } from '../../../../shared/types';
import { api } from '../../api/client';

type Target = 'maxHamLost' | 'maxSpamMissed';

/** Sets a run's decision policy: the threshold from what one accepts losing on the holdout, and an unsure band under it. */
export function PolicyControls({ run, onSaved }: { run: RunSummary; onSaved(): void }) {
  const [target, setTarget] = useState<Target>('maxHamLost');
  const [percent, setPercent] = useState('0.5');
  const [unsure, setUnsure] = useState(run.unsureBelow === null ? '' : String(run.unsureBelow));
  const [error, setError] = useState<string | null>(null);
  useEffect(() => setUnsure(run.unsureBelow === null ? '' : String(run.unsureBelow)), [run.id, run.unsureBelow]);

  const save = (request: Omit<Parameters<typeof api.call<'runs.policy'>>[1], 'runId'>) => {
    setError(null);
    api.call('runs.policy', { runId: run.id, ...request }).then(onSaved, (e: Error) => setError(e.message));
  };
  const share = Number(percent) / 100;
  const band = unsure.trim() === '' ? null : Number(unsure);
  return (
    <div style={{ marginBottom: 10 }} data-testid="policy">
      <div className="row" style={{ gap: 8, marginBottom: 6 }}>
        <span className="small">Choose the threshold so that</span>
        <select style={{ width: 'auto' }} value={target} onChange={(e) => setTarget(e.target.value as Target)} aria-label="policy target">
          <option value="maxHamLost">ham lost</option>
          <option value="maxSpamMissed">spam missed</option>
        </select>
        <span className="small">is at most</span>
        <input type="text" value={percent} onChange={(e) => setPercent(e.target.value)} aria-label="policy share" style={{ width: 56 }} />
        <span className="small">% on the holdout</span>
        <button onClick={() => save({ [target]: share })} disabled={!(share >= 0 && share <= 1) || percent.trim() === ''}>
          Choose threshold
        </button>
      </div>
      <div className="row" style={{ gap: 8 }}>
        <span className="small">Unsure from</span>
        <input
          type="text"
          value={unsure}
          onChange={(e) => setUnsure(e.target.value)}
          aria-label="unsure from"
          placeholder="none"
          style={{ width: 56 }}
        />
        <span className="small muted">up to the threshold (empty: no band)</span>
        <button
          onClick={() => save({ unsureBelow: band })}
          disabled={band === run.unsureBelow || (band !== null && !(band >= 0 && band <= run.threshold))}
        >
          Set unsure band
        </button>
      </div>
      {error && <div className="notice error">{error}</div>}
    </div>
  );
}
