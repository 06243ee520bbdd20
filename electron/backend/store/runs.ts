import type { ExampleDynamics, LossHistogram, PredictionSort } from '../../../shared/contract';
import type {
  CurvePoint,
  ExamplePrediction,
  Label,
  Metrics,
  RunStatus,
  RunSummary,
  SplitName,
  TfBackendName,
  TrainSettings,
} from '../../../shared/types';
import { ApiError } from '../../../shared/errors';
import type { Db } from './open';
import { getSetting, setSetting, writeTransaction } from './open';

interface RunRow {
  id: number;
  name: string;
  status: RunStatus;
  settings_json: string;
  backend: TfBackendName | null;
  created_at: number;
  finished_at: number | null;
  train_count: number;
  validation_count: number;
  examples_per_second: number | null;
  threshold: number;
  metrics_json: string | null;
  error: string | null;
  labels_changed_after: number;
}

const RUN_COLUMNS = `id, name, status, settings_json, backend, created_at, finished_at, train_count, validation_count,
  examples_per_second, threshold, metrics_json, error, labels_changed_after`;

const toSummary = (row: RunRow, activeId: number | null): RunSummary => ({
  id: row.id,
  name: row.name,
  status: row.status,
  settings: JSON.parse(row.settings_json),
  backend: row.backend,
  createdAt: row.created_at,
  finishedAt: row.finished_at,
  trainCount: row.train_count,
  validationCount: row.validation_count,
  examplesPerSecond: row.examples_per_second,
  threshold: row.threshold,
  validationMetrics: row.metrics_json ? JSON.parse(row.metrics_json) : null,
  error: row.error,
  isActive: row.id === activeId,
  isStale: row.labels_changed_after === 1,
});

export function createRun(db: Db, name: string, settings: TrainSettings, tokenizerVersion: number): number {
  const result = db
    .prepare(`INSERT INTO runs (name, status, settings_json, created_at, tokenizer_version, owner_pid) VALUES (?, 'running', ?, ?, ?, ?)`)
    .run(name, JSON.stringify(settings), Date.now(), tokenizerVersion, process.pid);
  return Number(result.lastInsertRowid);
}

export function setRunBackend(db: Db, runId: number, backend: TfBackendName): void {
  db.prepare('UPDATE runs SET backend = ? WHERE id = ?').run(backend, runId);
}

