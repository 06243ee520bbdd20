// Sharp edges a new user hit importing real data (issue 18): files beside the
// mail that are not mail, record files read column by column per row, and
// header fields with raw 8-bit bytes.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { importPaths } from '../../electron/backend/ingest/importer';
import { parseMail } from '../../electron/backend/ingest/parse';
import { openStore } from '../../electron/backend/store/open';
import { corpusDir } from '../support/corpus';
import { tempDir } from '../support/cli';

const dir = tempDir('sharp-edges');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** The first `count` messages of a corpus group as the package lays them out: each .txt beside its .json companion. */
function copyGroup(group: string, count: number, to: string): { txt: string[]; json: string[] } {
  fs.mkdirSync(to, { recursive: true });
  const source = path.join(corpusDir(), group);
  const stems = fs
    .readdirSync(source)
    .filter((f) => f.endsWith('.txt'))
    .sort()
    .slice(0, count)
    .map((f) => f.slice(0, -'.txt'.length));
  for (const stem of stems) {
    for (const ext of ['.txt', '.json']) fs.copyFileSync(path.join(source, stem + ext), path.join(to, stem + ext));
  }
  return { txt: stems.map((s) => path.join(to, `${s}.txt`)), json: stems.map((s) => path.join(to, `${s}.json`)) };
}

const storedMessages = (db: ReturnType<typeof openStore>) =>
  db.prepare('SELECT subject, text FROM messages ORDER BY id').all() as Array<{ subject: string; text: string }>;

