import type { ApiContext } from './context';
import { ensureFeatures, featuresOf } from '../features/cache';
import { toSparse } from '../features/vectorize';
import { decodeWeights, ModelWeights } from '../model/weights';
import { probabilityOf } from '../model/infer';
import { runModel } from '../store/runs';
import { putScores, unscoredMessageIds } from '../store/scores';

const modelCache = new Map<string, ModelWeights>();

/** A run's decoded model, kept in memory: runs are immutable once completed. */
export function loadRunModel(ctx: ApiContext, runId: number): ModelWeights {
  const key = `${ctx.db.name}#${runId}`;
  const cached = modelCache.get(key);
  if (cached) return cached;
  const weights = decodeWeights(runModel(ctx.db, runId), `run ${runId}`);
  modelCache.set(key, weights);
  return weights;
}

export function forgetRunModel(ctx: ApiContext, runId: number): void {
  modelCache.delete(`${ctx.db.name}#${runId}`);
}

/** Scores every message the run has not scored yet (new imports), so queues and filters see them. */
export function scoreUnscored(ctx: ApiContext, runId: number): number {
  const ids = unscoredMessageIds(ctx.db, runId);
  if (ids.length === 0) return 0;
  ensureFeatures(ctx.db);
  const weights = loadRunModel(ctx, runId);
  const scores: Array<[number, number]> = [];
  for (const id of ids) {
    const tokens = featuresOf(ctx.db, id);
    if (!tokens) continue;
    const vector = toSparse(tokens, weights.buckets);
    scores.push([id, probabilityOf(weights, vector.ids, vector.values)]);
  }
  putScores(ctx.db, runId, scores);
  return scores.length;
}
