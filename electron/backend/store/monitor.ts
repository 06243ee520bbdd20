// What the drift monitor reads about a run: its holdout, the labeled mail it
// never learned from, and the unlabeled mail newer than anything it trained on.
import { DATE_SKEW_MS, EARLIEST_MAIL } from '../../../shared/mail-dates';
import type { Label } from '../../../shared/types';
import { type Db, stmt } from './open';

export interface MonitorRow {
  messageId: number;
  label: Label;
  probability: number;
  /** The Date header's time (ms), as stored: may be null or absurd. */
  date: number | null;
  importedAt: number;
}

export interface LaterRow extends MonitorRow {
  /** When the message's current label was given. */
  labeledAt: number;
}

/** The run's held-out predictions (split 'validation'), by the model that was judged on them. Index: predictions_loss. */
export function holdoutRows(db: Db, runId: number): MonitorRow[] {
  return stmt(
    db,
    `SELECT p.message_id AS messageId, p.label, p.probability, m.date, m.imported_at AS importedAt
     FROM predictions p JOIN messages m ON m.id = p.message_id WHERE p.run_id = ? AND p.split = 'validation'`,
  ).all(runId) as MonitorRow[];
}

/**
 * Labeled messages the run never learned from: labeled (their current label)
 * after the run started, so after it read its training labels, and without a
 * prediction of the run (train or validation), with their score under the
 * delivered model. One pass over `labels`, primary-key lookups for the rest.
 */
export function laterRows(db: Db, runId: number, since: number): LaterRow[] {
  return stmt(
    db,
    `SELECT l.message_id AS messageId, l.label, s.probability, m.date, m.imported_at AS importedAt, l.updated_at AS labeledAt
     FROM labels l
     JOIN scores s ON s.run_id = ? AND s.message_id = l.message_id
     JOIN messages m ON m.id = l.message_id
     WHERE l.updated_at > ?
       AND NOT EXISTS (SELECT 1 FROM predictions p WHERE p.run_id = ? AND p.message_id = l.message_id)`,
  ).all(runId, since, runId) as LaterRow[];
}

/**
 * Labels a live copy learned, with the probability recorded just before each
 * was learned: mail that copy had not learned from yet. Only the events that
 * still hold the message's label.
 */
export function learnedRows(db: Db, eventIds: readonly number[]): LaterRow[] {
  return stmt(
    db,
    `SELECT e.message_id AS messageId, e.label, e.probability, m.date, m.imported_at AS importedAt, e.at AS labeledAt
     FROM label_events e
     JOIN labels l ON l.message_id = e.message_id AND l.label = e.label
     JOIN messages m ON m.id = e.message_id
     WHERE e.id IN (SELECT value FROM json_each(?)) AND e.probability IS NOT NULL`,
  ).all(JSON.stringify(eventIds)) as LaterRow[];
}

const PLAUSIBLE_DATE = 'm.date >= ? AND m.date <= m.imported_at + ?';
const plausible = [EARLIEST_MAIL, DATE_SKEW_MS];

/**
 * Where the run's training and held-out mail ends in time: the newest
 * plausible Date header once the newest 1% are set aside, so that one forged
 * date cannot hide all newer mail. Null when it has none (an imported model).
 */
export function newestTrainingDate(db: Db, runId: number): number | null {
  const where = `p.run_id = ? AND p.split IN ('train', 'validation') AND ${PLAUSIBLE_DATE}`;
  const count = stmt(db, `SELECT count(*) FROM predictions p JOIN messages m ON m.id = p.message_id WHERE ${where}`)
    .pluck()
    .get(runId, ...plausible) as number;
  if (count === 0) return null;
  return stmt(
    db,
    `SELECT m.date FROM predictions p JOIN messages m ON m.id = p.message_id WHERE ${where} ORDER BY m.date DESC LIMIT 1 OFFSET ?`,
  )
    .pluck()
    .get(runId, ...plausible, Math.floor(count / 100)) as number;
}

/** Unlabeled messages dated after `after`, and how many of them the run scores in [low, high). Index: messages_date. */
export function unlabeledAfter(db: Db, runId: number, after: number, low: number, high: number): { count: number; inBand: number } {
  const row = stmt(
    db,
    `SELECT count(*) AS count, coalesce(sum(s.probability >= ? AND s.probability < ?), 0) AS inBand
     FROM messages m JOIN scores s ON s.run_id = ? AND s.message_id = m.id
     WHERE m.date > ? AND NOT EXISTS (SELECT 1 FROM labels l WHERE l.message_id = m.id)`,
  ).get(low, high, runId, after) as { count: number; inBand: number };
  return row;
}
