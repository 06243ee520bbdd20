// The drift monitor on real mail, through the real import, the real training
// worker, the door and the built command line. Older SpamAssassin mail trains
// a run; labeling newer mail must raise the alarm, labeling a random stream of
// the same size from the training period must not, over several seeds.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { MonitorReport } from '../../shared/contract';
import { DEFAULT_TRAIN_SETTINGS } from '../../shared/types';
import { BackendInternals, openApiWithInternals } from '../../electron/backend/api/backend';
import { importPaths } from '../../electron/backend/ingest/importer';
import { mulberry32, shuffle } from '../../electron/backend/training/split';
import { DRIFT_ALPHA } from '../../electron/backend/evaluation/drift';
import { loadCorpus, writeMbox } from '../support/corpus';
import { Dated, dated } from '../support/chrono';
import { spamlab, tempDir } from '../support/cli';

const dir = tempDir('monitor');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/**
 * The corpus's halves by date: spam-2 and easy-ham-2 are mostly May to mid-August 2002,
 * spam-1 and easy-ham-1 mostly late August to October 2002. Older: dated before 2002-08-15;
 * newer: dated from 2002-09-01 to 2002-11-01. Hard ham is left out (too few, and all older).
 */
const OLDER_BEFORE = Date.UTC(2002, 7, 15);
const NEWER_FROM = Date.UTC(2002, 8, 1);
const NEWER_UNTIL = Date.UTC(2002, 10, 1);
const corpus = dated(loadCorpus()).filter((m) => m.time !== null && m.group !== 'hard-ham-1');
const older = corpus.filter((m) => m.time! < OLDER_BEFORE);
const newer = corpus.filter((m) => m.time! >= NEWER_FROM && m.time! < NEWER_UNTIL);

/** Per class: training mail from the older half, a same-period stream and a newer stream, each stream the same size. */
const SIZES = { train: { spam: 450, ham: 500 }, stream: { spam: 150, ham: 300 } };
const SEEDS = [1, 2, 3, 4, 5];

function sample(seed: number) {
  const random = mulberry32(seed);
  const pick = (from: Dated[], label: 'spam' | 'ham') =>
    shuffle(
      from.filter((m) => m.label === label),
      random,
    );
  const parts = { train: [] as Dated[], same: [] as Dated[], newer: [] as Dated[] };
  for (const label of ['spam', 'ham'] as const) {
    const old = pick(older, label);
    parts.train.push(...old.slice(0, SIZES.train[label]));
    parts.same.push(...old.slice(SIZES.train[label], SIZES.train[label] + SIZES.stream[label]));
    parts.newer.push(...pick(newer, label).slice(0, SIZES.stream[label]));
  }
  return parts;
}

async function importAs(backend: BackendInternals, name: string, messages: Dated[], label?: 'spam' | 'ham') {
  const file = path.join(dir, `${name}.mbox`);
  writeMbox(file, messages);
  await importPaths(backend.context.db, [file], { label: label ?? null, origin: 'import' });
  return file;
}

/** Labels every message imported from `files` by the label in its file name, through the door. */
async function labelStream(backend: BackendInternals, files: Record<'spam' | 'ham', string>, label: boolean) {
  for (const which of ['spam', 'ham'] as const) {
    const ids = backend.context.db.prepare('SELECT id FROM messages WHERE source = ?').pluck().all(files[which]) as number[];
    for (const id of ids) {
      const result = await backend.handle('labels.set', { id, label: label ? which : null });
      if (!result.ok) throw new Error(result.error.message);
    }
  }
}

async function report(backend: BackendInternals): Promise<MonitorReport> {
  const result = await backend.handle('monitor.report', { by: 'month' });
  if (!result.ok) throw new Error(result.error.message);
  return result.value as MonitorReport;
}

const line = (r: MonitorReport) =>
  `recent ${r.drift.recentCount} BCE ${r.drift.recentBce?.toFixed(4)} vs holdout ${r.baseline?.bce.toFixed(4)} (n ${r.baseline?.count}) p ${r.drift.pValue?.toExponential(2)} alarm ${r.drift.alarm}`;

