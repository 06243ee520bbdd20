// The command line end to end on real SpamAssassin mail: real files, real
// SQLite, the real training worker.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCorpus, stratifiedSplit, writeEmlFolder, writeMbox } from '../support/corpus';
import { spamlab, tempDir } from '../support/cli';
import { computeMetrics } from '../../electron/backend/evaluation/metrics';
import { openStore } from '../../electron/backend/store/open';

const dir = tempDir('cli');
const db = path.join(dir, 'spamlab.db');
const { train, test } = stratifiedSplit(loadCorpus({ perGroup: 120 }), 0.2, 7);
const testDir = path.join(dir, 'test');

beforeAll(() => {
  writeMbox(
    path.join(dir, 'spam.mbox'),
    train.filter((m) => m.label === 'spam'),
  );
  writeMbox(
    path.join(dir, 'ham.mbox'),
    train.filter((m) => m.label === 'ham'),
  );
  fs.mkdirSync(testDir);
  writeEmlFolder(testDir, test);
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('spamlab CLI on the SpamAssassin corpus', () => {
  it('prints help', () => {
    const result = spamlab(['--help']);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/spamlab import PATH/);
  });

  it('imports labeled mboxes, reports duplicates on a second import, and counts them', () => {
    const first = spamlab(['import', path.join(dir, 'spam.mbox'), '--label', 'spam', '--db', db, '--json']);
    expect(first.status, first.stderr).toBe(0);
    const summary = JSON.parse(first.stdout);
    expect(summary.imported + summary.duplicates).toBe(train.filter((m) => m.label === 'spam').length);
    expect(summary.failed).toBe(0);
    expect(spamlab(['import', path.join(dir, 'ham.mbox'), '--label', 'ham', '--db', db]).status).toBe(0);
    const again = JSON.parse(spamlab(['import', path.join(dir, 'spam.mbox'), '--db', db, '--json']).stdout);
    expect(again.imported).toBe(0);
    expect(again.duplicates).toBe(summary.imported + summary.duplicates);
    const stats = JSON.parse(spamlab(['stats', '--db', db, '--json']).stdout);
    expect(stats.spam).toBe(train.filter((m) => m.label === 'spam').length);
    expect(stats.ham).toBeGreaterThan(250);
  });

  it('trains the default model and classifies held-out mail well, as JSON lines', () => {
    const trained = spamlab(['train', '--db', db, '--json']);
    expect(trained.status, trained.stderr).toBe(0);
    const run = JSON.parse(trained.stdout);
    expect(run.status).toBe('completed');
    expect(['wasm', 'cpu', 'tensorflow']).toContain(run.backend);
    expect(run.validationMetrics.rocAuc).toBeGreaterThan(0.95);

    const files = test.map((m) => path.join(testDir, `${m.name}.eml`));
    const classified = spamlab(['classify', ...files, '--db', db, '--json']);
    expect(classified.status, classified.stderr).toBe(0);
    const lines = classified.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines).toHaveLength(files.length);
    expect(lines[0]).toEqual({
      file: files[0],
      probability: expect.any(Number),
      label: expect.stringMatching(/^(spam|ham)$/),
      runId: run.id,
    });
    const metrics = computeMetrics(
      lines.map((l) => l.probability),
      test.map((m) => (m.label === 'spam' ? 1 : 0)),
      0.5,
    );
    expect(metrics.rocAuc).toBeGreaterThan(0.98);
    expect(metrics.accuracy).toBeGreaterThan(0.93);
  });

  it('classifies stdin, with bogofilter-style exit codes under --exit-status', () => {
    const spam = test.find((m) => m.label === 'spam')!;
    const ham = test.find((m) => m.label === 'ham')!;
    const spamResult = spamlab(['classify', '--db', db, '--exit-status'], { input: spam.bytes });
    const hamResult = spamlab(['classify', '--db', db, '--exit-status'], { input: ham.bytes });
    expect([spamResult.status, hamResult.status]).toEqual([0, 1]);
    expect(spamResult.stdout).toMatch(/^-\tspam\t/);
    expect(spamlab(['classify', '--db', db], { input: spam.bytes }).status).toBe(0);
    const unsure = spamlab(['classify', '--db', db, '--exit-status', '--unsure-below', '0'], { input: ham.bytes });
    expect(unsure.status).toBe(2);
  });

  it('labels mail from stdin or files: relabels a stored message with history, imports a new one', () => {
    const stored = train.find((m) => m.label === 'ham')!;
    const relabeled = spamlab(['label', '--as', 'spam', '--db', db, '--json'], { input: stored.bytes });
    expect(relabeled.status, relabeled.stderr).toBe(0);
    const result = JSON.parse(relabeled.stdout);
    expect(result).toMatchObject({ file: '-', label: 'spam', previous: 'ham', imported: false });
    const back = spamlab(['label', '--as', 'ham', '--db', db], { input: stored.bytes });
    expect(back.stdout).toBe('-\tham\twas spam\n');
    const store = openStore(db);
    const history = store
      .prepare('SELECT label, previous, origin FROM label_events WHERE message_id = ? ORDER BY id')
      .all(result.messageId);
    store.close();
    expect(history.slice(-2)).toEqual([
      { label: 'spam', previous: 'ham', origin: 'cli' },
      { label: 'ham', previous: 'spam', origin: 'cli' },
    ]);

    const fresh = path.join(dir, 'fresh.eml');
    fs.writeFileSync(fresh, 'From: someone@example.org\nSubject: brand new\n\nA message spamlab has never seen.\n');
    const before = JSON.parse(spamlab(['stats', '--db', db, '--json']).stdout);
    const imported = spamlab(['label', '--as', 'ham', fresh, '--db', db]);
    expect(imported.stdout).toBe(`${fresh}\tham\timported\n`);
    const after = JSON.parse(spamlab(['stats', '--db', db, '--json']).stdout);
    expect([after.messages - before.messages, after.ham - before.ham]).toEqual([1, 1]);

    const bad = spamlab(['label', '--as', 'maybe', fresh, '--db', db]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/--as must be spam, ham or none, not "maybe"/);
  });

  it('exports the labeled dataset as mboxes that import back to the same messages and labels', () => {
    const out = path.join(dir, 'exported');
    const exported = spamlab(['export-labels', '--out', out, '--db', db, '--json']);
    expect(exported.status, exported.stderr).toBe(0);
    const written = JSON.parse(exported.stdout);
    const stats = JSON.parse(spamlab(['stats', '--db', db, '--json']).stdout);
    expect([written.spam, written.ham, written.records]).toEqual([stats.spam, stats.ham, 0]);

    const copy = path.join(dir, 'copy.db');
    expect(spamlab(['import', path.join(out, 'spam.mbox'), '--label', 'spam', '--db', copy]).status).toBe(0);
    expect(spamlab(['import', path.join(out, 'ham.mbox'), '--label', 'ham', '--db', copy]).status).toBe(0);
    const copied = JSON.parse(spamlab(['stats', '--db', copy, '--json']).stdout);
    expect([copied.spam, copied.ham]).toEqual([stats.spam, stats.ham]);
    // The same content hashes: importing the export into the original finds only duplicates.
    const again = JSON.parse(spamlab(['import', path.join(out, 'spam.mbox'), '--db', db, '--json']).stdout);
    expect([again.imported, again.duplicates, again.failed]).toEqual([0, written.spam, 0]);

    const refused = spamlab(['export-labels', '--out', out, '--db', db]);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain('spam.mbox already exists');
  });

  it('lists runs, reports metrics and exports a model file', () => {
    expect(spamlab(['runs', '--db', db]).stdout).toMatch(/^\* run 1 /);
    const report = JSON.parse(spamlab(['report', '--db', db, '--json', '--threshold', '0.9']).stdout);
    expect(report.metrics.threshold).toBe(0.9);
    const out = path.join(dir, 'model.spamlab');
    expect(spamlab(['export', '--db', db, '--out', out]).status).toBe(0);
    expect(fs.statSync(out).size).toBeGreaterThan(1000);

    const otherDb = path.join(dir, 'other.db');
    const imported = spamlab(['import-model', out, '--db', otherDb, '--name', 'shared filter']);
    expect(imported.status, imported.stderr).toBe(0);
    const spam = test.find((m) => m.label === 'spam')!;
    expect(spamlab(['classify', '--db', otherDb, '--exit-status'], { input: spam.bytes }).status).toBe(0);

    const corrupt = path.join(dir, 'corrupt.spamlab');
    const bytes = fs.readFileSync(out);
    bytes[200] ^= 0xff;
    fs.writeFileSync(corrupt, bytes);
    const refused = spamlab(['import-model', corrupt, '--db', otherDb]);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain(`${corrupt}: the model file is corrupt (checksum mismatch)`);
    const foreign = spamlab(['import-model', path.join(dir, 'spam.mbox'), '--db', otherDb]);
    expect(foreign.stderr).toContain('not a spamlab model file');
  });
});

