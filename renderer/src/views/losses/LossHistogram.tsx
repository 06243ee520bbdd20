import type { LossHistogram as Histogram } from '../../../../shared/contract';

const WIDTH = 500;
const HALF = 46;

/**
 * Listed messages per loss bin: labeled spam above the axis, labeled ham
 * below. Bins right of ln 2 hold the messages the model gets wrong at 0.5.
 */
export function LossHistogram({ histogram }: { histogram: Histogram }) {
  const bins = histogram.edges.length;
  const step = WIDTH / bins;
  const max = Math.max(1, ...histogram.spam, ...histogram.ham);
  const wrongFrom = histogram.edges.findIndex((e) => e >= Math.LN2);
  // Square-root heights: the few high-loss messages stay visible next to the many easy ones.
  const bar = (count: number) => (count === 0 ? 0 : Math.max(2, Math.sqrt(count / max) * HALF));
  return (
    <figure style={{ margin: 0 }} data-testid="loss-histogram">
      <figcaption className="small muted">
        Loss per class: <span style={{ color: 'var(--spam)' }}>labeled spam</span> above,{' '}
        <span style={{ color: 'var(--ham)' }}>labeled ham</span> below (√ scale; hover for counts); right of the dashed line the model is
        wrong at 0.5
      </figcaption>
      <svg
        viewBox={`0 0 ${WIDTH} ${HALF * 2 + 22}`}
        style={{ width: '100%', maxWidth: WIDTH, height: 'auto' }}
        role="img"
        aria-label="loss histogram per class"
      >
        {histogram.edges.map((edge, i) => (
          <g key={edge}>
            <rect x={i * step + 2} y={HALF - bar(histogram.spam[i]!)} width={step - 4} height={bar(histogram.spam[i]!)} fill="var(--spam)">
              <title>{`${histogram.spam[i]} spam with loss ${edge.toFixed(2)}–${histogram.edges[i + 1]?.toFixed(2) ?? '∞'}`}</title>
            </rect>
            <rect x={i * step + 2} y={HALF + 1} width={step - 4} height={bar(histogram.ham[i]!)} fill="var(--ham)">
              <title>{`${histogram.ham[i]} ham with loss ${edge.toFixed(2)}–${histogram.edges[i + 1]?.toFixed(2) ?? '∞'}`}</title>
            </rect>
            <text x={i * step} y={HALF * 2 + 16} fontSize={10} fill="var(--muted)">
              {edge === 0 ? '0' : edge.toFixed(edge < 0.1 ? 2 : 1)}
            </text>
          </g>
        ))}
        <line x1={wrongFrom * step} x2={wrongFrom * step} y1={0} y2={HALF * 2} stroke="var(--text)" strokeDasharray="3 3" />
      </svg>
    </figure>
  );
}
