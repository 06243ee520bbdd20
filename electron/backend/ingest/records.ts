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
  text: string;
  subject: string | null;
  label: string | null;
}

/** Finds the text, subject and label columns by name; says which were found when one is missing. */
export function findColumns(file: string, names: string[], labelGiven: boolean): Columns {
  const lower = new Map(names.map((n) => [n.trim().toLowerCase(), n]));
  const pick = (candidates: string[]) => candidates.map((c) => lower.get(c)).find((c) => c !== undefined) ?? null;
  const text = pick(TEXT_COLUMNS);
  const found = names.length ? names.map((n) => JSON.stringify(n)).join(', ') : 'none';
  if (!text) throw new Error(`${file}: no text column (expected one of ${TEXT_COLUMNS.join(', ')}; found ${found})`);
  const label = pick(LABEL_COLUMNS);
  if (!label && !labelGiven) {
    throw new Error(
      `${file}: no label column (expected one of ${LABEL_COLUMNS.join(', ')}; found ${found}); give --label to label every row`,
    );
  }
  return { text, subject: pick(SUBJECT_COLUMNS), label };
}

function toRecord(row: Record<string, unknown>, columns: Columns, line: number): RecordItem {
  const text = row[columns.text];
  if (typeof text !== 'string') return { line, error: `column "${columns.text}" is missing or not text` };
  let label: Label | null = null;
  if (columns.label !== null) {
    const value = row[columns.label];
    label = labelFromValue(value) ?? null;
    if (label === null) return { line, error: `unknown label ${JSON.stringify(value)} (expected spam/ham, 1/0, true/false)` };
  }
  const subject = columns.subject !== null && typeof row[columns.subject] === 'string' ? (row[columns.subject] as string) : null;
  return { line, text, subject, label };
}

/** JSON Lines: one object per line; a bad line is reported and the rest go on. */
export async function* readJsonl(file: string, opts: { labelGiven: boolean }): AsyncGenerator<RecordItem> {
  const lines = readline.createInterface({ input: fs.createReadStream(file, { encoding: 'utf8' }), crlfDelay: Infinity });
  let columns: Columns | null = null;
  let line = 0;
  for await (const text of lines) {
    line++;
    if (text.trim() === '') continue;
    let row: unknown;
    try {
      row = JSON.parse(text);
    } catch (err) {
      yield { line, error: `not JSON: ${(err as Error).message}` };
      continue;
    }
    if (typeof row !== 'object' || row === null || Array.isArray(row)) {
      yield { line, error: 'expected a JSON object' };
      continue;
    }
    columns ??= findColumns(file, Object.keys(row), opts.labelGiven);
    yield toRecord(row as Record<string, unknown>, columns, line);
  }
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
      columns = findColumns(file, header, opts.labelGiven);
      continue;
    }
    if (fields.length === 1 && fields[0] === '') continue;
    if (fields.length !== header.length) {
      yield { line, error: `expected ${header.length} fields, found ${fields.length}` };
      continue;
    }
    yield toRecord(Object.fromEntries(header.map((name, i) => [name, fields[i]])), columns!, line);
  }
  if (!header) throw new Error(`${file}: empty CSV file (no header row)`);
}
