import { useEffect, useRef, useState } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export interface LossSeries {
  steps: number[];
  stepLoss: number[];
  /** Per epoch: the step it ended at, with train and validation loss. */
  epochSteps: number[];
  epochTrain: number[];
  epochVal: Array<number | null>;
}

const STEP_INCREMENTS = [1, 2, 5].flatMap((m) => [1, 10, 100, 1000, 10000, 100000].map((p) => m * p)).sort((a, b) => a - b);

/** Exponential moving average, as TensorBoard smooths: weight in [0, 1). */
export function smooth(values: number[], weight: number): number[] {
  let last = values[0] ?? 0;
  return values.map((v) => (last = last * weight + (1 - weight) * v));
}

/** The loss an epoch must beat the best by to count as better: the trainer's rule (electron/backend/training/trainer.ts). */
const IMPROVEMENT = 1e-6;

/**
 * The epoch (index into the series' epochs) with the best validation loss, as
 * early stopping keeps it: the first one no later epoch beat by more than
 * IMPROVEMENT. Null without validation losses.
 */
export function bestEpochIndex(epochVal: ReadonlyArray<number | null>): number | null {
  let best: number | null = null;
  for (let i = 0; i < epochVal.length; i++) {
    const loss = epochVal[i] ?? null;
    if (loss !== null && (best === null || loss < epochVal[best]! - IMPROVEMENT)) best = i;
  }
  return best;
}

/** The document's theme, so the chart is drawn again in the new colours when it changes. */
function useTheme(): string | undefined {
  const [theme, setTheme] = useState(() => document.documentElement.dataset.theme);
  useEffect(() => {
    const observer = new MutationObserver(() => setTheme(document.documentElement.dataset.theme));
    observer.observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme'] });
    return () => observer.disconnect();
  }, []);
  return theme;
}

/** An earlier run drawn under the current one: its epoch curves, dashed. */
export interface ComparedSeries {
  name: string;
  series: LossSeries;
}

/**
 * Loss per step (smoothed) and per epoch, drawn on a canvas by uPlot so a long
 * run stays cheap to redraw. Epoch points are placed at the step they ended.
 * The epoch with the best validation loss (the one early stopping keeps) is
 * ringed and marked by a dashed vertical line.
 */
export function LossChart({
  series,
  compared,
  smoothing,
  logScale,
  height = 300,
}: {
  series: LossSeries;
  compared?: ComparedSeries;
  smoothing: number;
  logScale: boolean;
  height?: number;
}) {
  const host = useRef<HTMLDivElement>(null);
  const chart = useRef<uPlot | null>(null);
  const theme = useTheme();
  const best = bestEpochIndex(series.epochVal);
  const bestStep = best === null ? null : series.epochSteps[best]!;
  // Read by the draw hook, which the chart keeps from its creation.
  const bestStepRef = useRef(bestStep);
  bestStepRef.current = bestStep;

  const data = (): uPlot.AlignedData => {
    const other = compared?.series;
    const xs = [...new Set([...series.steps, ...series.epochSteps, ...(other?.epochSteps ?? [])])].sort((a, b) => a - b);
    const at = new Map(xs.map((x, i) => [x, i]));
    const smoothed = smooth(series.stepLoss, smoothing);
    const col = (pairs: Array<[number, number | null]>) => {
      const out: Array<number | null> = new Array(xs.length).fill(null);
      for (const [x, y] of pairs) out[at.get(x)!] = y;
      return out;
    };
    return [
      xs,
      col(series.steps.map((s, i) => [s, smoothed[i]!])),
      col(series.epochSteps.map((s, i) => [s, series.epochTrain[i]!])),
      col(series.epochSteps.map((s, i) => [s, series.epochVal[i] ?? null])),
      col(best === null ? [] : [[series.epochSteps[best]!, series.epochVal[best]!]]),
      ...(other
        ? [
            col(other.epochSteps.map((s, i) => [s, other.epochTrain[i]!])),
            col(other.epochSteps.map((s, i) => [s, other.epochVal[i] ?? null])),
          ]
        : []),
    ] as uPlot.AlignedData;
  };

  useEffect(() => {
    if (!host.current) return;
    const styles = getComputedStyle(document.documentElement);
    const color = (name: string) => styles.getPropertyValue(name).trim();
    const bestColor = color('--ham') || '#2b8a3e';
    const options: uPlot.Options = {
      width: host.current.clientWidth || 600,
      height,
      scales: { x: { time: false }, y: { distr: logScale ? 3 : 1 } },
      axes: [
        // Steps are whole numbers: never a tick at step 1.2.
        { label: 'step', stroke: color('--muted'), grid: { stroke: color('--border') }, incrs: STEP_INCREMENTS },
        { label: 'BCE loss', stroke: color('--muted'), grid: { stroke: color('--border') } },
      ],
      series: [
        { label: 'step' },
        { label: 'train (per step)', stroke: '#8da2fb', width: 1.5, spanGaps: true, points: { show: false } },
        { label: 'train (epoch mean)', stroke: '#3b5bdb', width: 2, spanGaps: true, points: { show: true, size: 6 } },
        { label: 'validation (epoch)', stroke: '#e8590c', width: 2, spanGaps: true, points: { show: true, size: 6 } },
        {
          label: 'best epoch (kept)',
          stroke: bestColor,
          width: 2.5,
          paths: () => null,
          points: { show: true, size: 15, width: 2.5, stroke: bestColor, fill: 'transparent' },
        },
        ...(compared
          ? [
              { label: `${compared.name} train`, stroke: '#3b5bdb', width: 1.5, dash: [6, 4], spanGaps: true, points: { show: false } },
              {
                label: `${compared.name} validation`,
                stroke: '#e8590c',
                width: 1.5,
                dash: [6, 4],
                spanGaps: true,
                points: { show: false },
              },
            ]
          : []),
      ],
      cursor: { drag: { x: true, y: false } },
      legend: { live: true },
      hooks: {
        draw: [
          (u) => {
            const step = bestStepRef.current;
            if (step === null) return;
            const x = u.valToPos(step, 'x', true);
            const ctx = u.ctx;
            ctx.save();
            ctx.strokeStyle = bestColor;
            ctx.lineWidth = 1.5 * devicePixelRatio;
            ctx.setLineDash([5 * devicePixelRatio, 4 * devicePixelRatio]);
            ctx.beginPath();
            ctx.moveTo(x, u.bbox.top);
            ctx.lineTo(x, u.bbox.top + u.bbox.height);
            ctx.stroke();
            ctx.restore();
          },
        ],
      },
    };
    const element = host.current;
    chart.current = new uPlot(options, data(), element);
    // The element itself, not the ref: a resize can be reported after React has let go of the ref.
    const observer = new ResizeObserver(() => chart.current?.setSize({ width: element.clientWidth, height }));
    observer.observe(element);
    return () => {
      observer.disconnect();
      chart.current?.destroy();
      chart.current = null;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [logScale, height, compared?.name, theme]);

  useEffect(() => {
    chart.current?.setData(data());
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [series, compared?.series, smoothing]);

  return (
    <div
      ref={host}
      data-testid="loss-chart"
      data-best-epoch={best === null ? undefined : best + 1}
      data-best-step={bestStep ?? undefined}
    />
  );
}
