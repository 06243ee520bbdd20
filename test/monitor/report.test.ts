// The monitor's numbers on a handmade database, against a reference computed
// here; and the statistics under it, against SciPy's figures and by simulation.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MonitorReport } from '../../shared/contract';
import { BackendInternals, openApiWithInternals } from '../../electron/backend/api/backend';
import {
  DRIFT_ALPHA,
  driftPValue,
  meanInterval,
  MIN_COUNT,
  periodOf,
  studentQuantile,
  studentUpperTail,
  welchOneSided,
} from '../../electron/backend/evaluation/drift';
import { mulberry32, recencyWeights, withoutOldest } from '../../electron/backend/training/split';
import { tempDir } from '../support/cli';

const DAY = 86_400_000;

describe('drift statistics', () => {
  it('names periods as UTC months and ISO weeks', () => {
    expect(periodOf(Date.UTC(2002, 7, 20, 23, 59), 'month')).toEqual({ period: '2002-08', start: Date.UTC(2002, 7, 1) });
    // 2002-08-20 is a Tuesday in ISO week 34, which starts on Monday the 19th.
    expect(periodOf(Date.UTC(2002, 7, 20), 'week')).toEqual({ period: '2002-W34', start: Date.UTC(2002, 7, 19) });
    // 2004-01-01 (a Thursday) is in 2004-W01; 2005-01-01 (a Saturday) is still in 2004-W53.
    expect(periodOf(Date.UTC(2004, 0, 1), 'week').period).toBe('2004-W01');
    expect(periodOf(Date.UTC(2005, 0, 1), 'week').period).toBe('2004-W53');
    expect(periodOf(Date.UTC(2002, 11, 30), 'week').period).toBe('2003-W01');
  });

  it("agree with SciPy: Student's t tail and quantile, Welch's one-sided test", () => {
    expect(studentUpperTail(2, 10)).toBeCloseTo(0.03669401738537018, 10);
    expect(studentUpperTail(-1.3, 3.5)).toBeCloseTo(0.8637022920978149, 10);
    expect(studentQuantile(0.025, 29)).toBeCloseTo(2.045229642132703, 6);
    const welch = welchOneSided([0.1, 0.5, 2.0, 0.05, 3.1, 0.7], [0.02, 0.2, 0.01, 0.4, 0.3, 0.05, 0.1]);
    expect(welch.t).toBeCloseTo(1.8382257211183648, 10);
    expect(welch.pValue).toBeCloseTo(0.061970212993120874, 8);
  });

  it('the permutation test keeps its false-alarm rate on heavy-tailed losses from one distribution, and finds a real rise', () => {
    const random = mulberry32(3);
    // Like BCE on mail: most losses tiny, a share of confident mistakes (3% in the holdout) up to the clip at 16.1 nats.
    const loss = (mistakes: number) => {
      const u = random();
      if (u < 0.93 - mistakes) return -Math.log(1 - 0.05 * random());
      if (u < 1 - mistakes) return 0.05 + random();
      return Math.min(16.1, 2 - 3 * Math.log(random()));
    };
    const trials = 400;
    let falseAlarms = 0;
    let alarms = 0;
    for (let t = 0; t < trials; t++) {
      const baseline = Array.from({ length: 160 }, () => loss(0.03));
      if (
        driftPValue(
          Array.from({ length: 250 }, () => loss(0.03)),
          baseline,
          999,
        ) < DRIFT_ALPHA
      )
        falseAlarms++;
      if (
        driftPValue(
          Array.from({ length: 250 }, () => loss(0.2)),
          baseline,
          999,
        ) < DRIFT_ALPHA
      )
        alarms++;
    }
    console.log(`simulated: ${falseAlarms}/${trials} false alarms, ${alarms}/${trials} alarms on a rise (α = ${DRIFT_ALPHA})`);
    // Binomial(400, 0.01): 12 or more has probability below 0.1%.
    expect(falseAlarms).toBeLessThan(12);
    expect(alarms).toBeGreaterThan(trials * 0.8);
  });

  it('gives a band around the mean and the same band for the same losses', () => {
    const losses = Array.from({ length: 200 }, (_, i) => (i % 17 === 0 ? 5 : 0.01 * (i % 7)));
    const band = meanInterval(losses);
    expect(band.low).toBeLessThan(band.mean);
    expect(band.high).toBeGreaterThan(band.mean);
    expect(meanInterval(losses)).toEqual(band);
  });

  it('weighs recent mail up and leaves the oldest of each class out', () => {
    const times = [0, 10 * DAY, 20 * DAY, 30 * DAY];
    const w = recencyWeights(times, [0, 1, 2, 3], 10)!;
    expect(w[3]! / w[2]!).toBeCloseTo(2, 10);
    expect(w[3]! / w[0]!).toBeCloseTo(8, 10);
    expect(Array.from(w).reduce((a, b) => a + b, 0)).toBeCloseTo(4, 10);
    expect(recencyWeights(times, [0, 1, 2, 3], 0)).toBeNull();
    // Targets: four spam (times 4, 3, 2, 1) and four ham (times 1…4); half of each class's oldest go.
    expect(withoutOldest([1, 1, 1, 1, 0, 0, 0, 0], [4, 3, 2, 1, 1, 2, 3, 4], 0.5)).toEqual([0, 1, 6, 7]);
    expect(withoutOldest([1, 1, 0, 0], [1, 2, 1, 2], 0.9)).toEqual([0, 1, 2, 3]);
  });
});

