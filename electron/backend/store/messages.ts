import type { MessageDetail, MessageFilter, MessageSummary } from '../../../shared/contract';
import type { Label, MailContent, ParsedMail } from '../../../shared/types';
import { ApiError } from '../../../shared/errors';
import { Db, stmt, writeTransaction } from './open';
import { indexPendingSearch } from './search-index';
import { markRunsStale } from './labels';

export interface NewMessage {
  mail: ParsedMail;
  source: string;
  sourceRef: string | null;
  raw: Uint8Array | null;
}

/** Inserts a message (stamped with the import batch adding it, if any); returns its id, or null when the same content is already stored. */
export function insertMessage(db: Db, message: NewMessage, importId: number | null = null): number | null {
  const { mail } = message;
  const result = stmt(
    db,
    `INSERT INTO messages (content_hash, source, source_ref, imported_at, date, from_addr, to_addr, subject,
         headers_json, text, html, attachments_json, warnings_json, raw, size, import_id)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT(content_hash) DO NOTHING`,
  ).run(
    mail.contentHash,
    message.source,
    message.sourceRef,
    Date.now(),
    mail.date,
    mail.from,
    mail.to,
    mail.subject,
    JSON.stringify(mail.headers),
    mail.text,
    mail.html,
    JSON.stringify(mail.attachments),
    JSON.stringify(mail.warnings),
    message.raw ? Buffer.from(message.raw.buffer, message.raw.byteOffset, message.raw.byteLength) : null,
    mail.size,
    importId,
  );
  return result.changes === 1 ? Number(result.lastInsertRowid) : null;
}

/** Stores a message unless the same content is there already (a duplicate keeps the batch it came with); either way, its id. */
export function storeMessage(db: Db, message: NewMessage, importId: number | null = null): { id: number; inserted: boolean } {
  const insertedId = insertMessage(db, message, importId);
  return insertedId === null ? { id: messageIdByHash(db, message.mail.contentHash)!, inserted: false } : { id: insertedId, inserted: true };
}

export function messageIdByHash(db: Db, contentHash: string): number | null {
  const row = stmt(db, 'SELECT id FROM messages WHERE content_hash = ?').get(contentHash) as { id: number } | undefined;
  return row?.id ?? null;
}

const SUMMARY_COLUMNS = `m.id, m.subject, m.from_addr, m.date, l.label, m.source, m.size, m.html IS NOT NULL AS has_html`;

interface SummaryRow {
  id: number;
  subject: string;
  from_addr: string;
  date: number | null;
  label: Label | null;
  source: string;
  size: number;
  has_html: number;
  probability: number | null;
}

const toSummary = (row: SummaryRow): MessageSummary => ({
  id: row.id,
  subject: row.subject,
  from: row.from_addr,
  date: row.date,
  label: row.label,
  source: row.source,
  size: row.size,
  hasHtml: row.has_html === 1,
  probability: row.probability,
});

/** Turns free text into an FTS5 query of prefix terms, so punctuation typed by a person is never a syntax error. */
export function ftsQuery(search: string): string | null {
  const terms = search.match(/[\p{L}\p{N}_]+/gu);
  if (!terms) return null;
  return terms.map((t) => `"${t}"*`).join(' ');
}

interface Where {
  sql: string;
  params: unknown[];
  /** Whether the clauses read the label (alias l) or the active run's score (alias p). */
  readsLabel: boolean;
  readsScore: boolean;
}

