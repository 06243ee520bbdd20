import { useState } from 'react';
import { useEvent, useQuery } from '../api/hooks';

/** On every view while a run trains: which run, how far along, and a way to its curves. */
export function TrainingIndicator({ onOpen }: { onOpen(): void }) {
  const [version, setVersion] = useState(0);
  const [progress, setProgress] = useState<{ runId: number; epoch: number; phase: string | null } | null>(null);
  const runs = useQuery('runs.list', {}, version);
  const running = runs.data?.find((r) => r.status === 'running') ?? null;
  useEvent('training.backend', () => setVersion((v) => v + 1));
  useEvent('training.finished', () => (setProgress(null), setVersion((v) => v + 1)));
  useEvent('training.epoch', (e) =>
    setProgress((p) => ({ runId: e.runId, epoch: e.point.epoch + 1, phase: p?.runId === e.runId ? p.phase : null })),
  );
  useEvent('training.fold', (e) => setProgress({ runId: e.runId, epoch: 0, phase: `out-of-fold ${e.fold}/${e.of}` }));
  if (!running) return null;
  const epochs = running.settings.epochs;
  const epoch = progress?.runId === running.id ? progress.epoch : 0;
  return (
    <button className="training-indicator" onClick={onOpen} data-testid="training-indicator" title="Open the Train view">
      <span>
        Training run {running.id}
        {progress?.runId === running.id && progress.phase ? ` · ${progress.phase}` : ` · epoch ${epoch}/${epochs}`}
      </span>
      <span className="progress">
        <span style={{ width: `${(epoch / epochs) * 100}%`, background: 'var(--accent)' }} />
      </span>
    </button>
  );
}