describe('spamlab CLI errors', () => {
  it('exits 2 with a message for bad usage and bad input', () => {
    const unknown = spamlab(['frobnicate']);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toMatch(/unknown command "frobnicate"/);
    const badLabel = spamlab(['import', dir, '--label', 'maybe', '--db', db]);
    expect(badLabel.status).toBe(2);
    expect(badLabel.stderr).toMatch(/--label: expected spam or ham, got "maybe"/);
    const missing = spamlab(['import', path.join(dir, 'nope.mbox'), '--db', db]);
    expect(missing.status).toBe(2);
    expect(missing.stdout + missing.stderr).toMatch(/nope\.mbox/);
    const badEpochs = spamlab(['train', '--epochs', '0', '--db', db]);
    expect(badEpochs.status).toBe(2);
    expect(badEpochs.stderr).toMatch(/epochs/);
    const noModel = spamlab(['classify', '--db', path.join(dir, 'empty.db')], { input: 'Subject: hi\n\nhello' });
    expect(noModel.status).toBe(2);
    expect(noModel.stderr).toMatch(/no trained model yet/);
    const unreadable = spamlab(['classify', path.join(dir, 'absent.eml'), '--db', db]);
    expect(unreadable.status).toBe(2);
    expect(unreadable.stderr).toMatch(/absent\.eml: cannot read \(ENOENT\)/);
  });
});
