// Spam probabilities of stored messages under a run, for queues and filters.
import { type Db, writeTransaction } from './open';

/** Messages without a score under this run (imported after it, or never scored). */
export function unscoredMessageIds(db: Db, runId: number): number[] {
  return db
    .prepare('SELECT m.id FROM messages m WHERE NOT EXISTS (SELECT 1 FROM scores s WHERE s.run_id = ? AND s.message_id = m.id)')
    .pluck()
    .all(runId) as number[];
}

export function putScores(db: Db, runId: number, scores: Array<[messageId: number, probability: number]>): void {
  const insert = db.prepare('INSERT OR REPLACE INTO scores (run_id, message_id, probability) VALUES (?, ?, ?)');
  writeTransaction(db, () => {
    for (const [id, p] of scores) insert.run(runId, id, p);
  });
}
