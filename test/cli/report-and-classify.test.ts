// What `spamlab report` says about a run with nothing to report on, how it
// prints a precision that does not exist, and the bounds of
// `classify --unsure-below`. The real CLI as a child process, real SpamAssassin mail.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadCorpus, writeMbox } from '../support/corpus';
import { spamlab, tempDir } from '../support/cli';
import { dbWithModel } from '../support/model-db';

const dir = tempDir('report');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const corpus = loadCorpus({ perGroup: 24 });
const message = path.join(dir, 'message.eml');
fs.writeFileSync(message, corpus.find((m) => m.label === 'spam')!.bytes);

/** A database whose only run is an imported logistic model (threshold 0.5), as `spamlab import-model` stores one. */
const dbWithImportedModel = (name: string) => dbWithModel(dir, name, 0.001, 'shared filter');

describe('spamlab report on an imported model', () => {
  it('says the run has no held-out predictions instead of printing zero metrics', () => {
    const db = dbWithImportedModel('imported.db');
    const report = spamlab(['report', '--db', db]);
    expect(report.status, report.stderr).toBe(0);
    expect(report.stdout).toMatch(/^run 1 "shared filter": completed/);
    expect(report.stdout).toContain('no held-out predictions (an imported model)');
    expect(report.stdout).not.toMatch(/0 messages|precision|AUC/);
    const json = JSON.parse(spamlab(['report', '--db', db, '--json']).stdout);
    expect(json.metrics.count).toBe(0);
  });
});

describe('spamlab report when nothing is predicted spam', () => {
  it('prints precision as n/a, not 0', () => {
    const db = path.join(dir, 'trained.db');
    const mbox = (label: string) => path.join(dir, `${label}.mbox`);
    for (const label of ['spam', 'ham'] as const) {
      writeMbox(
        mbox(label),
        corpus.filter((m) => m.label === label),
      );
      expect(spamlab(['import', mbox(label), '--label', label, '--db', db]).status).toBe(0);
    }
    const trained = spamlab(['train', '--db', db, '--epochs', '2', '--holdout', 'random', '--json']);
    expect(trained.status, trained.stderr).toBe(0);
    const report = spamlab(['report', '--db', db, '--threshold', '1']);
    expect(report.status, report.stderr).toBe(0);
    expect(report.stdout).toMatch(/ tp 0 {2}fp 0 /);
    expect(report.stdout).toMatch(/ precision n\/a {2}recall 0\.0000 /);
    const atHalf = spamlab(['report', '--db', db, '--threshold', '0.5']);
    expect(atHalf.stdout).toMatch(/ precision \d\.\d{4} /);

    // `spamlab runs` says at which threshold its rates are, and when the run's threshold has moved since.
    const runs = spamlab(['runs', '--db', db]);
    expect(runs.stdout).toMatch(/; at threshold 0\.9: accuracy /);
    expect(runs.stdout).not.toContain('its threshold is now');
    expect(spamlab(['policy', '--db', db, '--unsure', '0.2..0.7']).status).toBe(0);
    expect(spamlab(['runs', '--db', db]).stdout).toMatch(
      /; at threshold 0\.9: accuracy [^\n]*\n {4}\(its threshold is now 0\.7: `spamlab report --run 1`/,
    );
  });
});

describe('classify --unsure-below', () => {
  const db = dbWithImportedModel('classify.db');

  it('refuses a value outside [0, 1], naming the flag, with exit 2 (3 under --exit-status)', () => {
    for (const value of ['1.5', '-0.1']) {
      const refused = spamlab(['classify', '--db', db, `--unsure-below=${value}`, message]);
      expect(refused.status).toBe(2);
      expect(refused.stderr).toContain(`--unsure-below: expected a probability from 0 to 1, got "${value}"`);
      expect(refused.stdout).toBe('');
      expect(spamlab(['classify', '--db', db, '--exit-status', `--unsure-below=${value}`, message]).status).toBe(3);
    }
  });

  it('refuses a value above the run’s threshold, as the policy does', () => {
    const refused = spamlab(['classify', '--db', db, '--unsure-below', '0.7', message]);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain('--unsure-below: 0.7 is above the threshold of run 1 (0.5)');
    expect(refused.stdout).toBe('');
    expect(spamlab(['classify', '--db', db, '--unsure-below', '0.5', message]).status).toBe(0);
    expect(spamlab(['classify', '--db', db, '--unsure-below', '0', message]).status).toBe(0);
  });
});
