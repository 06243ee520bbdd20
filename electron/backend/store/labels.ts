import type { LabelChange } from '../../../shared/contract';
import type { Label } from '../../../shared/types';
import { ApiError } from '../../../shared/errors';
import { Db, stmt, writeTransaction } from './open';

export type LabelOrigin = 'user' | 'import' | 'cli' | 'undo' | 'fix' | 'mailbox';

/** Origins of labels a person gave; what a mailbox says never overrides these. */
const PERSON_ORIGINS: ReadonlySet<string> = new Set<LabelOrigin>(['user', 'fix', 'cli', 'undo']);

/** Whether the message's label was last set by a person (in the app or on the command line). */
export function labeledByPerson(db: Db, messageId: number): boolean {
  const origin = stmt(db, 'SELECT origin FROM label_events WHERE message_id = ? ORDER BY id DESC LIMIT 1').pluck().get(messageId) as
    string | undefined;
  return origin !== undefined && PERSON_ORIGINS.has(origin);
}

export function currentLabel(db: Db, messageId: number): Label | null {
  const row = stmt(db, 'SELECT label FROM labels WHERE message_id = ?').get(messageId) as { label: Label } | undefined;
  return row?.label ?? null;
}

/** The spam probability the current model gave a message just before a label was applied, and which model gave it. */
export interface ScoredBefore {
  probability: number;
  /** The run whose model gave it: the active run, or the base run of the live copy learning on top of it. */
  runId: number;
  /** True when the live copy (the run plus the labels learned since) gave it. */
  live: boolean;
}

/**
 * Sets (or clears, with null) a message's label and records the change in the
 * history, in one transaction. Labels are never overwritten without a trace.
 * `scored`: the probability the model gave the message before this label (a
 * person's labels record it; imports, mailboxes and undo do not).
 */
export function setLabel(db: Db, messageId: number, label: Label | null, origin: LabelOrigin, scored?: ScoredBefore | null): LabelChange {
  return writeTransaction(db, (): LabelChange => {
    const exists = stmt(db, 'SELECT 1 FROM messages WHERE id = ?').get(messageId);
    if (!exists) throw new ApiError('not-found', `message ${messageId} does not exist`);
    const previous = currentLabel(db, messageId);
    if (previous === label) return { messageId, label, previous };
    writeLabel(db, messageId, label);
    stmt(
      db,
      `INSERT INTO label_events (message_id, label, previous, at, origin, probability, scored_by_run, scored_live)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(messageId, label, previous, Date.now(), origin, scored?.probability ?? null, scored?.runId ?? null, scored?.live ? 1 : 0);
    markRunsStale(db);
    return { messageId, label, previous };
  });
}

function writeLabel(db: Db, messageId: number, label: Label | null): void {
  if (label === null) stmt(db, 'DELETE FROM labels WHERE message_id = ?').run(messageId);
  else {
    stmt(
      db,
      `INSERT INTO labels (message_id, label, updated_at) VALUES (?, ?, ?)
       ON CONFLICT(message_id) DO UPDATE SET label = excluded.label, updated_at = excluded.updated_at`,
    ).run(messageId, label, Date.now());
  }
}

/** Runs trained before a label changed (or a labeled message went) no longer reflect the data. */
export function markRunsStale(db: Db): void {
  stmt(db, `UPDATE runs SET labels_changed_after = 1 WHERE status = 'completed' AND labels_changed_after = 0`).run();
}

/**
 * Undoes the newest label change by a person that is not undone yet (among
 * `messageIds` when given: the labels one view gave), restoring
 * the label it replaced. The undo is itself recorded, so history only grows.
 */
export function undoLastLabel(db: Db, messageIds?: readonly number[]): LabelChange | null {
  return writeTransaction(db, (): LabelChange | null => {
    type Event = { id: number; message_id: number; label: Label | null; previous: Label | null };
    const undoable = `SELECT id, message_id, label, previous FROM label_events WHERE origin IN ('user', 'fix') AND undone = 0`;
    const last = (
      messageIds === undefined
        ? stmt(db, `${undoable} ORDER BY id DESC LIMIT 1`).get()
        : stmt(db, `${undoable} AND message_id IN (SELECT value FROM json_each(?)) ORDER BY id DESC LIMIT 1`).get(
            JSON.stringify(messageIds),
          )
    ) as Event | undefined;
    if (!last) return null;
    const now = currentLabel(db, last.message_id);
    if (now !== last.label) {
      // Labeled again since (from the command line or a mailbox, which undo never reverts): undoing would overwrite that.
      throw new ApiError(
        'conflict',
        `message ${last.message_id} was labeled ${now ?? 'unlabeled'} since; its ${last.label ?? 'cleared'} label was not undone`,
      );
    }
    stmt(db, 'UPDATE label_events SET undone = 1 WHERE id = ?').run(last.id);
    writeLabel(db, last.message_id, last.previous);
    stmt(db, 'INSERT INTO label_events (message_id, label, previous, at, origin) VALUES (?, ?, ?, ?, ?)').run(
      last.message_id,
      last.previous,
      last.label,
      Date.now(),
      'undo',
    );
    markRunsStale(db);
    return { messageId: last.message_id, label: last.previous, previous: last.label };
  });
}

export function labelCounts(db: Db): { spam: number; ham: number } {
  const rows = stmt(db, 'SELECT label, count(*) AS n FROM labels GROUP BY label').all() as Array<{ label: Label; n: number }>;
  const counts = { spam: 0, ham: 0 };
  for (const row of rows) counts[row.label] = row.n;
  return counts;
}
