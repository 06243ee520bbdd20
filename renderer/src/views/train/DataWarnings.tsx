import type { DataWarning } from './warnings';

/**
 * The warnings about a run's data, with balanced class weighting offered when
 * one class is much rarer: `weighting` says whether it is suggested (a button
 * that sets it in the form), already on, or set in the form for the next run.
 */
export function DataWarnings({
  warnings,
  weighting,
  onUseBalanced,
  testId,
}: {
  warnings: DataWarning[];
  weighting: 'suggest' | 'on' | 'next-run';
  onUseBalanced(): void;
  testId: string;
}) {
  if (warnings.length === 0) return null;
  const imbalanced = warnings.some((w) => w.kind === 'imbalance');
  return (
    <div className="notice warn data-warnings" data-testid={testId} role="status">
      <ul>
        {warnings.map((w) => (
          <li key={w.kind} data-warning={w.kind}>
            {w.text}
          </li>
        ))}
      </ul>
      {imbalanced && (
        <div className="row" style={{ gap: 8 }}>
          {weighting === 'suggest' ? (
            <button onClick={onUseBalanced} data-testid="use-balanced">
              Use balanced class weighting
            </button>
          ) : (
            <span className="small" data-testid="balanced-state">
              {weighting === 'on' ? 'Balanced class weighting is on.' : 'Balanced class weighting is set in the form for the next run.'}
            </span>
          )}
        </div>
      )}
    </div>
  );
}
