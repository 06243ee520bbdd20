// Which filter is in use, by one rule on every door: a run that finishes becomes
// active; "Use" (runs.activate) picks another run until the next one finishes.
import { describe, expect, it } from 'vitest';
import type { DatasetStats, RunSummary } from '../../shared/types';
import { corpusTraining } from '../support/backend';

const { backend, train } = corpusTraining(60);

async function call<T>(method: Parameters<ReturnType<typeof backend>['handle']>[0], request: unknown): Promise<T> {
  const result = await backend().handle(method, request);
  if (!result.ok) throw new Error(`${result.error.kind}: ${result.error.message}`);
  return result.value as T;
}
const activeRun = async () => (await call<DatasetStats>('dataset.stats', {})).activeRunId;

describe('the active run', () => {
  it('is the run that finished last, even after another run was chosen with Use', async () => {
    const first = await train({ epochs: 1 });
    expect(await activeRun()).toBe(first.id);
    const second = await train({ epochs: 1 });
    expect(await activeRun()).toBe(second.id);
    await call<RunSummary>('runs.activate', { runId: first.id });
    expect(await activeRun()).toBe(first.id);
    const third = await train({ epochs: 1 });
    expect(await activeRun()).toBe(third.id);
    const runs = await call<RunSummary[]>('runs.list', {});
    expect(runs.filter((r) => r.isActive).map((r) => r.id)).toEqual([third.id]);
  });
});
