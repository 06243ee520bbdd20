import type { ClassifyResult } from '../../../shared/contract';

/** The tokens that pushed the score toward spam (red) or ham (green). */
export function Contributions({ result, limit = 30 }: { result: ClassifyResult; limit?: number }) {
  const shown = result.contributions.slice(0, limit);
  const max = Math.max(1e-9, ...shown.map((c) => Math.abs(c.weight)));
  return (
    <div data-testid="contributions">
      <div className="small muted" style={{ marginBottom: 6 }}>
        logit {result.logit.toFixed(3)} = bias {result.bias.toFixed(3)} + token contributions
        {result.exact ? ' (exact for this linear model)' : ' (gradient × input: an approximation for the neural model)'}
      </div>
      <table className="grid">
        <tbody>
          {shown.map((c, i) => (
            <tr key={i}>
              <td style={{ width: '45%' }}>
                <code className="token" style={{ background: c.weight > 0 ? 'var(--spam-bg)' : 'var(--ham-bg)' }}>
                  {c.token || '(hash collision)'}
                </code>
              </td>
              <td className="num" style={{ width: 80 }}>
                {c.weight > 0 ? '+' : ''}
                {c.weight.toFixed(3)}
              </td>
              <td>
                <div
                  className="bar"
                  style={{ width: `${(Math.abs(c.weight) / max) * 100}%`, background: c.weight > 0 ? 'var(--spam)' : 'var(--ham)' }}
                />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Binary cross-entropy with this example's own numbers plugged in. */
export function LossExplained({ probability, label }: { probability: number; label: 'spam' | 'ham' }) {
  const y = label === 'spam' ? 1 : 0;
  const p = Math.min(1 - 1e-7, Math.max(1e-7, probability));
  const loss = -(y * Math.log(p) + (1 - y) * Math.log(1 - p));
  const pTrue = y ? p : 1 - p;
  const size = 160;
  const curve = Array.from({ length: 60 }, (_, i) => {
    const q = 0.01 + (i / 59) * 0.99;
    return `${i ? 'L' : 'M'}${(q * size).toFixed(1)},${(size - Math.min(1, -Math.log(q) / 5) * size).toFixed(1)}`;
  }).join('');
  return (
    <div className="row" style={{ alignItems: 'flex-start', gap: 16 }} data-testid="loss-explained">
      <div>
        <div>
          BCE = −[y·log p + (1−y)·log(1−p)] with y = <b>{y}</b> ({label}), p = <b>{probability.toFixed(4)}</b>
        </div>
        <div>
          = −log({y ? 'p' : '1−p'}) = −log({pTrue.toFixed(4)}) = <b>{loss.toFixed(4)}</b>
        </div>
        <div className="small muted" style={{ maxWidth: 420, marginTop: 6 }}>
          The loss only looks at the probability given to the true label: near 0 when the model is confidently right, growing without bound
          as it becomes confidently wrong. Class weights, when used, multiply this number.
        </div>
      </div>
      <svg width={size} height={size} style={{ background: 'var(--panel-2)', borderRadius: 6 }} aria-label="the −log p curve">
        <path d={curve} stroke="var(--accent)" strokeWidth={2} fill="none" />
        <circle cx={pTrue * size} cy={size - Math.min(1, loss / 5) * size} r={5} fill="var(--spam)" />
        <text x={6} y={14} fontSize={11} fill="var(--muted)">
          −log p(true label)
        </text>
      </svg>
    </div>
  );
}
