// The labeled-dataset export: mboxrd escaping that survives the real reader,
// byte for byte, and records for rows that never were mail.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { exportLabeledMail } from '../../electron/backend/export/labeled-mail';
import { readMbox } from '../../electron/backend/ingest/mbox';
import { parseMail, parseRecord } from '../../electron/backend/ingest/parse';
import { setLabel } from '../../electron/backend/store/labels';
import { insertMessage } from '../../electron/backend/store/messages';
import { openStore } from '../../electron/backend/store/open';
import { tempDir } from '../support/cli';

const dir = tempDir('export');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const TRICKY = [
  'From: alice@example.org',
  'Subject: minutes',
  '',
  'From the desk of the chair:',
  '>From a quoted reply',
  '>>From deeper still',
  'From',
  'last line',
  '',
].join('\n');

describe('exporting labeled mail', () => {
  it('writes mbox entries the reader gives back byte for byte, and CSV-born rows as records', async () => {
    const db = openStore(path.join(dir, 'spamlab.db'));
    const withEnvelope = Buffer.from(`From alice@example.org Mon Nov 23 10:00:00 2026\n${TRICKY}`);
    const bare = Buffer.from(TRICKY.replace('minutes', 'agenda'));
    const spamId = insertMessage(db, { mail: await parseMail(withEnvelope), source: 'a.mbox', sourceRef: null, raw: withEnvelope })!;
    const hamId = insertMessage(db, { mail: await parseMail(bare), source: 'b.eml', sourceRef: null, raw: bare })!;
    const recordId = insertMessage(db, { mail: parseRecord('cheap pills', 'offer'), source: 'c.csv', sourceRef: 'line 2', raw: null })!;
    insertMessage(db, { mail: parseRecord('never labeled', null), source: 'c.csv', sourceRef: 'line 3', raw: null });
    setLabel(db, spamId, 'spam', 'user');
    setLabel(db, hamId, 'ham', 'user');
    setLabel(db, recordId, 'spam', 'user');

    const out = path.join(dir, 'out');
    expect(exportLabeledMail(db, out)).toEqual({
      spam: 1,
      ham: 1,
      records: 1,
      files: [path.join(out, 'spam.mbox'), path.join(out, 'ham.mbox'), path.join(out, 'records.jsonl')],
    });
    db.close();

    const read = async (file: string) => {
      const items = [];
      for await (const item of readMbox(path.join(out, file))) items.push(item);
      return items.map((item) => ('raw' in item ? Buffer.from(item.raw).toString() : item.error));
    };
    expect(await read('spam.mbox')).toEqual([withEnvelope.toString()]);
    const [ham] = await read('ham.mbox');
    expect(ham).toBe(`From spamlab@localhost Thu Jan  1 00:00:00 1970\n${bare.toString()}`);
    expect((await parseMail(Buffer.from(ham!))).contentHash).toBe((await parseMail(bare)).contentHash);
    expect(fs.readFileSync(path.join(out, 'records.jsonl'), 'utf8')).toBe(
      `${JSON.stringify({ label: 'spam', subject: 'offer', text: 'cheap pills' })}\n`,
    );
  });

  it('refuses a folder that cannot be made, naming it, and writes nothing', () => {
    const db = openStore(':memory:');
    const file = path.join(dir, 'a-file');
    fs.writeFileSync(file, 'not a folder');
    expect(() => exportLabeledMail(db, path.join(file, 'out'))).toThrow(`${path.join(file, 'out')}: cannot make this folder (ENOTDIR)`);
    db.close();
  });
});
