import type { Label } from '../../../shared/types';

export function LabelBadge({ label }: { label: Label | null }) {
  return <span className={`badge ${label ?? 'none'}`}>{label ?? 'unlabeled'}</span>;
}

export function Probability({ value }: { value: number | null }) {
  if (value === null) return null;
  return (
    <span className="small muted" title="spam probability under the active run">
      p(spam) {value < 0.001 ? value.toExponential(1) : value.toFixed(3)}
    </span>
  );
}