/** The handmade database: a run trained at T0 with a holdout in August 2002, and mail labeled after it in September and October. */
const T0 = Date.UTC(2024, 0, 1);
const AUG = (day: number) => Date.UTC(2002, 7, day);
const SEP = (day: number) => Date.UTC(2002, 8, day);
const OCT = (day: number) => Date.UTC(2002, 9, day);

interface Made {
  label: 'spam' | 'ham';
  probability: number;
  date: number | null;
  kind: 'train' | 'holdout' | 'later' | 'unlabeled';
  labeledAt?: number;
}

function handmade(): Made[] {
  const random = mulberry32(11);
  const made: Made[] = [];
  // 40 held out in August: the model is right and fairly sure.
  for (let i = 0; i < 40; i++) {
    const spam = i % 2 === 0;
    const sure = 0.7 + 0.29 * random();
    made.push({ label: spam ? 'spam' : 'ham', probability: spam ? sure : 1 - sure, date: AUG(1 + (i % 28)), kind: 'holdout' });
  }
  for (let i = 0; i < 20; i++) made.push({ label: i % 2 ? 'spam' : 'ham', probability: i % 2 ? 0.99 : 0.01, date: AUG(1), kind: 'train' });
  // 35 labeled in September, like the holdout; 35 in October, often wrong (1e-9 is clipped to 1e-7).
  for (let i = 0; i < 35; i++) {
    const spam = i % 3 === 0;
    const sure = 0.7 + 0.29 * random();
    made.push({
      label: spam ? 'spam' : 'ham',
      probability: spam ? sure : 1 - sure,
      date: SEP(1 + (i % 28)),
      kind: 'later',
      labeledAt: T0 + DAY,
    });
    const wrong = i % 4 === 0;
    made.push({
      label: spam ? 'spam' : 'ham',
      probability: wrong ? (spam ? (i === 0 ? 1e-9 : 0.2) : 0.6) : spam ? 0.8 : 0.3,
      date: OCT(1 + (i % 28)),
      kind: 'later',
      labeledAt: T0 + 40 * DAY,
    });
  }
  // One without a date: in the label-time view and the recent window, not by message date.
  made.push({ label: 'ham', probability: 0.4, date: null, kind: 'later', labeledAt: T0 + 41 * DAY });
  // Unlabeled, after the training mail: three in the default band [0.1, 0.9), one not; one older, not counted.
  for (const p of [0.2, 0.5, 0.85, 0.95]) made.push({ label: 'ham', probability: p, date: OCT(20), kind: 'unlabeled' });
  made.push({ label: 'ham', probability: 0.5, date: AUG(2), kind: 'unlabeled' });
  return made;
}

