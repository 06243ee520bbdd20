// A run's lifecycle: created, trained (curves, model), finished, made active, deleted.
import type {
  CurvePoint,
  HoldoutInfo,
  Label,
  Metrics,
  RunStatus,
  RunSummary,
  SplitName,
  TfBackendName,
  TrainSettings,
} from '../../../shared/types';
import { DEFAULT_TRAIN_SETTINGS, LEGACY_TRAIN_SETTINGS } from '../../../shared/types';
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
  unsure_below: number | null;
  metrics_json: string | null;
  holdout_json: string | null;
  error: string | null;
  labels_changed_after: number;
}

const RUN_COLUMNS = `id, name, status, settings_json, backend, created_at, finished_at, train_count, validation_count,
  examples_per_second, threshold, unsure_below, metrics_json, holdout_json, error, labels_changed_after`;

const toSummary = (row: RunRow, activeId: number | null): RunSummary => ({
  id: row.id,
  name: row.name,
  status: row.status,
  settings: { ...DEFAULT_TRAIN_SETTINGS, ...LEGACY_TRAIN_SETTINGS, ...JSON.parse(row.settings_json) },
  backend: row.backend,
  createdAt: row.created_at,
  finishedAt: row.finished_at,
  trainCount: row.train_count,
  validationCount: row.validation_count,
  examplesPerSecond: row.examples_per_second,
  threshold: row.threshold,
  unsureBelow: row.unsure_below,
  validationMetrics: row.metrics_json ? JSON.parse(row.metrics_json) : null,
  holdout: row.holdout_json ? JSON.parse(row.holdout_json) : null,
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

/** The number the next run's default name gets: one past the highest id so far. */
export function nextRunNumber(db: Db): number {
  return ((db.prepare('SELECT max(id) AS n FROM runs').get() as { n: number | null }).n ?? 0) + 1;
}

export function runCount(db: Db): number {
  return (db.prepare('SELECT count(*) AS n FROM runs').get() as { n: number }).n;
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
  holdout: HoldoutInfo;
  threshold: number;
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
      `UPDATE runs SET status = 'completed', finished_at = ?, model = ?, metrics_json = ?, holdout_json = ?, threshold = ?,
         examples_per_second = ?, train_count = ?, validation_count = ?, owner_pid = NULL WHERE id = ?`,
    ).run(
      Date.now(),
      run.model,
      JSON.stringify(run.metrics),
      JSON.stringify(run.holdout),
      run.threshold,
      run.examplesPerSecond,
      run.trainCount,
      run.validationCount,
      runId,
    );
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

/** A run's whole decision policy: its threshold and where its unsure band starts (null: no band). */
export function setPolicy(db: Db, runId: number, threshold: number, unsureBelow: number | null): RunSummary {
  getRun(db, runId);
  db.prepare('UPDATE runs SET threshold = ?, unsure_below = ? WHERE id = ?').run(threshold, unsureBelow, runId);
  return getRun(db, runId);
}

export function runModel(db: Db, runId: number): Buffer {
  const row = db.prepare('SELECT status, model FROM runs WHERE id = ?').get(runId) as
    { status: RunStatus; model: Buffer | null } | undefined;
  if (!row) throw new ApiError('not-found', `run ${runId} does not exist`);
  if (!row.model) throw new ApiError('conflict', `run ${runId} is ${row.status} and has no model`);
  return row.model;
}
