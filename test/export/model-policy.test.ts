// The model file carries the run's decision policy: exported and imported
// elsewhere, the model decides the same on every held-out message; a file from
// before policies still imports, and a policy out of bounds is refused.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ClassifiedBatch, RunPolicy } from '../../shared/contract';
import { decide } from '../../shared/decision';
import type { ExamplePrediction, RunSummary } from '../../shared/types';
import { decodeWeights, encodeWeights, ModelPolicy } from '../../electron/backend/model/weights';
import { runModel } from '../../electron/backend/store/runs';
import { corpusTraining } from '../support/backend';
import { tempDir } from '../support/cli';

const { backend, train } = corpusTraining(60);
const dir = tempDir('model-policy');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

async function call<T>(method: Parameters<ReturnType<typeof backend>['handle']>[0], request: unknown): Promise<T> {
  const result = await backend().handle(method, request);
  if (!result.ok) throw new Error(`${result.error.kind}: ${result.error.message}`);
  return result.value as T;
}

/** Each message's decision under a run, by its own policy. */
async function decisions(runId: number, messages: string[]): Promise<string[]> {
  const { run } = await call<RunPolicy>('runs.policy', { runId });
  const out: string[] = [];
  for (let i = 0; i < messages.length; i += 100) {
    const batch = await call<ClassifiedBatch>('classify.bytes', { messages: messages.slice(i, i + 100), runId });
    for (const score of batch.scores)
      out.push('probability' in score ? decide(score.probability, run.threshold, run.unsureBelow) : score.error);
  }
  return out;
}

describe('a model file with its policy', () => {
  it('decides the same on every held-out message after export and import', async () => {
    const trained = await train({ epochs: 5 });
    const { run } = await call<RunPolicy>('runs.policy', { runId: trained.id, maxHamLost: 0.01 });
    await call('runs.policy', { runId: trained.id, unsureBelow: run.threshold / 2 });
    const file = path.join(dir, 'model.spamlab');
    await call('models.export', { runId: trained.id, file });
    const { runId: imported } = await call<{ runId: number }>('models.import', { file });
    const copy = await call<RunSummary>('runs.get', { runId: imported });
    expect({ threshold: copy.threshold, unsureBelow: copy.unsureBelow }).toEqual({
      threshold: run.threshold,
      unsureBelow: run.threshold / 2,
    });

    const { rows } = await call<{ rows: ExamplePrediction[] }>('runs.predictions', {
      runId: trained.id,
      sort: 'loss-desc',
      split: 'validation',
      offset: 0,
      limit: 500,
    });
    expect(rows.length).toBeGreaterThan(30);
    const raw = backend().context.db.prepare('SELECT raw FROM messages WHERE id = ?').pluck();
    const heldOut = rows.map((row) => (raw.get(row.messageId) as Buffer).toString('base64'));
    const original = await decisions(trained.id, heldOut);
    expect(new Set(original).size).toBeGreaterThan(1);
    expect(await decisions(imported, heldOut)).toEqual(original);
  });

  it('imports a file from before policies with the default threshold and no band', async () => {
    const { id } = (await call<RunSummary[]>('runs.list', {})).find((r) => r.holdout !== null)!;
    const file = path.join(dir, 'old.spamlab');
    // Stored models are written as format version 1, as every file was before policies.
    fs.writeFileSync(file, runModel(backend().context.db, id));
    const { runId } = await call<{ runId: number }>('models.import', { file });
    expect(await call<RunSummary>('runs.get', { runId })).toMatchObject({ threshold: 0.5, unsureBelow: null });
  });

  it('carries the sender lists only when asked, and they come back on import', async () => {
    const { id } = (await call<RunSummary[]>('runs.list', {})).find((r) => r.holdout !== null)!;
    await call('lists.add', { list: 'allow', entries: ['boss@example.com'] });
    await call('lists.add', { list: 'block', entries: ['spammy.example'] });
    const without = path.join(dir, 'without-lists.spamlab');
    const withLists = path.join(dir, 'with-lists.spamlab');
    await call('models.export', { runId: id, file: without });
    await call('models.export', { runId: id, file: withLists, withLists: true });
    await call('lists.remove', { entries: ['boss@example.com', 'spammy.example'] });
    await call('models.import', { file: without });
    expect(await call('lists.get', {})).toEqual({ allow: [], block: [] });
    await call('models.import', { file: withLists });
    expect(await call('lists.get', {})).toEqual({ allow: ['boss@example.com'], block: ['spammy.example'] });
  });

  it('refuses a policy out of bounds, naming the field', async () => {
    const { id } = (await call<RunSummary[]>('runs.list', {})).find((r) => r.holdout !== null)!;
    const weights = decodeWeights(runModel(backend().context.db, id), 'run');
    for (const [policy, field] of [
      [{ threshold: 2, unsureBelow: null }, 'policy.threshold'],
      [{ threshold: 0.5, unsureBelow: 0.7 }, 'policy.unsureBelow'],
      [{ threshold: 0.5, unsureBelow: null, lists: { allow: ['Name <a@b.example>'], block: [] } }, 'policy.lists.allow[0]'],
      [{ threshold: 0.5, unsureBelow: null, lists: { allow: [] } }, 'policy.lists.block'],
    ] as Array<[unknown, string]>) {
      const file = path.join(dir, 'bad.spamlab');
      // Written as a careless or hostile tool would: the encoder does not check what it is given.
      fs.writeFileSync(file, encodeWeights({ ...weights, policy: policy as ModelPolicy }));
      await expect(call('models.import', { file })).rejects.toThrow(`${file}: ${field}: `);
    }
  });
});
