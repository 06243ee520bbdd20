// Reading mbox, Maildir, folders, CSV and JSONL from real files, and what
// happens with broken ones.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readSources, SourceItem } from '../../electron/backend/ingest/sources';
import { importPaths } from '../../electron/backend/ingest/importer';
import { openStore } from '../../electron/backend/store/open';
import { ensureFeatures } from '../../electron/backend/features/cache';
import { loadCorpus, writeEmlFolder, writeMbox } from '../support/corpus';
import { tempDir } from '../support/cli';

const dir = tempDir('ingest');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

async function collect(paths: string[], labelGiven = false): Promise<SourceItem[]> {
  const items: SourceItem[] = [];
  for await (const item of readSources(paths, { labelGiven })) items.push(item);
  return items;
}

const sample = loadCorpus({ perGroup: 10 });

describe('mbox', () => {
  const file = path.join(dir, 'sample.mbox');
  writeMbox(file, sample);

  it('yields every message at its byte offset, with ">From " lines unescaped', async () => {
    const items = await collect([file]);
    expect(items).toHaveLength(sample.length);
    const bytes = fs.readFileSync(file);
    for (const item of items) {
      expect(item.kind).toBe('mail');
      if (item.kind !== 'mail') continue;
      expect(bytes.subarray(item.offset!, item.offset! + 5).toString()).toBe('From ');
    }
    const tricky = path.join(dir, 'tricky.mbox');
    fs.writeFileSync(
      tricky,
      'From a@b Sat Jan  1 00:00:00 2000\nSubject: one\n\nhello\n>From the start\n>>From deeper\n\nFrom c@d Sat Jan  1 00:00:00 2000\nSubject: two\n\nbye\n',
    );
    const [one, two] = (await collect([tricky])) as Array<Extract<SourceItem, { kind: 'mail' }>>;
    expect(Buffer.from(one!.raw).toString()).toContain('\nFrom the start\n>From deeper\n');
    expect(Buffer.from(two!.raw).toString()).toContain('Subject: two');
  });

  it('imports a truncated mbox: whole messages and the cut one, which parses or is reported', async () => {
    const whole = fs.readFileSync(file);
    const cut = path.join(dir, 'cut.mbox');
    fs.writeFileSync(cut, whole.subarray(0, Math.floor(whole.length * 0.6)));
    const items = await collect([cut]);
    expect(items.length).toBeGreaterThan(sample.length * 0.5);
    expect(items.length).toBeLessThan(sample.length);
    const db = openStore(':memory:');
    const summary = await importPaths(db, [cut], { label: null, origin: 'import' });
    expect(summary.imported + summary.failed).toBe(items.length);
    db.close();
  });

  it('reports a file that claims to be an mbox but is not, naming it', async () => {
    const bad = path.join(dir, 'bad.mbox');
    fs.writeFileSync(bad, Buffer.from([0, 1, 2, 3, 4, 5, 255, 254]));
    const db = openStore(':memory:');
    const summary = await importPaths(db, [bad], { label: null, origin: 'import' });
    expect(summary.imported).toBe(0);
    expect(summary.failures).toEqual([{ file: bad, offset: null, error: expect.stringMatching(/binary data/) }]);
    db.close();
  });
});

describe('folders', () => {
  it('reads a Maildir (cur and new) and a plain folder of .eml files', async () => {
    const maildir = path.join(dir, 'Maildir');
    writeEmlFolder(path.join(maildir, 'cur'), sample.slice(0, 5));
    writeEmlFolder(path.join(maildir, 'new'), sample.slice(5, 8));
    fs.mkdirSync(path.join(maildir, 'tmp'));
    expect((await collect([maildir])).filter((i) => i.kind === 'mail')).toHaveLength(8);
    const folder = path.join(dir, 'eml');
    writeEmlFolder(folder, sample);
    expect((await collect([folder])).filter((i) => i.kind === 'mail')).toHaveLength(sample.length);
  });

  it('reports an empty folder and a missing path, and goes on with the rest', async () => {
    const empty = path.join(dir, 'empty');
    fs.mkdirSync(empty);
    const folder = path.join(dir, 'eml2');
    writeEmlFolder(folder, sample.slice(0, 3));
    const items = await collect([empty, path.join(dir, 'missing'), folder]);
    expect(items.filter((i) => i.kind === 'error').map((i) => (i as { error: string }).error)).toEqual([
      'no mail found in this folder',
      'cannot read (ENOENT)',
    ]);
    expect(items.filter((i) => i.kind === 'mail')).toHaveLength(3);
  });
});