describe('drift monitor on SpamAssassin mail', () => {
  it('splits the corpus into an older and a newer half large enough for every seed', () => {
    for (const label of ['spam', 'ham'] as const) {
      expect(older.filter((m) => m.label === label).length).toBeGreaterThanOrEqual(SIZES.train[label] + SIZES.stream[label]);
      expect(newer.filter((m) => m.label === label).length).toBeGreaterThanOrEqual(SIZES.stream[label]);
    }
  });

  it(`alarms on newer mail and not on a same-period stream of the same size, over ${SEEDS.length} seeds; the command line agrees`, async () => {
    const outcome = { alarms: 0, falseAlarms: 0 };
    for (const seed of SEEDS) {
      const started = performance.now();
      const parts = sample(seed);
      const dbPath = path.join(dir, `seed-${seed}.db`);
      let backend = await openApiWithInternals({ dbPath, indexSearchInBackground: false });
      const files = { same: {} as Record<'spam' | 'ham', string>, newer: {} as Record<'spam' | 'ham', string> };
      for (const label of ['spam', 'ham'] as const) {
        await importAs(
          backend,
          `${seed}-train-${label}`,
          parts.train.filter((m) => m.label === label),
          label,
        );
        files.same[label] = await importAs(
          backend,
          `${seed}-same-${label}`,
          parts.same.filter((m) => m.label === label),
        );
      }
      const run = await backend.training.start({ ...DEFAULT_TRAIN_SETTINGS, seed }).finished;
      expect(run.status).toBe('completed');
      // The newer mail arrives after the run: the monitor scores it first.
      for (const label of ['spam', 'ham'] as const) {
        files.newer[label] = await importAs(
          backend,
          `${seed}-newer-${label}`,
          parts.newer.filter((m) => m.label === label),
        );
      }
      const before = await report(backend);
      expect(before.drift.alarm).toBe(false);
      expect(before.drift.verdict).toMatch(/^not enough mail to say/);
      expect(before.unsure.count).toBeGreaterThan(0);

      await labelStream(backend, files.same, true);
      const same = await report(backend);
      await labelStream(backend, files.same, false);
      await labelStream(backend, files.newer, true);
      const drifted = await report(backend);
      console.log(`seed ${seed}: same-period ${line(same)}\n        newer ${line(drifted)}`);
      expect(same.drift.recentCount).toBe(drifted.drift.recentCount);
      if (same.drift.alarm) outcome.falseAlarms++;
      if (drifted.drift.alarm) outcome.alarms++;

      if (seed === SEEDS[0]) {
        // The command line on both states: the backend is closed while it reads the database.
        await labelStream(backend, files.newer, false);
        await labelStream(backend, files.same, true);
        await backend.close();
        const healthy = spamlab(['monitor', '--db', dbPath, '--exit-status']);
        expect(healthy.stderr).toBe('');
        expect(healthy.status).toBe(same.drift.alarm ? 3 : 0);
        expect(healthy.stdout).toMatch(/^healthy: /m);
        const json = spamlab(['monitor', '--db', dbPath, '--json', '--by', 'week']);
        expect(json.status).toBe(0);
        const parsed = JSON.parse(json.stdout) as MonitorReport;
        expect(parsed.by).toBe('week');
        expect(parsed.byMessageDate.every((p) => /^\d{4}-W\d{2}$/.test(p.period))).toBe(true);
        const bad = spamlab(['monitor', '--db', dbPath, '--by', 'day']);
        expect(bad.status).toBe(2);
        expect(bad.stderr).toMatch(/--by: expected week or month, got "day"/);

        backend = await openApiWithInternals({ dbPath, indexSearchInBackground: false });
        await labelStream(backend, files.same, false);
        await labelStream(backend, files.newer, true);
        await backend.close();
        const flagged = spamlab(['monitor', '--db', dbPath, '--exit-status']);
        expect(flagged.status).toBe(drifted.drift.alarm ? 3 : 0);
        expect(flagged.stdout).toMatch(/^drifting: /m);
        console.log(flagged.stdout);
      } else await backend.close();
      console.log(`seed ${seed}: ${((performance.now() - started) / 1000).toFixed(1)} s`);
    }
    console.log(
      `drift alarms ${outcome.alarms}/${SEEDS.length} on newer mail; false alarms ${outcome.falseAlarms}/${SEEDS.length} on same-period mail (α = ${DRIFT_ALPHA})`,
    );
    expect(outcome.alarms).toBe(SEEDS.length);
    expect(outcome.falseAlarms).toBe(0);
  }, 120_000);
});
