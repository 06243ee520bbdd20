import type { ClassifyResult, TokenContribution } from '../../../shared/contract';
import { contributionWords, ORIGIN_NOTE } from '../../../shared/token-words';

/**
 * A token in words, the raw token in its tooltip; a token about where the mail
 * came from (relays, lists, ids) is marked as a likely artifact.
 */
export function TokenName({ token, weight }: { token: string; weight?: number }) {
  const words = contributionWords(token);
  const tint = weight === undefined ? undefined : weight > 0 ? 'var(--spam-bg)' : 'var(--ham-bg)';
  return (
    <span className="token-words" data-testid="token-words" data-token={token} data-origin={words.origin || undefined}>
      <span className="token-text" style={{ background: tint }} title={`token: ${token || '(none)'}`}>
        {words.text}
      </span>
      {words.origin && (
        <span
          className="origin-mark"
          title={`Likely an artifact: ${ORIGIN_NOTE}. A model leaning on it learns how the mail was collected.`}
        >
          {ORIGIN_NOTE}
        </span>
      )}
    </span>
  );
}

/** The strongest pushes among a list of contributions, in words: for a short list beside a message. */
export function TokenList({ contributions, limit }: { contributions: TokenContribution[]; limit: number }) {
  return (
    <ul className="token-list">
      {contributions.slice(0, limit).map((c, i) => (
        <li key={i}>
          <span className={`num ${c.weight > 0 ? 'toward-spam-text' : 'toward-ham-text'}`}>
            {c.weight > 0 ? '+' : ''}
            {c.weight.toFixed(2)}
          </span>{' '}
          <TokenName token={c.token} />
        </li>
      ))}
    </ul>
  );
}

/** The tokens that pushed the score toward spam (red) or ham (green). */
export function Contributions({ result, limit = 30 }: { result: ClassifyResult; limit?: number }) {
  const shown = result.contributions.slice(0, limit);
  const max = Math.max(1e-9, ...shown.map((c) => Math.abs(c.weight)));
  return (
    <div data-testid="contributions">
      <div className="small muted" style={{ marginBottom: 6 }}>
        logit {result.logit.toFixed(3)} = bias {result.bias.toFixed(3)} + token contributions
        {result.exact ? ' (exact for this linear model)' : ' (gradient × input: an approximation for the neural model)'}. Hover a line for
        its token; <span className="origin-mark">{ORIGIN_NOTE}</span> marks evidence about how the mail travelled, likely an artifact of how
        it was collected.
      </div>
      <table className="grid">
        <tbody>
          {shown.map((c, i) => (
            <tr key={i}>
              <td style={{ width: '55%' }}>
                <TokenName token={c.token} weight={c.weight} />
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
