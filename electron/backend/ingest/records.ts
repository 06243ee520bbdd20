import fs from 'node:fs';
import readline from 'node:readline';
import type { Label } from '../../../shared/types';

export interface MailRecord {
  line: number;
  text: string;
  subject: string | null;
  label: Label | null;
}

export type RecordItem = MailRecord | { line: number; error: string };

const TEXT_COLUMNS = ['text', 'body', 'message', 'email', 'content'];
const SUBJECT_COLUMNS = ['subject', 'title'];
const LABEL_COLUMNS = ['label', 'class', 'category', 'spam', 'is_spam', 'type'];
const SPAM_VALUES = new Set(['spam', '1', 'true', 'junk', 'yes']);
const HAM_VALUES = new Set(['ham', '0', 'false', 'not spam', 'no', 'legit']);

export function labelFromValue(value: unknown): Label | undefined {
  const key = String(value ?? '')
    .trim()
    .toLowerCase();
  if (SPAM_VALUES.has(key)) return 'spam';
  if (HAM_VALUES.has(key)) return 'ham';
  return undefined;
}

interface Columns {
  text: string | null;
  subject: string | null;
  label: string | null;
}

const MAX_LISTED = 10;
const listed = (names: string[]) =>
  names.length
    ? names
        .slice(0, MAX_LISTED)
        .map((n) => JSON.stringify(n))
        .join(', ') + (names.length > MAX_LISTED ? `, … (${names.length} in all)` : '')
    : 'none';

/** A file whose rows have no text: it holds no mail, whatever else it is. */
const noTextColumn = (file: string, names: string[]) =>
  new Error(
    `${file}: not a mail message or a record file (no text column: expected one of ${TEXT_COLUMNS.join(', ')}; found ${listed(names)})`,
  );

const noLabelColumn = (file: string, names: string[]) =>
  new Error(
    `${file}: no label column (expected one of ${LABEL_COLUMNS.join(', ')}; found ${listed(names)}); give --label to label every row`,
  );

const NO_LABEL = `no label (expected one of the fields ${LABEL_COLUMNS.join(', ')} with spam/ham, 1/0 or true/false); give --label to label the rows that have none`;

/** Finds the text, subject and label columns among one row's (or a header's) names. */
function findColumns(names: string[]): Columns {
  const lower = new Map(names.map((n) => [n.trim().toLowerCase(), n]));
  const pick = (candidates: string[]) => candidates.map((c) => lower.get(c)).find((c) => c !== undefined) ?? null;
  return { text: pick(TEXT_COLUMNS), subject: pick(SUBJECT_COLUMNS), label: pick(LABEL_COLUMNS) };
}

/** A cell or field that holds no label at all (as opposed to a label spamlab does not know). */
const isBlank = (value: unknown) => value === undefined || value === null || (typeof value === 'string' && value.trim() === '');

/**
 * One row as a record. A row without a label takes the import's label when one is given (null here);
 * without one it is reported. A label spamlab does not know is reported either way.
 */
function toRecord(row: Record<string, unknown>, columns: Columns, line: number, labelGiven: boolean): RecordItem {
  const text = columns.text === null ? undefined : row[columns.text];
  if (typeof text !== 'string') return { line, error: `column "${columns.text}" is missing or not text` };
  let label: Label | null = null;
  const value = columns.label === null ? undefined : row[columns.label];
  if (isBlank(value)) {
    if (!labelGiven) return { line, error: NO_LABEL };
  } else {
    label = labelFromValue(value) ?? null;
    if (label === null) return { line, error: `unknown label ${JSON.stringify(value)} (expected spam/ham, 1/0, true/false)` };
  }
  const subject = columns.subject !== null && typeof row[columns.subject] === 'string' ? (row[columns.subject] as string) : null;
  return { line, text, subject, label };
}

type Waiting = { line: number; error: string; until: 'text' | 'label' | null };

/**
 * Records from JSON objects, each read by its own fields: a row without a
 * label or a text field is reported by line (or takes the import's label),
 * and the rest go on. Until the file shows it has text (and labels, when no
 * label is given) such rows wait, so a file with neither is refused once, as
 * a whole, instead of row by row.
 */
async function* objectRecords(
  file: string,
  rows: AsyncIterable<{ line: number; row: unknown } | { line: number; error: string }>,
  labelGiven: boolean,
): AsyncGenerator<RecordItem> {
  let sawText = false;
  let sawLabel = labelGiven;
  let firstNames: string[] | null = null;
  const waiting: Waiting[] = [];
  const ready = (w: Waiting) => w.until === null || (w.until === 'text' ? sawText : sawLabel);
  function* flush(): Generator<RecordItem> {
    while (waiting.length && ready(waiting[0]!)) {
      const { line, error } = waiting.shift()!;
      yield { line, error };
    }
  }
  const report = (line: number, error: string, until: Waiting['until'] = null): Generator<RecordItem> => {
    waiting.push({ line, error, until });
    return flush();
  };
  for await (const item of rows) {
    if ('error' in item) {
      yield* report(item.line, item.error);
      continue;
    }
    const { line, row } = item;
    if (typeof row !== 'object' || row === null || Array.isArray(row)) {
      yield* report(line, 'expected a JSON object');
      continue;
    }
    const names = Object.keys(row);
    firstNames ??= names;
    const columns = findColumns(names);
    if (columns.text === null) {
      yield* report(line, `no text field (expected one of ${TEXT_COLUMNS.join(', ')}; found ${listed(names)})`, 'text');
      continue;
    }
    sawText = true;
    if (columns.label !== null) sawLabel = true;
    const record = toRecord(row as Record<string, unknown>, columns, line, labelGiven);
    if ('error' in record) yield* report(line, record.error, columns.label === null ? 'label' : null);
    else {
      yield* flush();
      yield record;
    }
  }
  if (firstNames !== null && !sawText) throw noTextColumn(file, firstNames);
  if (firstNames !== null && !sawLabel) {
    // Every row with text waits for a label: the file has none. The other rows' errors stand.
    for (const { line, error, until } of waiting) if (until !== 'label') yield { line, error };
    throw noLabelColumn(file, firstNames);
  }
  yield* flush();
}