describe('CSV and JSONL', () => {
  it('reads quoted CSV fields with commas, quotes and newlines, and the label column', async () => {
    const csv = path.join(dir, 'mail.csv');
    fs.writeFileSync(csv, 'Subject,Text,Label\r\n"Hi, you","line one\nline ""two""",ham\r\nWin,"Free money, now!",spam\r\n');
    const items = await collect([csv]);
    expect(items).toEqual([
      { kind: 'record', file: csv, line: 2, subject: 'Hi, you', text: 'line one\nline "two"', label: 'ham' },
      { kind: 'record', file: csv, line: 4, subject: 'Win', text: 'Free money, now!', label: 'spam' },
    ]);
  });

  it('refuses a CSV without a label column, naming the file and the columns found, unless a label is given', async () => {
    const csv = path.join(dir, 'nolabel.csv');
    fs.writeFileSync(csv, 'subject,body\nhello,world\n');
    const db = openStore(':memory:');
    const refused = await importPaths(db, [csv], { label: null, origin: 'import' });
    expect(refused.failures[0]).toEqual({
      file: csv,
      offset: null,
      error:
        'no label column (expected one of label, class, category, spam, is_spam, type; found "subject", "body"); give --label to label every row',
    });
    expect(refused.imported).toBe(0);
    const accepted = await importPaths(db, [csv], { label: 'ham', origin: 'import' });
    expect(accepted.imported).toBe(1);
    expect(accepted.labeled).toBe(1);
    db.close();
  });

  it('reports a bad JSONL line and imports the others', async () => {
    const jsonl = path.join(dir, 'mail.jsonl');
    fs.writeFileSync(jsonl, '{"text":"first","label":"spam"}\n{not json\n{"text":"third","label":1}\n{"text":"fourth","label":"maybe"}\n');
    const db = openStore(':memory:');
    const summary = await importPaths(db, [jsonl], { label: null, origin: 'import' });
    expect(summary.imported).toBe(2);
    expect(summary.failures.map((f) => f.error)).toEqual([
      expect.stringMatching(/^line 2: not JSON/),
      'line 4: unknown label "maybe" (expected spam/ham, 1/0, true/false)',
    ]);
    db.close();
  });
});

describe('import into the store', () => {
  it('de-duplicates by content, and an import of the same mail from .eml and mbox stores it once', async () => {
    const db = openStore(':memory:');
    const folder = path.join(dir, 'dups');
    writeEmlFolder(folder, sample.slice(0, 6));
    const mbox = path.join(dir, 'dups.mbox');
    writeMbox(mbox, sample.slice(0, 6));
    const first = await importPaths(db, [folder], { label: 'spam', origin: 'import' });
    const second = await importPaths(db, [mbox], { label: 'ham', origin: 'import' });
    expect(first.imported).toBe(6);
    expect(second).toMatchObject({ imported: 0, duplicates: 6, labeled: 0 });
    expect(db.prepare(`SELECT count(*) FROM labels WHERE label = 'spam'`).pluck().get()).toBe(6);
    db.close();
  });
});

describe('features cached at import', () => {
  it('stores each message’s tokens as it is imported, the same the cache builds from the stored message', async () => {
    const db = openStore(path.join(dir, 'features.db'));
    const file = path.join(dir, 'features.mbox');
    writeMbox(file, sample);
    await importPaths(db, [file], { label: 'spam', origin: 'import' });
    const atImport = db.prepare('SELECT message_id, ids, vals FROM features ORDER BY message_id').all();
    expect(atImport).toHaveLength(sample.length);
    db.prepare('DELETE FROM features').run();
    expect(ensureFeatures(db)).toBe(sample.length);
    expect(db.prepare('SELECT message_id, ids, vals FROM features ORDER BY message_id').all()).toEqual(atImport);
    db.close();
  });
});