function whereOf(filter: MessageFilter, activeRunId: number | null): Where {
  const clauses: string[] = [];
  const params: unknown[] = [];
  if (filter.label === 'unlabeled') clauses.push('l.label IS NULL');
  else if (filter.label === 'spam' || filter.label === 'ham') {
    clauses.push('l.label = ?');
    params.push(filter.label);
  }
  if (filter.search) {
    const query = ftsQuery(filter.search);
    if (query) {
      clauses.push('m.id IN (SELECT rowid FROM messages_fts WHERE messages_fts MATCH ?)');
      params.push(query);
    }
  }
  if (filter.source) {
    clauses.push('m.source = ?');
    params.push(filter.source);
  }
  if (filter.importId !== undefined) {
    clauses.push('m.import_id = ?');
    params.push(filter.importId);
  }
  if (filter.dateFrom !== undefined) {
    clauses.push('m.date >= ?');
    params.push(filter.dateFrom);
  }
  if (filter.dateTo !== undefined) {
    clauses.push('m.date <= ?');
    params.push(filter.dateTo);
  }
  if (activeRunId !== null) {
    const threshold = `(SELECT threshold FROM runs WHERE id = ${Number(activeRunId)})`;
    if (filter.predicted === 'spam') clauses.push(`p.probability >= ${threshold}`);
    if (filter.predicted === 'ham') clauses.push(`p.probability < ${threshold}`);
    if (filter.disagreement) {
      clauses.push(`l.label IS NOT NULL AND p.probability IS NOT NULL AND (p.probability >= ${threshold}) <> (l.label = 'spam')`);
    }
  } else if (filter.predicted || filter.disagreement) {
    clauses.push('0');
  }
  const scored = activeRunId !== null;
  return {
    sql: clauses.length ? `WHERE ${clauses.join(' AND ')}` : '',
    params,
    readsLabel: filter.label === 'unlabeled' || filter.label === 'spam' || filter.label === 'ham' || (scored && !!filter.disagreement),
    readsScore: scored && (!!filter.predicted || !!filter.disagreement),
  };
}

/** The spam probability the active run gives each message (none without a run). */
const predictionJoin = (activeRunId: number | null) =>
  `LEFT JOIN scores p ON p.run_id = ${activeRunId === null ? -1 : Number(activeRunId)} AND p.message_id = m.id`;

export function listMessages(
  db: Db,
  filter: MessageFilter,
  offset: number,
  limit: number,
  activeRunId: number | null,
): { total: number; rows: MessageSummary[] } {
  // A search must see every message: whatever still waits for the full-text index is indexed first.
  if (filter.search) indexPendingSearch(db);
  const where = whereOf(filter, activeRunId);
  const labelJoin = 'LEFT JOIN labels l ON l.message_id = m.id';
  // SQLite does not drop an unused LEFT JOIN from count(*), so the filter side joins only what its clauses read.
  const filterJoins = `${where.readsLabel ? labelJoin : ''} ${where.readsScore ? predictionJoin(activeRunId) : ''}`;
  const filtered = `FROM messages m ${filterJoins} ${where.sql}`;
  const total = (stmt(db, `SELECT count(*) AS n ${filtered}`).get(...where.params) as { n: number }).n;
  // The page's ids come from the (date, id) index; only those rows are then read in full.
  const rows = stmt(
    db,
    `SELECT ${SUMMARY_COLUMNS}, p.probability
       FROM (SELECT m.id ${filtered} ORDER BY m.date DESC, m.id DESC LIMIT ? OFFSET ?) page
       JOIN messages m ON m.id = page.id ${labelJoin} ${predictionJoin(activeRunId)}
      ORDER BY m.date DESC, m.id DESC`,
  ).all(...where.params, limit, offset) as SummaryRow[];
  return { total, rows: rows.map(toSummary) };
}

export function getMessage(db: Db, id: number, activeRunId: number | null): MessageDetail {
  const row = stmt(
    db,
    `SELECT ${SUMMARY_COLUMNS}, p.probability, m.to_addr, m.headers_json, m.text, m.html, m.attachments_json,
         m.warnings_json, m.raw
       FROM messages m LEFT JOIN labels l ON l.message_id = m.id ${predictionJoin(activeRunId)} WHERE m.id = ?`,
  ).get(id) as
    | (SummaryRow & {
        to_addr: string;
        headers_json: string;
        text: string;
        html: string | null;
        attachments_json: string;
        warnings_json: string;
        raw: Buffer | null;
      })
    | undefined;
  if (!row) throw new ApiError('not-found', `message ${id} does not exist`);
  const history = stmt(db, `SELECT label, previous, at, origin FROM label_events WHERE message_id = ? ORDER BY id DESC`).all(id) as Array<{
    label: Label | null;
    previous: Label | null;
    at: number;
    origin: string;
  }>;
  return {
    ...toSummary(row),
    to: row.to_addr,
    headers: JSON.parse(row.headers_json),
    text: row.text,
    html: row.html,
    attachments: JSON.parse(row.attachments_json),
    warnings: JSON.parse(row.warnings_json),
    raw: rawPreview(row.raw),
    labelHistory: history,
  };
}

