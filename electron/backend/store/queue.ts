import type { QueueOrder } from '../../../shared/contract';
import type { Db } from './open';

const UNLABELED = 'NOT EXISTS (SELECT 1 FROM labels l WHERE l.message_id = m.id)';

const skipClause = (skip: number[]) => (skip.length ? `AND m.id NOT IN (${skip.map(Number).join(',')})` : '');

/**
 * The id of the next unlabeled message to label, or null when none is left.
 * Every order is an index lookup, so the next message comes in milliseconds
 * even with 100,000 messages.
 */
export function nextUnlabeledId(
  db: Db,
  order: QueueOrder,
  skip: number[],
  active: { runId: number; threshold: number } | null,
): number | null {
  const skipped = skipClause(skip);
  if (order === 'uncertain' && active) {
    const nearest = mostUncertain(db, active, skipped);
    if (nearest !== null) return nearest;
  }
  if (order === 'random') {
    const bounds = db.prepare('SELECT min(id) AS lo, max(id) AS hi FROM messages').get() as { lo: number | null; hi: number | null };
    if (bounds.lo === null || bounds.hi === null) return null;
    const start = bounds.lo + Math.floor(Math.random() * (bounds.hi - bounds.lo + 1));
    const after = db
      .prepare(`SELECT m.id FROM messages m WHERE m.id >= ? AND ${UNLABELED} ${skipped} ORDER BY m.id LIMIT 1`)
      .pluck()
      .get(start);
    if (after !== undefined) return after as number;
    const before = db
      .prepare(`SELECT m.id FROM messages m WHERE m.id < ? AND ${UNLABELED} ${skipped} ORDER BY m.id DESC LIMIT 1`)
      .pluck()
      .get(start);
    return (before as number | undefined) ?? null;
  }
  const newest = db
    .prepare(`SELECT m.id FROM messages m WHERE ${UNLABELED} ${skipped} ORDER BY m.date DESC, m.id DESC LIMIT 1`)
    .pluck()
    .get();
  return (newest as number | undefined) ?? null;
}

/** The unlabeled message whose score lies closest to the run's threshold, searched from both sides of it. */
function mostUncertain(db: Db, active: { runId: number; threshold: number }, skipped: string): number | null {
  const side = (comparison: string, direction: string) =>
    db
      .prepare(
        `SELECT m.id, s.probability FROM scores s JOIN messages m ON m.id = s.message_id
         WHERE s.run_id = ? AND s.probability ${comparison} ? AND ${UNLABELED} ${skipped}
         ORDER BY s.probability ${direction} LIMIT 1`,
      )
      .get(active.runId, active.threshold) as { id: number; probability: number } | undefined;
  const above = side('>=', 'ASC');
  const below = side('<', 'DESC');
  if (!above || !below) return (above ?? below)?.id ?? null;
  return above.probability - active.threshold <= active.threshold - below.probability ? above.id : below.id;
}
