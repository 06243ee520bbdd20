import fs from 'node:fs';
import path from 'node:path';
import type { Responses } from '../../../shared/contract';
import { ApiError } from '../../../shared/errors';
import { makeFolder } from '../files';
import type { Db } from '../store/open';
import { labeledMessages } from '../store/messages';

/** records: labeled messages imported from CSV/JSONL, which have no mail source, written as JSONL. */
export type LabeledMailExport = Responses['export.labels'];

const ENVELOPE = /^From [^\n]*\n/;

/**
 * One mbox entry (mboxrd): the stored source with its envelope line, or a new
 * one, and every line that would read as a message start escaped with ">".
 */
function mboxEntry(raw: Uint8Array): Buffer {
  const source = Buffer.from(raw.buffer, raw.byteOffset, raw.length).toString('latin1');
  const stored = ENVELOPE.exec(source)?.[0];
  const envelope = stored ?? 'From spamlab@localhost Thu Jan  1 00:00:00 1970\n';
  const body = stored ? source.slice(stored.length) : source;
  const escaped = body.replace(/^(>*From )/gm, '>$1');
  return Buffer.from(`${envelope}${escaped}${escaped.endsWith('\n') ? '' : '\n'}\n`, 'latin1');
}

/**
 * Writes every labeled message to DIR/spam.mbox and DIR/ham.mbox (byte for
 * byte what was imported) and DIR/records.jsonl, so `spamlab import --label`
 * brings the same dataset back. Refuses to overwrite existing files.
 */
export function exportLabeledMail(db: Db, dir: string): LabeledMailExport {
  makeFolder(dir);
  const targets = { spam: path.join(dir, 'spam.mbox'), ham: path.join(dir, 'ham.mbox'), records: path.join(dir, 'records.jsonl') };
  for (const file of Object.values(targets)) {
    if (fs.existsSync(file)) throw new ApiError('conflict', `${file} already exists: export into an empty folder`);
  }
  const handles = new Map<string, number>();
  const write = (file: string, bytes: Buffer) => {
    if (!handles.has(file)) handles.set(file, fs.openSync(file, 'wx'));
    fs.writeSync(handles.get(file)!, bytes);
  };
  const counts = { spam: 0, ham: 0, records: 0 };
  try {
    for (const row of labeledMessages(db)) {
      if (row.raw) {
        write(targets[row.label], mboxEntry(row.raw));
        counts[row.label]++;
      } else {
        write(targets.records, Buffer.from(`${JSON.stringify({ label: row.label, subject: row.subject, text: row.text })}\n`));
        counts.records++;
      }
    }
  } finally {
    for (const fd of handles.values()) fs.closeSync(fd);
  }
  return { ...counts, files: [...handles.keys()] };
}