export function appendCurvePoints(db: Db, runId: number, points: CurvePoint[]): void {
  const insert = db.prepare(
    `INSERT INTO run_curves (run_id, kind, step, epoch, train_loss, val_loss, val_auc, val_accuracy) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  writeTransaction(db, () => {
    for (const p of points) insert.run(runId, p.kind, p.step, p.epoch, p.trainLoss, p.valLoss, p.valAuc, p.valAccuracy);
  });
}

export interface CompletedRun {
  model: Buffer;
  metrics: Metrics | null;
  examplesPerSecond: number;
  trainCount: number;
  validationCount: number;
  predictions: Array<{ messageId: number; split: SplitName; label: Label; probability: number; loss: number }>;
  dynamics: Array<{ messageId: number; confidence: number; variability: number }>;
}

/** Stores everything a finished run produced in one transaction: a run is complete or it is not. */
export function completeRun(db: Db, runId: number, run: CompletedRun): void {
  writeTransaction(db, () => {
    db.prepare(
      `UPDATE runs SET status = 'completed', finished_at = ?, model = ?, metrics_json = ?, examples_per_second = ?,
         train_count = ?, validation_count = ?, owner_pid = NULL WHERE id = ?`,
    ).run(Date.now(), run.model, JSON.stringify(run.metrics), run.examplesPerSecond, run.trainCount, run.validationCount, runId);
    const insertPrediction = db.prepare(
      'INSERT OR REPLACE INTO predictions (run_id, message_id, split, label, probability, loss) VALUES (?, ?, ?, ?, ?, ?)',
    );
    for (const p of run.predictions) insertPrediction.run(runId, p.messageId, p.split, p.label, p.probability, p.loss);
    const insertDynamics = db.prepare(
      'INSERT OR REPLACE INTO example_dynamics (run_id, message_id, confidence, variability) VALUES (?, ?, ?, ?)',
    );
    for (const d of run.dynamics) insertDynamics.run(runId, d.messageId, d.confidence, d.variability);
  });
}

/** Stores a model made elsewhere as a completed run without curves or predictions. */
export function insertImportedRun(db: Db, name: string, settings: TrainSettings, tokenizerVersion: number, model: Buffer): number {
  const now = Date.now();
  const result = db
    .prepare(
      `INSERT INTO runs (name, status, settings_json, created_at, finished_at, tokenizer_version, model) VALUES (?, 'completed', ?, ?, ?, ?, ?)`,
    )
    .run(name, JSON.stringify(settings), now, now, tokenizerVersion, model);
  return Number(result.lastInsertRowid);
}

export function finishRun(db: Db, runId: number, status: 'failed' | 'cancelled', error: string | null): void {
  db.prepare(`UPDATE runs SET status = ?, error = ?, finished_at = ?, owner_pid = NULL WHERE id = ? AND status = 'running'`).run(
    status,
    error,
    Date.now(),
    runId,
  );
}

/** The run used for predictions: the one chosen, else the newest completed run. */
export function activeRunId(db: Db): number | null {
  const chosen = getSetting(db, 'activeRunId');
  if (chosen !== null) {
    const exists = db.prepare(`SELECT 1 FROM runs WHERE id = ? AND status = 'completed'`).get(Number(chosen));
    if (exists) return Number(chosen);
  }
  const newest = db.prepare(`SELECT id FROM runs WHERE status = 'completed' ORDER BY id DESC LIMIT 1`).pluck().get();
  return (newest as number | undefined) ?? null;
}

export function setActiveRun(db: Db, runId: number): RunSummary {
  const run = getRun(db, runId);
  if (run.status !== 'completed') throw new ApiError('conflict', `run ${runId} is ${run.status}; only a completed run can be active`);
  setSetting(db, 'activeRunId', String(runId));
  return { ...run, isActive: true };
}

export function listRuns(db: Db): RunSummary[] {
  const active = activeRunId(db);
  const rows = db.prepare(`SELECT ${RUN_COLUMNS} FROM runs ORDER BY id DESC`).all() as RunRow[];
  return rows.map((row) => toSummary(row, active));
}

export function getRun(db: Db, runId: number): RunSummary {
  const row = db.prepare(`SELECT ${RUN_COLUMNS} FROM runs WHERE id = ?`).get(runId) as RunRow | undefined;
  if (!row) throw new ApiError('not-found', `run ${runId} does not exist`);
  return toSummary(row, activeRunId(db));
}

export function runCurves(db: Db, runId: number): CurvePoint[] {
  const rows = db
    .prepare(`SELECT kind, step, epoch, train_loss, val_loss, val_auc, val_accuracy FROM run_curves WHERE run_id = ? ORDER BY kind, step`)
    .all(runId) as Array<{
    kind: 'step' | 'epoch';
    step: number;
    epoch: number;
    train_loss: number;
    val_loss: number | null;
    val_auc: number | null;
    val_accuracy: number | null;
  }>;
  return rows.map((r) => ({
    kind: r.kind,
    step: r.step,
    epoch: r.epoch,
    trainLoss: r.train_loss,
    valLoss: r.val_loss,
    valAuc: r.val_auc,
    valAccuracy: r.val_accuracy,
  }));
}

export function deleteRun(db: Db, runId: number): boolean {
  const run = getRun(db, runId);
  if (run.status === 'running') throw new ApiError('conflict', `run ${runId} is still training; cancel it first`);
  if (getSetting(db, 'activeRunId') === String(runId)) setSetting(db, 'activeRunId', null);
  return db.prepare('DELETE FROM runs WHERE id = ?').run(runId).changes === 1;
}

export function setThreshold(db: Db, runId: number, threshold: number): RunSummary {
  getRun(db, runId);
  db.prepare('UPDATE runs SET threshold = ? WHERE id = ?').run(threshold, runId);
  return getRun(db, runId);
}

export function runModel(db: Db, runId: number): Buffer {
  const row = db.prepare('SELECT status, model FROM runs WHERE id = ?').get(runId) as
    { status: RunStatus; model: Buffer | null } | undefined;
  if (!row) throw new ApiError('not-found', `run ${runId} does not exist`);
  if (!row.model) throw new ApiError('conflict', `run ${runId} is ${row.status} and has no model`);
  return row.model;
}

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

/** Per-class thresholds: the mean predicted probability of each class among messages labeled with it. */
function confidentThresholds(db: Db, runId: number): { spam: number; ham: number } {
  const rows = db
    .prepare(
      `SELECT label, avg(CASE WHEN label = 'spam' THEN probability ELSE 1 - probability END) AS mean FROM predictions
       WHERE run_id = ? AND split = (SELECT CASE WHEN EXISTS (SELECT 1 FROM predictions WHERE run_id = ? AND split = 'oof')
         THEN 'oof' ELSE 'validation' END) GROUP BY label`,
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
