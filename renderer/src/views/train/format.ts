// How the Train view writes a run's figures. A figure with nothing to divide
// by is "n/a", never 0: precision when nothing was called spam, F1 when
// precision or recall is undefined, a class's error rate with none of it held out.
import type { Metrics } from '../../../../shared/types';

export const NA = 'n/a';
export const pct = (v: number) => `${(v * 100).toFixed(2)}%`;

export type FigureName = 'accuracy' | 'precision' | 'recall' | 'f1' | 'hamLost' | 'spamMissed' | 'rocAuc' | 'prAuc' | 'logLoss' | 'ece';

/** Why a figure is undefined for these metrics, or null when it is defined. */
export function undefinedBecause(m: Metrics, name: FigureName): string | null {
  const { tp, fp, tn, fn } = m.confusion;
  const spam = tp + fn;
  const ham = fp + tn;
  switch (name) {
    case 'precision':
      return tp + fp === 0 ? 'nothing was called spam' : null;
    case 'recall':
    case 'spamMissed':
      return spam === 0 ? 'no spam held out' : null;
    case 'hamLost':
      return ham === 0 ? 'no ham held out' : null;
    case 'f1':
      return tp + fp === 0
        ? 'nothing was called spam: precision is undefined'
        : spam === 0
          ? 'no spam held out: recall is undefined'
          : null;
    case 'rocAuc':
    case 'prAuc':
      return spam === 0 || ham === 0 ? 'needs both classes held out' : null;
    default:
      return m.count === 0 ? 'nothing held out' : null;
  }
}

/** The figure's value, or null when undefined. */
export function figureValue(m: Metrics, name: FigureName): number | null {
  if (undefinedBecause(m, name)) return null;
  const values: Record<FigureName, number> = {
    accuracy: m.accuracy,
    precision: m.precision,
    recall: m.recall,
    f1: m.f1,
    hamLost: m.hamMisclassifiedPct,
    spamMissed: m.spamMisclassifiedPct,
    rocAuc: m.rocAuc,
    prAuc: m.prAuc,
    logLoss: m.logLoss,
    ece: m.ece,
  };
  return values[name];
}

const FORMATS: Record<FigureName, (v: number) => string> = {
  accuracy: pct,
  precision: pct,
  recall: pct,
  f1: (v) => v.toFixed(4),
  hamLost: (v) => `${v.toFixed(2)}%`,
  spamMissed: (v) => `${v.toFixed(2)}%`,
  rocAuc: (v) => v.toFixed(4),
  prAuc: (v) => v.toFixed(4),
  logLoss: (v) => v.toFixed(4),
  ece: (v) => v.toFixed(4),
};

export const formatFigure = (name: FigureName, value: number | null) => (value === null ? NA : FORMATS[name](value));
/** The figure as the UI writes it: "n/a" when undefined. */
export const figureText = (m: Metrics, name: FigureName) => formatFigure(name, figureValue(m, name));

/** The held-out messages of each class, from the confusion matrix. */
export const heldOutCounts = (m: Metrics) => ({ spam: m.confusion.tp + m.confusion.fn, ham: m.confusion.fp + m.confusion.tn });
