// What a run's predictions say about the data: held-out scores, losses, likely label errors, training dynamics.
import type { ExampleDynamics, LossHistogram, PredictionSort } from '../../../shared/contract';
import type { ExamplePrediction, Label, SplitName } from '../../../shared/types';
import type { Db } from './open';
import { getRun } from './runs';

/** The split a run is judged on: out-of-fold when it has it, else validation. */
const HELD_OUT_SPLIT = `(SELECT CASE WHEN EXISTS (SELECT 1 FROM predictions WHERE run_id = ? AND split = 'oof') THEN 'oof' ELSE 'validation' END)`;

/** Legitimate bulk mail announces itself: mailing-list fields, or Precedence bulk/list/junk (RFC 2369, RFC 3834). */
const IS_BULK = `EXISTS (SELECT 1 FROM json_each(m.headers_json) h WHERE json_extract(h.value, '$[0]') IN ('list-id', 'list-unsubscribe', 'list-post')
  OR (json_extract(h.value, '$[0]') = 'precedence' AND lower(trim(json_extract(h.value, '$[1]'))) IN ('bulk', 'list', 'junk')))`;

/**
 * Held-out predictions of a run, each with whether the message is legitimate-looking bulk mail:
 * the validation split when `preferValidation` (a newest-mail holdout, the figures that look
 * forward), else out-of-fold when the run has them, else the validation split.
 */
export function heldOutPredictions(db: Db, runId: number, preferValidation: boolean) {
  const rows = db
    .prepare(
      `SELECT p.split, p.label, p.probability, ${IS_BULK} AS bulk FROM predictions p JOIN messages m ON m.id = p.message_id
       WHERE p.run_id = ? AND p.split = CASE WHEN ? THEN 'validation' ELSE ${HELD_OUT_SPLIT} END`,
    )
    .all(runId, preferValidation ? 1 : 0, runId) as Array<{ split: SplitName; label: string; probability: number; bulk: number }>;
  return {
    split: rows[0]?.split ?? ('validation' as SplitName),
    probabilities: rows.map((r) => r.probability),
    targets: rows.map((r) => (r.label === 'spam' ? 1 : 0)),
    bulk: rows.map((r) => r.bulk === 1),
  };
}

/** Per-class thresholds: the mean predicted probability of each class among messages labeled with it. */
function confidentThresholds(db: Db, runId: number): { spam: number; ham: number } {
  const rows = db
    .prepare(
      `SELECT label, avg(CASE WHEN label = 'spam' THEN probability ELSE 1 - probability END) AS mean FROM predictions
       WHERE run_id = ? AND split = ${HELD_OUT_SPLIT} GROUP BY label`,
    )
    .all(runId, runId) as Array<{ label: Label; mean: number }>;
  const mean = (label: Label) => rows.find((r) => r.label === label)?.mean ?? 0.5;
  return { spam: mean('spam'), ham: mean('ham') };
}

const PREDICTION_ORDER: Record<PredictionSort, string> = {
  'loss-desc': 'p.loss DESC',
  'loss-asc': 'p.loss ASC',
  'probability-desc': 'p.probability DESC',
  'probability-asc': 'p.probability ASC',
  mislabeled: 'p.loss DESC',
  // Hard to learn: the lowest mean probability of the true label over the epochs (cartography), else at the end.
  hard: 'coalesce(d.confidence, exp(-p.loss)) ASC',
};

export interface PredictionQuery {
  runId: number;
  sort: PredictionSort;
  label?: Label;
  split?: SplitName;
  mistakes?: boolean;
}

/** The predictions a query lists: its filters, and the one the "likely mislabeled" order implies. */
function predictionsWhere(db: Db, query: PredictionQuery): { sql: string; params: unknown[] } {
  const clauses = ['p.run_id = ?'];
  const params: unknown[] = [query.runId];
  if (query.label) {
    clauses.push('p.label = ?');
    params.push(query.label);
  }
  if (query.split) {
    clauses.push('p.split = ?');
    params.push(query.split);
  } else {
    // One row per message: out-of-fold when the run has it, else train/validation.
    clauses.push(
      `(p.split = 'oof' OR NOT EXISTS (SELECT 1 FROM predictions o WHERE o.run_id = p.run_id AND o.message_id = p.message_id AND o.split = 'oof'))`,
    );
  }
  if (query.mistakes) {
    clauses.push(`(p.label = 'spam') <> (p.probability >= (SELECT threshold FROM runs WHERE id = p.run_id))`);
  }
  if (query.sort === 'mislabeled') {
    const t = confidentThresholds(db, query.runId);
    // Confident learning: flag a message when the model's confidence in the other class reaches that class's own average.
    clauses.push(`((p.label = 'ham' AND p.probability >= ?) OR (p.label = 'spam' AND 1 - p.probability >= ?))`);
    params.push(t.spam, t.ham);
  }
  return { sql: `WHERE ${clauses.join(' AND ')}`, params };
}

export function listPredictions(
  db: Db,
  query: PredictionQuery & { offset: number; limit: number },
): { total: number; rows: ExamplePrediction[] } {
  const where = predictionsWhere(db, query);
  const total = (db.prepare(`SELECT count(*) AS n FROM predictions p ${where.sql}`).get(...where.params) as { n: number }).n;
  const rows = db
    .prepare(
      `SELECT p.message_id AS messageId, m.subject, m.from_addr AS "from", p.label, p.split, p.probability, p.loss
       FROM predictions p JOIN messages m ON m.id = p.message_id
       LEFT JOIN example_dynamics d ON d.run_id = p.run_id AND d.message_id = p.message_id ${where.sql}
       ORDER BY ${PREDICTION_ORDER[query.sort]}, p.message_id LIMIT ? OFFSET ?`,
    )
    .all(...where.params, query.limit, query.offset) as ExamplePrediction[];
  return { total, rows };
}

/** Loss bin edges: ln 2 (0.693) is where a message crosses the 0.5 threshold to the wrong side. */
const LOSS_EDGES = [0, 0.01, 0.03, 0.1, 0.3, Math.LN2, 1.5, 3, 6];
const LOSS_BIN = `CASE ${LOSS_EDGES.map((edge, bin) => `WHEN p.loss >= ${edge} THEN ${bin}`)
  .reverse()
  .join(' ')} ELSE 0 END`;

/** How many of the messages a query lists fall in each loss bin, per class: counted by SQLite, not read out. */
export function lossHistogram(db: Db, query: PredictionQuery): LossHistogram {
  const where = predictionsWhere(db, query);
  const counts = db
    .prepare(`SELECT p.label, ${LOSS_BIN} AS bin, count(*) AS n FROM predictions p ${where.sql} GROUP BY p.label, bin`)
    .all(...where.params) as Array<{ label: Label; bin: number; n: number }>;
  const histogram = { edges: LOSS_EDGES, spam: LOSS_EDGES.map(() => 0), ham: LOSS_EDGES.map(() => 0) };
  for (const { label, bin, n } of counts) histogram[label][bin] = n;
  return histogram;
}

export function runDynamics(db: Db, runId: number): ExampleDynamics[] {
  getRun(db, runId);
  return db
    .prepare(
      `SELECT d.message_id AS messageId, l.label, m.subject, d.confidence, d.variability FROM example_dynamics d
       JOIN messages m ON m.id = d.message_id JOIN labels l ON l.message_id = d.message_id WHERE d.run_id = ?`,
    )
    .all(runId) as ExampleDynamics[];
}