describe('files that are not mail', () => {
  it('imports a SpamAssassin group folder as its messages only, reporting each .json companion by name', async () => {
    const folder = path.join(dir, 'easy-ham-1');
    const { txt, json } = copyGroup('easy-ham-1', 8, folder);
    for (const label of [null, 'ham'] as const) {
      const db = openStore(':memory:');
      const summary = await importPaths(db, [folder], { label, origin: 'import' });
      expect(summary.imported).toBe(txt.length);
      expect(summary.failed).toBe(json.length);
      expect(summary.failures.map((f) => f.file).sort()).toEqual([...json].sort());
      for (const failure of summary.failures) expect(failure.error).toMatch(/not a mail message/);
      const stored = storedMessages(db);
      expect(stored).toHaveLength(txt.length);
      for (const message of stored) expect(message.subject.length + message.text.trim().length).toBeGreaterThan(0);
      db.close();
    }
  });

  it('refuses JSON, CSV and key-value text that only looks like a header line', async () => {
    const companion = fs.readFileSync(
      path.join(
        corpusDir(),
        'spam-1',
        fs.readdirSync(path.join(corpusDir(), 'spam-1')).find((f) => f.endsWith('.json'))!,
      ),
    );
    expect(companion.subarray(0, 6).toString()).toBe('{"id":');
    await expect(parseMail(companion)).rejects.toThrow(/^not a mail message/);
    await expect(parseMail(Buffer.from('[{"text": "hello", "label": "spam"}]\n'))).rejects.toThrow(/^not a mail message/);
    await expect(parseMail(Buffer.from('id,subject,text\n1,"Re: hi",hello\n'))).rejects.toThrow(/^not a mail message/);
    await expect(parseMail(Buffer.from('name: spamlab\nversion: 0.1.0\nmain: dist/cli.js\n'))).rejects.toThrow(/^not a mail message/);
    // A real header block still passes, whichever known field comes first.
    await expect(parseMail(Buffer.from('Subject: hi\n\nhello\n'))).resolves.toMatchObject({ subject: 'hi' });
    await expect(parseMail(Buffer.from('X-Mailer: mutt\nFrom: a@b.example\n\nhello\n'))).resolves.toMatchObject({ from: 'a@b.example' });
  });

  it('reads .json, .jsonl and .csv files as records only when they have a text column', async () => {
    const records = path.join(dir, 'records');
    fs.mkdirSync(records);
    fs.writeFileSync(path.join(records, 'labeled.json'), '{"text":"Win a free cruise today","label":"spam"}\n');
    fs.writeFileSync(path.join(records, 'package.json'), '{\n  "name": "spamlab",\n  "version": "0.1.0"\n}\n');
    fs.writeFileSync(path.join(records, 'events.jsonl'), '{"id":1,"kind":"click"}\n{"id":2,"kind":"view"}\n');
    fs.writeFileSync(path.join(records, 'prices.csv'), 'item,price\nlamp,20\n');
    const db = openStore(':memory:');
    const summary = await importPaths(db, [records], { label: 'ham', origin: 'import' });
    expect(summary.imported).toBe(1);
    expect(storedMessages(db)).toEqual([{ subject: '', text: 'Win a free cruise today' }]);
    expect(db.prepare('SELECT label FROM labels').pluck().all()).toEqual(['spam']);
    const failures = Object.fromEntries(summary.failures.map((f) => [path.basename(f.file), f.error]));
    expect(Object.keys(failures).sort()).toEqual(['events.jsonl', 'package.json', 'prices.csv']);
    for (const error of Object.values(failures)) expect(error).toMatch(/^not a mail message or a record file \(no text column/);
    expect(failures['prices.csv']).toContain('found "item", "price"');
    db.close();
  });
});

describe('record files read per row', () => {
  const jsonl = path.join(dir, 'mixed.jsonl');
  fs.writeFileSync(
    jsonl,
    [
      '{"text":"first, with no label"}',
      '{"text":"second","label":"spam"}',
      '{"text":"third, with no label either"}',
      '{"text":"fourth","label":"maybe"}',
      '{"text":"fifth","label":""}',
      '{"text":"sixth","label":"ham"}',
    ].join('\n'),
  );

  it('takes each row as it is: a row without a label is reported by line, the others imported', async () => {
    const db = openStore(':memory:');
    const summary = await importPaths(db, [jsonl], { label: null, origin: 'import' });
    expect(summary.imported).toBe(2);
    expect(summary.failures.map((f) => f.error)).toEqual([
      expect.stringMatching(/^line 1: no label .*give --label/),
      expect.stringMatching(/^line 3: no label /),
      'line 4: unknown label "maybe" (expected spam/ham, 1/0, true/false)',
      expect.stringMatching(/^line 5: no label /),
    ]);
    db.close();
  });

  it('fills the rows without a label from --label; a row’s own label wins, an unknown one is still reported', async () => {
    const db = openStore(':memory:');
    const summary = await importPaths(db, [jsonl], { label: 'ham', origin: 'import' });
    expect(summary.imported).toBe(5);
    expect(summary.failures).toEqual([
      { file: jsonl, offset: null, error: 'line 4: unknown label "maybe" (expected spam/ham, 1/0, true/false)' },
    ]);
    const labels = db
      .prepare('SELECT m.text, l.label FROM messages m JOIN labels l ON l.message_id = m.id ORDER BY m.id')
      .all()
      .map((row) => Object.values(row as object).join(': '));
    expect(labels).toEqual(['first, with no label: ham', 'second: spam', 'third, with no label either: ham', 'fifth: ham', 'sixth: ham']);
    db.close();
  });

  it('refuses a JSONL file with no label in any row once, as a whole, and reports a row without text by line', async () => {
    const unlabeled = path.join(dir, 'unlabeled.jsonl');
    fs.writeFileSync(unlabeled, '{"subject":"hi","body":"one"}\n{"subject":"no body"}\n{"subject":"yo","body":"three"}\n');
    const db = openStore(':memory:');
    const refused = await importPaths(db, [unlabeled], { label: null, origin: 'import' });
    expect(refused.imported).toBe(0);
    expect(refused.failures.map((f) => f.error)).toEqual([
      'line 2: no text field (expected one of text, body, message, email, content; found "subject")',
      'no label column (expected one of label, class, category, spam, is_spam, type; found "subject", "body"); give --label to label every row',
    ]);
    const given = await importPaths(db, [unlabeled], { label: 'spam', origin: 'import' });
    expect([given.imported, given.failed]).toEqual([2, 1]);
    db.close();
  });

  it('fills an empty label cell of a CSV from --label, and without it reports that row only', async () => {
    const csv = path.join(dir, 'gaps.csv');
    fs.writeFileSync(csv, 'text,label\nhello there,ham\nbuy now,\ncheap pills,spam\n');
    const db = openStore(':memory:');
    const without = await importPaths(db, [csv], { label: null, origin: 'import' });
    expect(without.imported).toBe(2);
    expect(without.failures.map((f) => f.error)).toEqual([expect.stringMatching(/^line 3: no label /)]);
    const given = await importPaths(db, [csv], { label: 'spam', origin: 'import' });
    expect([given.imported, given.duplicates, given.failed]).toEqual([1, 2, 0]);
    db.close();
  });
});

describe('header fields with raw 8-bit bytes', () => {
  // A real Guardian RSS item from easy-ham-1: "£" sent as the bare byte 0xA3 in the Subject field, no charset.
  const file = path.join(corpusDir(), 'easy-ham-1', '02278.5681f9fd02e38391b917d4623ff9d198.txt');

  it('reads a real Subject with a raw 0xA3 byte as windows-1252, and says so in the warnings', async () => {
    const raw = fs.readFileSync(file);
    expect(raw.includes(Buffer.from('Subject: Houses rise \xa31,100 a week\n', 'latin1'))).toBe(true);
    const mail = await parseMail(raw);
    expect(mail.subject).toBe('Houses rise £1,100 a week');
    expect(mail.headers).toContainEqual(['subject', 'Houses rise £1,100 a week']);
    expect(mail.warnings).toContain('8-bit header text that is not UTF-8: read as windows-1252');
  });

  it('keeps raw UTF-8 header text as it is, without a warning', async () => {
    const raw = Buffer.concat([
      Buffer.from('From: José <jose@example.es>\nSubject: Café £5\n', 'utf8'),
      fs.readFileSync(file).subarray(fs.readFileSync(file).indexOf('\nDate: ') + 1),
    ]);
    const mail = await parseMail(raw);
    expect(mail.subject).toBe('Café £5');
    expect(mail.from).toBe('José <jose@example.es>');
    expect(mail.warnings.filter((w) => /header/.test(w))).toEqual([]);
  });
});
