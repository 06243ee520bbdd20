import { describe, expect, it } from 'vitest';
import { bce } from '../../shared/bce';
import {
  averagePrecision,
  bceFromLogit,
  calibrationBins,
  computeMetrics,
  expectedCalibrationError,
  rocAuc,
} from '../../electron/backend/evaluation/metrics';

describe('metrics', () => {
  it('computes BCE by hand, and stably from extreme logits', () => {
    expect(bce(0.8, 1)).toBeCloseTo(-Math.log(0.8), 12);
    expect(bce(0.8, 0)).toBeCloseTo(-Math.log(0.2), 12);
    expect(bceFromLogit(0, 1)).toBeCloseTo(Math.log(2), 12);
    expect(bceFromLogit(100, 1)).toBeCloseTo(0, 12);
    expect(bceFromLogit(100, 0)).toBeCloseTo(100, 9);
    expect(bceFromLogit(-100, 1)).toBeCloseTo(100, 9);
    expect(Number.isFinite(bce(0, 1))).toBe(true);
  });

  it('computes ROC AUC with ties counted half', () => {
    expect(rocAuc([0.9, 0.8, 0.3, 0.1], [1, 1, 0, 0])).toBe(1);
    expect(rocAuc([0.1, 0.2, 0.8, 0.9], [1, 1, 0, 0])).toBe(0);
    expect(rocAuc([0.5, 0.5, 0.5, 0.5], [1, 0, 1, 0])).toBe(0.5);
    // pairs (pos, neg): (0.8,0.6)=1 (0.8,0.4)=1 (0.4,0.6)=0 (0.4,0.4)=0.5 → 2.5/4
    expect(rocAuc([0.8, 0.4, 0.6, 0.4], [1, 1, 0, 0])).toBe(0.625);
    expect(rocAuc([0.3, 0.6], [1, 1])).toBe(0.5);
  });

  it('computes average precision', () => {
    expect(averagePrecision([0.9, 0.8, 0.7], [1, 0, 1])).toBeCloseTo((1 + 2 / 3) / 2, 12);
  });

  it('computes calibration error from bins', () => {
    const probabilities = [0.05, 0.05, 0.95, 0.95];
    expect(calibrationBins(probabilities, [0, 0, 1, 1], 10)).toEqual([
      { meanPredicted: 0.05, fractionPositive: 0, count: 2 },
      { meanPredicted: 0.95, fractionPositive: 1, count: 2 },
    ]);
    expect(expectedCalibrationError(probabilities, [0, 0, 1, 1])).toBeCloseTo(0.05, 12);
  });

  it('gives the confusion matrix and the mail-filter rates at a threshold', () => {
    const m = computeMetrics([0.9, 0.6, 0.4, 0.2, 0.7], [1, 1, 1, 0, 0], 0.5);
    expect(m.confusion).toEqual({ tp: 2, fn: 1, fp: 1, tn: 1 });
    expect(m.hamMisclassifiedPct).toBe(50);
    expect(m.spamMisclassifiedPct).toBeCloseTo(100 / 3, 12);
    expect(m.precision).toBeCloseTo(2 / 3, 12);
    expect(m.recall).toBeCloseTo(2 / 3, 12);
    expect(m.accuracy).toBe(0.6);
    expect(computeMetrics([0.9, 0.6, 0.4, 0.2, 0.7], [1, 1, 1, 0, 0], 0.95).confusion).toEqual({ tp: 0, fn: 3, fp: 0, tn: 2 });
  });
});
