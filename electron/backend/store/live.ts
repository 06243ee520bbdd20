// What the live copy (electron/backend/live/) reads and writes: where it starts,
// the labels it learns, the running score, and a run saved from it.
import Database from 'better-sqlite3';
import type { Label } from '../../../shared/types';
import { type Db, getSetting, setSetting, stmt, writeTransaction } from './open';

/**
 * Where the live copy starts: its base run, and the newest label event that
 * run already reflects. Every label a person gave after it (and did not undo)
 * is learned, in event order; the labels as of it are what replays sample.
 */
export interface LiveState {
  baseRunId: number;
  sinceEventId: number;
}

const STATE_KEY = 'liveState';

export function getLiveState(db: Db): LiveState | null {
  const value = getSetting(db, STATE_KEY);
  if (value === null) return null;
  try {
    const parsed = JSON.parse(value) as Partial<LiveState>;
    if (Number.isInteger(parsed.baseRunId) && Number.isInteger(parsed.sinceEventId)) return parsed as LiveState;
  } catch {}
  return null;
}

export function setLiveState(db: Db, state: LiveState | null): void {
  setSetting(db, STATE_KEY, state === null ? null : JSON.stringify(state));
}

/** The newest label event written at or before `time` (ms): the labels a run created then was trained on. */
export function lastLabelEventAt(db: Db, time: number): number {
  return (stmt(db, 'SELECT coalesce(max(id), 0) FROM label_events WHERE at <= ?').pluck().get(time) as number) ?? 0;
}

export function lastLabelEventId(db: Db): number {
  return stmt(db, 'SELECT coalesce(max(id), 0) FROM label_events').pluck().get() as number;
}

export interface LearnedEvent {
  eventId: number;
  messageId: number;
  target: 0 | 1;
}

/** Labels a person gave after `afterId`, not undone, in the order given: what the live copy learns. */
export function personLabelsAfter(db: Db, afterId: number): LearnedEvent[] {
  const rows = stmt(
    db,
    `SELECT id, message_id, label FROM label_events
     WHERE id > ? AND origin IN ('user', 'fix', 'cli') AND undone = 0 AND label IS NOT NULL ORDER BY id`,
  ).all(afterId) as Array<{ id: number; message_id: number; label: Label }>;
  return rows.map((r) => ({ eventId: r.id, messageId: r.message_id, target: r.label === 'spam' ? 1 : 0 }));
}

/** Every message's label as of event `eventId` (its newest event up to it), by message id: the same answer whenever asked. */
export function labelsAsOf(db: Db, eventId: number): Array<{ messageId: number; target: 0 | 1 }> {
  // SQLite gives the bare column `label` from the row holding max(id).
  const rows = db
    .prepare('SELECT message_id, label, max(id) AS id FROM label_events WHERE id <= ? GROUP BY message_id ORDER BY message_id')
    .all(eventId) as Array<{ message_id: number; label: Label | null }>;
  return rows.filter((r) => r.label !== null).map((r) => ({ messageId: r.message_id, target: r.label === 'spam' ? 1 : 0 }));
}

/** The probabilities recorded before the newest `limit` labels a person gave (undone ones left out), newest first. */
export function recentScoredLabels(db: Db, limit: number): Array<{ probability: number; target: 0 | 1 }> {
  const rows = stmt(
    db,
    `SELECT probability, label FROM label_events
     WHERE origin IN ('user', 'fix', 'cli') AND undone = 0 AND label IS NOT NULL AND probability IS NOT NULL
     ORDER BY id DESC LIMIT ?`,
  ).all(limit) as Array<{ probability: number; label: Label }>;
  return rows.map((r) => ({ probability: r.probability, target: r.label === 'spam' ? 1 : 0 }));
}

export function storedScore(db: Db, runId: number, messageId: number): number | null {
  const p = stmt(db, 'SELECT probability FROM scores WHERE run_id = ? AND message_id = ?').pluck().get(runId, messageId);
  return (p as number | undefined) ?? null;
}

/** Whether a message is stored and has no label yet: one the queue may offer (a deleted one is not). */
export function isOfferable(db: Db, messageId: number): boolean {
  return (
    stmt(db, 'SELECT 1 FROM messages m WHERE m.id = ? AND NOT EXISTS (SELECT 1 FROM labels l WHERE l.message_id = m.id)').get(messageId) !==
    undefined
  );
}

/** The unlabeled messages whose stored scores under the run lie nearest the threshold: up to `perSide` above it and as many below. */
export function nearestUnlabeled(db: Db, runId: number, threshold: number, perSide: number): number[] {
  const side = (comparison: string, direction: string) =>
    db
      .prepare(
        `SELECT s.message_id FROM scores s
         WHERE s.run_id = ? AND s.probability ${comparison} ? AND NOT EXISTS (SELECT 1 FROM labels l WHERE l.message_id = s.message_id)
         ORDER BY s.probability ${direction} LIMIT ?`,
      )
      .pluck()
      .all(runId, threshold, perSide) as number[];
  return [...side('>=', 'ASC'), ...side('<', 'DESC')];
}

export interface LiveRun {
  name: string;
  baseRunId: number;
  model: Buffer;
  learnedEventIds: number[];
}

/**
 * Stores a live copy as a completed run with its base run's settings and
 * decision policy, and its lineage. It has no validation figures of its own:
 * the base run's describe another model.
 */
export function insertLiveRun(db: Db, run: LiveRun): number {
  return writeTransaction(db, () => {
    const now = Date.now();
    const result = db
      .prepare(
        `INSERT INTO runs (name, status, settings_json, created_at, finished_at, tokenizer_version, model, threshold, unsure_below,
           train_count, validation_count, base_run_id, learned_events_json)
         SELECT ?, 'completed', settings_json, ?, ?, tokenizer_version, ?, threshold, unsure_below, train_count + ?, 0, id, ?
         FROM runs WHERE id = ?`,
      )
      .run(run.name, now, now, run.model, run.learnedEventIds.length, JSON.stringify(run.learnedEventIds), run.baseRunId);
    if (result.changes === 0) throw new Error(`run ${run.baseRunId} does not exist`);
    return Number(result.lastInsertRowid);
  });
}

/** A run's lineage: the run it learned on top of and the label events it learned (null for a trained or imported run). */
export function runLineage(db: Db, runId: number): { baseRunId: number; learnedEventIds: number[] } | null {
  const row = stmt(db, 'SELECT base_run_id, learned_events_json FROM runs WHERE id = ?').get(runId) as
    { base_run_id: number | null; learned_events_json: string | null } | undefined;
  if (!row || row.base_run_id === null) return null;
  return { baseRunId: row.base_run_id, learnedEventIds: JSON.parse(row.learned_events_json ?? '[]') as number[] };
}

/** A second connection for the live worker, which only reads: WAL lets it read while the app writes. */
export function openLiveReader(file: string): Db {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  db.pragma('busy_timeout = 5000');
  return db;
}
