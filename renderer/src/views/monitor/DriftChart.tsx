import type { MonitorPoint } from '../../../../shared/contract';

const WIDTH = 720;
const HEIGHT = 260;
const PAD = { left: 52, right: 36, top: 16, bottom: 44 };

/**
 * BCE per period with its 95% band, against the run's own holdout BCE (the
 * dashed line). A point in alarm is drawn in the spam colour. Drawn as SVG:
 * a few dozen periods at most, each with its count in its tooltip.
 */
export function DriftChart({ points, baseline }: { points: MonitorPoint[]; baseline: number | null }) {
  const top = Math.max(baseline ?? 0, ...points.map((p) => p.bceHigh), 0.05) * 1.1;
  const innerW = WIDTH - PAD.left - PAD.right;
  const innerH = HEIGHT - PAD.top - PAD.bottom;
  const x = (i: number) => PAD.left + (points.length === 1 ? innerW / 2 : (i / (points.length - 1)) * innerW);
  const y = (bce: number) => PAD.top + innerH - (Math.min(bce, top) / top) * innerH;
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((f) => f * top);
  const labelEvery = Math.max(1, Math.ceil(points.length / 10));
  const line = points.map((p, i) => `${i === 0 ? 'M' : 'L'}${x(i).toFixed(1)},${y(p.bce).toFixed(1)}`).join(' ');
  return (
    <svg
      className="drift-chart"
      viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
      role="img"
      aria-label="binary cross-entropy per period against the holdout"
      data-testid="drift-chart"
    >
      {ticks.map((t) => (
        <g key={t}>
          <line x1={PAD.left} x2={WIDTH - PAD.right} y1={y(t)} y2={y(t)} className="grid-line" />
          <text x={PAD.left - 6} y={y(t) + 4} textAnchor="end" className="axis-label">
            {t.toFixed(t < 0.1 ? 3 : 2)}
          </text>
        </g>
      ))}
      <text x={14} y={PAD.top + innerH / 2} className="axis-label" transform={`rotate(-90 14 ${PAD.top + innerH / 2})`} textAnchor="middle">
        BCE (nats)
      </text>
      {baseline !== null && (
        <g data-testid="drift-baseline">
          <line x1={PAD.left} x2={WIDTH - PAD.right} y1={y(baseline)} y2={y(baseline)} className="baseline" />
          <text x={WIDTH - PAD.right} y={y(baseline) - 5} textAnchor="end" className="axis-label">
            holdout {baseline.toFixed(3)}
          </text>
        </g>
      )}
      <path d={line} className="bce-line" />
      {points.map((p, i) => (
        <g key={p.period} className={p.alarm ? 'point alarm' : 'point'} data-testid="drift-point">
          <title>
            {`${p.period}: BCE ${p.bce.toFixed(3)} (95% ${p.bceLow.toFixed(3)}–${p.bceHigh.toFixed(3)}), ${p.count} messages (${p.ham} ham, ${p.spam} spam)${p.alarm ? ' — above the holdout' : ''}`}
          </title>
          <line x1={x(i)} x2={x(i)} y1={y(p.bceLow)} y2={y(p.bceHigh)} className="band" />
          <line x1={x(i) - 4} x2={x(i) + 4} y1={y(p.bceLow)} y2={y(p.bceLow)} className="band" />
          <line x1={x(i) - 4} x2={x(i) + 4} y1={y(p.bceHigh)} y2={y(p.bceHigh)} className="band" />
          <circle cx={x(i)} cy={y(p.bce)} r={Math.min(7, 2.5 + Math.log10(1 + p.count))} />
          {i % labelEvery === 0 && (
            <text x={x(i)} y={HEIGHT - PAD.bottom + 16} textAnchor="middle" className="axis-label">
              {p.period}
            </text>
          )}
          {i % labelEvery === 0 && (
            <text x={x(i)} y={HEIGHT - PAD.bottom + 30} textAnchor="middle" className="axis-label muted-label">
              n={p.count}
            </text>
          )}
        </g>
      ))}
    </svg>
  );
}
