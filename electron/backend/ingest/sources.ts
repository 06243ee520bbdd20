import fs from 'node:fs';
import path from 'node:path';
import type { Label } from '../../../shared/types';
import { notFileOrFolder, readRegularFile } from '../files';
import { readHead, readMbox } from './mbox';
import { readCsv, readJson, readJsonl, RecordItem } from './records';

export type SourceItem =
  | { kind: 'mail'; file: string; offset: number | null; raw: Uint8Array }
  | { kind: 'record'; file: string; line: number; text: string; subject: string | null; label: Label | null }
  | { kind: 'error'; file: string; offset: number | null; error: string };

/** A single-message file larger than this is reported, not read. */
export const MAX_MESSAGE_FILE_BYTES = 64 * 1024 * 1024;

const errorItem = (file: string, error: string, offset: number | null = null): SourceItem => ({ kind: 'error', file, offset, error });

const isMaildir = (dir: string) => ['cur', 'new'].some((sub) => fs.existsSync(path.join(dir, sub)));

function listFiles(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((entry) => !entry.name.startsWith('.'))
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((entry) => {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory())
        return isMaildir(full) ? [...listFiles(path.join(full, 'cur')), ...listFiles(path.join(full, 'new'))] : listFiles(full);
      return entry.isFile() ? [full] : [];
    });
}

function mailFiles(dir: string): string[] {
  if (!isMaildir(dir)) return listFiles(dir);
  return ['cur', 'new'].flatMap((sub) => (fs.existsSync(path.join(dir, sub)) ? listFiles(path.join(dir, sub)) : []));
}

type FileKind = 'csv' | 'json' | 'jsonl' | 'mbox' | 'message';

function kindOf(file: string): FileKind {
  const extension = path.extname(file).toLowerCase();
  if (extension === '.csv') return 'csv';
  if (extension === '.jsonl' || extension === '.ndjson') return 'jsonl';
  if (extension === '.json') return 'json';
  if (extension === '.eml') return 'message';
  // A file that opens with an envelope line is an mbox (of one or more messages).
  return /^From [^\n]*\n/.test(readHead(file, 1024).toString('latin1')) ? 'mbox' : 'message';
}

async function* recordItems(file: string, records: AsyncGenerator<RecordItem>): AsyncGenerator<SourceItem> {
  for await (const record of records) {
    if ('error' in record) yield errorItem(file, `line ${record.line}: ${record.error}`);
    else yield { kind: 'record', file, ...record };
  }
}

async function* fileItems(file: string, opts: { labelGiven: boolean }): AsyncGenerator<SourceItem> {
  const kind = kindOf(file);
  if (kind === 'csv') yield* recordItems(file, readCsv(file, opts));
  else if (kind === 'jsonl') yield* recordItems(file, readJsonl(file, opts));
  else if (kind === 'json') yield* recordItems(file, readJson(file, opts));
  else if (kind === 'mbox') {
    for await (const item of readMbox(file)) {
      yield 'error' in item ? errorItem(file, item.error, item.offset) : { kind: 'mail', file, offset: item.offset, raw: item.raw };
    }
  } else {
    yield { kind: 'mail', file, offset: null, raw: readRegularFile(file, MAX_MESSAGE_FILE_BYTES) };
  }
}

const RECORD_EXTENSIONS = new Set(['.json', '.jsonl', '.ndjson', '.csv']);
const stem = (file: string) => file.slice(0, file.length - path.extname(file).length);

/**
 * The message a .json file sits beside, as data sets ship metadata (the
 * SpamAssassin package: 00001.<md5>.txt and 00001.<md5>.json, which holds the
 * same message again): that file, or null. `siblings` are the files around it.
 */
function companionOf(file: string, siblings: () => Iterable<string>): string | null {
  if (path.extname(file).toLowerCase() !== '.json') return null;
  const own = stem(file);
  for (const other of siblings()) {
    if (other !== file && stem(other) === own && !RECORD_EXTENSIONS.has(path.extname(other).toLowerCase())) return other;
  }
  return null;
}

/** The files beside a given one, by stem, for `companionOf`. */
function filesBeside(file: string): string[] {
  const dir = path.dirname(file);
  const own = path.basename(stem(file));
  try {
    return fs
      .readdirSync(dir)
      .filter((name) => name.startsWith(`${own}.`) || name === own)
      .map((name) => path.join(dir, name));
  } catch {
    return [];
  }
}

/**
 * Every message or record found under the given paths: mbox files, Maildir
 * folders, folders of messages (walked recursively), single messages, CSV and
 * JSONL. A problem with one source becomes an error item; the others go on.
 */
export async function* readSources(paths: string[], opts: { labelGiven: boolean }): AsyncGenerator<SourceItem> {
  for (const given of paths) {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(given);
    } catch (err) {
      yield errorItem(given, `cannot read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
      continue;
    }
    const refusal = notFileOrFolder(stat);
    if (refusal) {
      yield errorItem(given, refusal);
      continue;
    }
    const files = stat.isDirectory() ? mailFiles(given) : [given];
    if (stat.isDirectory() && files.length === 0) yield errorItem(given, 'no mail found in this folder');
    // Siblings are looked up only for a .json file: a folder is grouped by stem once, a file given alone reads its folder.
    const byStem = new Map<string, string[]>();
    if (stat.isDirectory() && files.some((f) => path.extname(f).toLowerCase() === '.json'))
      for (const file of files) {
        const group = byStem.get(stem(file));
        if (group) group.push(file);
        else byStem.set(stem(file), [file]);
      }
    for (const file of files) {
      const message = companionOf(file, () => (stat.isDirectory() ? (byStem.get(stem(file)) ?? []) : filesBeside(file)));
      if (message) {
        yield errorItem(file, `not a mail message: data kept beside the message ${path.basename(message)} (skipped)`);
        continue;
      }
      try {
        yield* fileItems(file, opts);
      } catch (err) {
        const message = (err as Error).message;
        yield errorItem(file, message.startsWith(file) ? message.slice(file.length).replace(/^: /, '') : message);
      }
    }
  }
}