async function* jsonLines(
  file: string,
  wholeFileFallback: boolean,
): AsyncGenerator<{ line: number; row: unknown } | { line: number; error: string }> {
  const lines = readline.createInterface({ input: fs.createReadStream(file, { encoding: 'utf8' }), crlfDelay: Infinity });
  let line = 0;
  let first = true;
  let whole = false;
  for await (const text of lines) {
    line++;
    if (text.trim() === '') continue;
    let row: unknown;
    try {
      row = JSON.parse(text);
    } catch (err) {
      // A .json file whose first line is not a whole object: one object written over several lines, or not records.
      if (first && wholeFileFallback) {
        whole = true;
        break;
      }
      yield { line, error: `not JSON: ${(err as Error).message}` };
      continue;
    } finally {
      first = false;
    }
    yield { line, row };
  }
  if (whole) yield* wholeJson(file);
}

/** Largest .json file read whole (one object written over several lines). */
const MAX_JSON_FILE_BYTES = 256 * 1024 * 1024;

/** A .json file that is not one object per line: one object over several lines, else not records at all. */
function* wholeJson(file: string): Generator<{ line: number; row: unknown }> {
  const size = fs.statSync(file).size;
  if (size > MAX_JSON_FILE_BYTES)
    throw new Error(`${file}: not a mail message or a record file (a JSON file of ${size} bytes, not one object per line)`);
  let value: unknown;
  try {
    value = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    throw new Error(`${file}: not a mail message or a record file (not JSON: ${(err as Error).message})`, { cause: err });
  }
  if (Array.isArray(value)) {
    throw new Error(
      `${file}: not a mail message or a record file (a JSON array: records are read as one JSON object per line, JSON Lines)`,
    );
  }
  if (typeof value !== 'object' || value === null)
    throw new Error(`${file}: not a mail message or a record file (JSON, but not an object)`);
  yield { line: 1, row: value };
}

/** JSON Lines: one object per line; a bad line is reported and the rest go on. */
export function readJsonl(file: string, opts: { labelGiven: boolean }): AsyncGenerator<RecordItem> {
  return objectRecords(file, jsonLines(file, false), opts.labelGiven);
}

/** A .json file: JSON Lines (a single-line object included), or one object written over several lines. */
export function readJson(file: string, opts: { labelGiven: boolean }): AsyncGenerator<RecordItem> {
  return objectRecords(file, jsonLines(file, true), opts.labelGiven);
}

/** RFC 4180 fields from a character stream: quotes, doubled quotes, newlines inside quotes, CRLF. */
async function* csvRows(file: string): AsyncGenerator<{ line: number; fields: string[] }> {
  let field = '';
  let fields: string[] = [];
  let quoted = false;
  let afterQuote = false;
  let line = 1;
  let rowLine = 1;
  for await (const chunk of fs.createReadStream(file, { encoding: 'utf8', highWaterMark: 256 * 1024 })) {
    const text = chunk as string;
    for (let i = 0; i < text.length; i++) {
      const c = text[i]!;
      if (quoted) {
        if (c === '"') {
          quoted = false;
          afterQuote = true;
        } else {
          if (c === '\n') line++;
          field += c;
        }
        continue;
      }
      if (c === '"') {
        if (afterQuote) field += '"';
        quoted = true;
        afterQuote = false;
      } else if (c === ',') {
        fields.push(field);
        field = '';
        afterQuote = false;
      } else if (c === '\n') {
        fields.push(field.endsWith('\r') && !afterQuote ? field.slice(0, -1) : field);
        yield { line: rowLine, fields };
        fields = [];
        field = '';
        afterQuote = false;
        line++;
        rowLine = line;
      } else if (!(c === '\r' && afterQuote)) {
        field += c;
      }
    }
  }
  if (field !== '' || fields.length > 0) {
    fields.push(field);
    yield { line: rowLine, fields };
  }
}

export async function* readCsv(file: string, opts: { labelGiven: boolean }): AsyncGenerator<RecordItem> {
  let header: string[] | null = null;
  let columns: Columns | null = null;
  for await (const { line, fields } of csvRows(file)) {
    if (!header) {
      header = fields;
      columns = findColumns(header);
      if (columns.text === null) throw noTextColumn(file, header);
      if (columns.label === null && !opts.labelGiven) throw noLabelColumn(file, header);
      continue;
    }
    if (fields.length === 1 && fields[0] === '') continue;
    if (fields.length !== header.length) {
      yield { line, error: `expected ${header.length} fields, found ${fields.length}` };
      continue;
    }
    yield toRecord(Object.fromEntries(header.map((name, i) => [name, fields[i]])), columns!, line, opts.labelGiven);
  }
  if (!header) throw new Error(`${file}: empty CSV file (no header row)`);
}