describe('monitor.report on a handmade database', () => {
  const dir = tempDir('monitor-report');
  let backend: BackendInternals;
  const made = handmade();
  beforeAll(async () => {
    backend = await openApiWithInternals({ dbPath: path.join(dir, 'spamlab.db'), indexSearchInBackground: false });
    const db = backend.context.db;
    db.prepare(
      `INSERT INTO runs (id, name, status, settings_json, created_at, finished_at, tokenizer_version, model, threshold, holdout_json)
       VALUES (1, 'made', 'completed', '{}', ?, ?, 1, x'00', 0.5, ?)`,
    ).run(T0, T0 + 1000, JSON.stringify({ kind: 'newest', count: 40, from: AUG(1), to: AUG(28) }));
    made.forEach((m, i) => {
      const id = i + 1;
      db.prepare(`INSERT INTO messages (id, content_hash, source, imported_at, date) VALUES (?, ?, 'made', ?, ?)`).run(
        id,
        `hash-${id}`,
        T0 + 50 * DAY,
        m.date,
      );
      db.prepare('INSERT INTO scores (run_id, message_id, probability) VALUES (1, ?, ?)').run(id, m.probability);
      if (m.kind === 'unlabeled') return;
      db.prepare('INSERT INTO labels (message_id, label, updated_at) VALUES (?, ?, ?)').run(id, m.label, m.labeledAt ?? T0 - DAY);
      if (m.kind !== 'later') {
        db.prepare('INSERT INTO predictions (run_id, message_id, split, label, probability, loss) VALUES (1, ?, ?, ?, ?, 0)').run(
          id,
          m.kind === 'holdout' ? 'validation' : 'train',
          m.label,
          m.probability,
        );
      }
    });
  });
  afterAll(async () => {
    await backend.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const call = async (by: 'week' | 'month'): Promise<MonitorReport> => {
    const result = await backend.handle('monitor.report', { by });
    if (!result.ok) throw new Error(result.error.message);
    return result.value as MonitorReport;
  };
  const bce = (m: Made) => {
    const p = Math.min(1 - 1e-7, Math.max(1e-7, m.probability));
    return m.label === 'spam' ? -Math.log(p) : -Math.log(1 - p);
  };
  const avg = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

  it('gives each month its count, BCE, band, ham flagged and spam missed, and alarms on October only', async () => {
    const report = await call('month');
    const holdout = made.filter((m) => m.kind === 'holdout');
    expect(report.runId).toBe(1);
    expect(report.threshold).toBe(0.5);
    expect(report.baseline).toEqual({ bce: expect.closeTo(avg(holdout.map(bce)), 12), count: 40, from: AUG(1), to: AUG(28) });
    const months = [
      ['2002-08', AUG(1), holdout],
      ['2002-09', SEP(1), made.filter((m) => m.kind === 'later' && m.date !== null && m.date < OCT(1))],
      ['2002-10', OCT(1), made.filter((m) => m.kind === 'later' && m.date !== null && m.date >= OCT(1))],
    ] as const;
    expect(report.byMessageDate.map((p) => p.period)).toEqual(months.map(([period]) => period));
    months.forEach(([period, start, mail], k) => {
      const point = report.byMessageDate[k]!;
      const ham = mail.filter((m) => m.label === 'ham');
      const spam = mail.filter((m) => m.label === 'spam');
      const band = meanInterval(mail.map(bce));
      expect(point).toEqual({
        period,
        start,
        count: mail.length,
        ham: ham.length,
        spam: spam.length,
        bce: expect.closeTo(avg(mail.map(bce)), 12),
        bceLow: expect.closeTo(band.low, 12),
        bceHigh: expect.closeTo(band.high, 12),
        hamFlagged: ham.filter((m) => m.probability >= 0.5).length / ham.length,
        spamMissed: spam.filter((m) => m.probability < 0.5).length / spam.length,
        alarm: period === '2002-10',
      });
    });
    // The clip: the spam scored 1e-9 costs −ln(1e-7).
    expect(Math.max(...months[2][2].map(bce))).toBeCloseTo(-Math.log(1e-7), 10);

    // By label time: two periods of 35 (and the undated one with October's).
    expect(report.byLabelTime.map((p) => [p.period, p.count])).toEqual([
      ['2024-01', 35],
      ['2024-02', 36],
    ]);
    const later = made.filter((m) => m.kind === 'later');
    expect(report.drift.recentCount).toBe(later.length);
    expect(report.drift.recentBce).toBeCloseTo(avg(later.map(bce)), 12);
    expect(report.drift.pValue).toBe(driftPValue(later.map(bce), holdout.map(bce)));
    expect(report.drift.alarm).toBe(report.drift.pValue! < DRIFT_ALPHA);
    expect(report.drift.verdict).toMatch(report.drift.alarm ? /^drifting: / : /^healthy: /);
    expect(report.unsure).toEqual({ count: 4, share: 3 / 4, low: 0.1, high: 0.9 });
  });

  it('groups by ISO week, and says when there is not enough mail', async () => {
    const report = await call('week');
    expect(report.byMessageDate.every((p) => /^2002-W\d{2}$/.test(p.period))).toBe(true);
    expect(report.byMessageDate.reduce((sum, p) => sum + p.count, 0)).toBe(40 + 70);
    // No week holds 30 later messages: no per-week alarm.
    expect(report.byMessageDate.some((p) => p.alarm)).toBe(false);

    const db = backend.context.db;
    db.prepare(`UPDATE labels SET updated_at = ? WHERE updated_at > ? AND updated_at < ?`).run(T0 - DAY, T0, T0 + 40 * DAY);
    db.prepare(`DELETE FROM labels WHERE updated_at >= ? AND message_id % 3 <> 0`).run(T0 + 40 * DAY);
    const few = await call('month');
    expect(few.drift.recentCount).toBeLessThan(MIN_COUNT);
    expect(few.drift).toMatchObject({ alarm: false, pValue: null });
    expect(few.drift.verdict).toMatch(new RegExp(`^not enough mail to say: ${few.drift.recentCount} labeled since the run`));
  });

  it('refuses an unknown period and a run that does not exist', async () => {
    expect(await backend.handle('monitor.report', { by: 'day' })).toMatchObject({ ok: false, error: { kind: 'invalid-request' } });
    expect(await backend.handle('monitor.report', { by: 'month', runId: 99 })).toMatchObject({ ok: false, error: { kind: 'not-found' } });
  });
});
