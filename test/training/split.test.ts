import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { newestSplit, orderingTimes } from '../../electron/backend/training/split';

const DAY = 24 * 3600 * 1000;
const imported = Date.UTC(2026, 11, 1);

describe('newest holdout', () => {
  it('never trains on a message newer than one of its class it validates on, and holds out the share of each class', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ target: fc.integer({ min: 0, max: 1 }), time: fc.integer({ min: 0, max: 1000 }) }), {
          minLength: 4,
          maxLength: 200,
        }),
        fc.double({ min: 0.05, max: 0.5, noNaN: true }),
        (rows, share) => {
          const targets = rows.map((r) => r.target);
          const times = rows.map((r) => r.time);
          const { train, validation } = newestSplit(targets, times, share);
          expect([...train, ...validation].sort((a, b) => a - b)).toEqual(rows.map((_, i) => i));
          for (const cls of [0, 1]) {
            const trained = train.filter((i) => targets[i] === cls).map((i) => times[i]!);
            const held = validation.filter((i) => targets[i] === cls).map((i) => times[i]!);
            if (trained.length && held.length) expect(Math.max(...trained)).toBeLessThanOrEqual(Math.min(...held));
            const total = trained.length + held.length;
            if (total > 1) expect(held.length).toBe(Math.min(total - 1, Math.max(1, Math.round(total * share))));
          }
        },
      ),
    );
  });
});

describe('ordering times', () => {
  it('keeps plausible Date headers and puts missing or absurd ones where they were imported', () => {
    const d = (day: number) => Date.UTC(2002, 8, day);
    const times = orderingTimes([
      { date: null, importedAt: imported }, // first, undated: takes the first usable date
      { date: d(3), importedAt: imported },
      { date: Date.UTC(102, 6, 18), importedAt: imported }, // year 102: a broken header
      { date: imported + 30 * DAY, importedAt: imported }, // a month after it was stored
      { date: d(1), importedAt: imported },
      { date: imported + DAY, importedAt: imported }, // within clock skew: kept
    ]);
    expect([...times]).toEqual([d(3), d(3), d(3), d(3), d(1), imported + DAY]);
  });

  it('falls back to import order when no message has a usable date', () => {
    expect([
      ...orderingTimes([
        { date: null, importedAt: imported },
        { date: 5, importedAt: imported },
      ]),
    ]).toEqual([0, 1]);
  });
});