const RAW_PREVIEW_BYTES = 1024 * 1024;

function rawPreview(raw: Buffer | null): string {
  if (!raw) return '';
  if (raw.length <= RAW_PREVIEW_BYTES) return raw.toString('utf8');
  return `${raw.subarray(0, RAW_PREVIEW_BYTES).toString('utf8')}\n\n[… ${raw.length - RAW_PREVIEW_BYTES} more bytes not shown]`;
}

/** The parsed fields the tokenizer needs, without the raw bytes. */
export function mailFields(db: Db, id: number): MailContent | null {
  const row = stmt(db, 'SELECT subject, from_addr, to_addr, headers_json, text, html, attachments_json FROM messages WHERE id = ?').get(
    id,
  ) as
    | {
        subject: string;
        from_addr: string;
        to_addr: string;
        headers_json: string;
        text: string;
        html: string | null;
        attachments_json: string;
      }
    | undefined;
  if (!row) return null;
  return {
    subject: row.subject,
    from: row.from_addr,
    to: row.to_addr,
    headers: JSON.parse(row.headers_json),
    text: row.text,
    html: row.html,
    attachments: JSON.parse(row.attachments_json),
  };
}

/** The message's original bytes; null for rows imported from CSV or JSONL. */
export function messageRaw(db: Db, id: number): Buffer | null {
  return (db.prepare('SELECT raw FROM messages WHERE id = ?').pluck().get(id) as Buffer | null | undefined) ?? null;
}

export function messageCount(db: Db): number {
  return (db.prepare('SELECT count(*) AS n FROM messages').get() as { n: number }).n;
}

/** How many messages came from each source (file or folder), most first. */
export function sourceCounts(db: Db): Array<{ source: string; count: number }> {
  return db.prepare('SELECT source, count(*) AS count FROM messages GROUP BY source ORDER BY count DESC, source').all() as Array<{
    source: string;
    count: number;
  }>;
}

/** Every labeled message in id order, one row at a time: raw is null for rows imported from CSV/JSONL. */
export function labeledMessages(db: Db): IterableIterator<{ raw: Uint8Array | null; subject: string; text: string; label: Label }> {
  return db
    .prepare('SELECT m.raw, m.subject, m.text, l.label FROM messages m JOIN labels l ON l.message_id = m.id ORDER BY m.id')
    .iterate() as IterableIterator<{ raw: Uint8Array | null; subject: string; text: string; label: Label }>;
}

/** What a delete took away: the messages, and how many of them had a label. */
export interface Removed {
  removed: number;
  labels: number;
}

/**
 * Deletes the messages matching `where` (on alias m) with everything stored
 * about them: labels, label history, features, scores, predictions, training
 * dynamics, IMAP places and actions go by ON DELETE CASCADE, the search index
 * and its backlog by trigger. Runs keep their stored metrics; a run that had
 * labels taken away is marked stale, as after any label change.
 */
export function deleteMessagesWhere(db: Db, where: string, params: unknown[]): Removed {
  return writeTransaction(db, () => {
    const labels = stmt(db, `SELECT count(*) FROM messages m JOIN labels l ON l.message_id = m.id WHERE ${where}`)
      .pluck()
      .get(...params) as number;
    const removed = stmt(db, `DELETE FROM messages AS m WHERE ${where}`).run(...params).changes;
    if (labels > 0) markRunsStale(db);
    return { removed, labels };
  });
}

/** Deletes the given messages (ids not stored are skipped), or every message from one source. */
export function deleteMessages(db: Db, selection: { ids: readonly number[] } | { source: string }): Removed {
  return 'ids' in selection
    ? deleteMessagesWhere(db, 'm.id IN (SELECT value FROM json_each(?))', [JSON.stringify(selection.ids)])
    : deleteMessagesWhere(db, 'm.source = ?', [selection.source]);
}
