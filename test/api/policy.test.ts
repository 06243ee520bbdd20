// A run's decision policy on a real trained run: the threshold chosen for a
// target meets it on the holdout (checked by the report, not by the code that
// chose it), and the unsure band is what classify, filter and the CLI decide by.
import { describe, expect, it } from 'vitest';
import type { ClassifiedBatch, FilteredMessage, RunPolicy, RunReport } from '../../shared/contract';
import { FILTER_HEADERS } from '../../shared/pass-through';
import { corpusTraining } from '../support/backend';
import { spamlab } from '../support/cli';

const { backend, train } = corpusTraining(100);

async function call<T>(method: Parameters<ReturnType<typeof backend>['handle']>[0], request: unknown): Promise<T> {
  const result = await backend().handle(method, request);
  if (!result.ok) throw new Error(`${result.error.kind}: ${result.error.message}`);
  return result.value as T;
}

describe('the decision policy', () => {
  it('chooses for "ham lost at most 0.5%" a threshold that loses at most that on the holdout, and the most spam caught', async () => {
    const run = await train({ epochs: 5 });
    const policy = await call<RunPolicy>('runs.policy', { runId: run.id, maxHamLost: 0.005 });
    expect(policy.run.threshold).not.toBe(run.threshold);
    const report = await call<RunReport>('runs.report', { runId: run.id });
    expect(report.run.threshold).toBe(policy.run.threshold);
    const { bulk, other } = report.hamFlagged;
    const ham = bulk.count + other.count;
    expect(ham).toBeGreaterThan(20);
    expect((bulk.flagged + other.flagged) / ham).toBeLessThanOrEqual(0.005);
    expect(policy.holdout.hamLost).toBeLessThanOrEqual(0.005);
    // Any lower threshold loses more ham than allowed: none catches more spam within the target.
    const lower = await call<RunReport>('runs.report', { runId: run.id, threshold: policy.run.threshold - 1e-6 });
    expect(lower.hamFlagged.bulk.flagged + lower.hamFlagged.other.flagged).toBeGreaterThan(Math.floor(0.005 * ham));

    const spamTarget = await call<RunPolicy>('runs.policy', { runId: run.id, maxSpamMissed: 0.05 });
    expect(spamTarget.holdout.spamMissed).toBeLessThanOrEqual(0.05);
  });

  it('refuses two targets at once and an unsure band above the threshold, changing nothing', async () => {
    const before = (await call<RunPolicy>('runs.policy', {})).run;
    await expect(call('runs.policy', { maxHamLost: 0.01, maxSpamMissed: 0.01 })).rejects.toThrow(/at most one of/);
    await expect(call('runs.policy', { threshold: 0.4, unsureBelow: 0.6 })).rejects.toThrow(/at or below the threshold/);
    expect((await call<RunPolicy>('runs.policy', {})).run).toEqual(before);
  });

  it('calls what falls in the unsure band unsure, in classify and in the filter alike', async () => {
    const messages = backend().context.db.prepare('SELECT raw FROM messages ORDER BY id LIMIT 60').pluck().all() as Buffer[];
    const encoded = messages.map((m) => m.toString('base64'));
    const { scores } = await call<ClassifiedBatch>('classify.bytes', { messages: encoded });
    const sorted = scores.map((s) => ('probability' in s ? s.probability : NaN)).sort((a, b) => a - b);
    const [low, high] = [sorted[20]!, sorted[40]!];
    await call('runs.policy', { threshold: high, unsureBelow: low });
    const seen = new Set<string>();
    for (const [i, message] of encoded.entries()) {
      const p = (scores[i] as { probability: number }).probability;
      const expected = p >= high ? 'spam' : p >= low ? 'unsure' : 'ham';
      const filtered = await call<FilteredMessage>('filter.message', { message });
      expect(filtered.status).toBe(expected);
      expect(Buffer.from(filtered.output, 'base64').toString('latin1')).toMatch(
        new RegExp(`^${FILTER_HEADERS.status}: ${expected}\\r?$`, 'm'),
      );
      seen.add(expected);
    }
    expect(seen).toEqual(new Set(['spam', 'unsure', 'ham']));
  });

  it('is shown and set from the command line, shares given as percentages', async () => {
    const db = backend().context.db.name;
    const set = spamlab(['policy', '--db', db, '--max-ham-lost', '0.5%', '--unsure', '0.2', '--json']);
    expect(set.status, set.stderr).toBe(0);
    const policy = JSON.parse(set.stdout) as RunPolicy;
    expect(policy.run.unsureBelow).toBe(0.2);
    expect(policy.holdout.hamLost).toBeLessThanOrEqual(0.005);
    const shown = spamlab(['policy', '--db', db]);
    expect(shown.stdout).toContain(`spam at probability ≥ ${policy.run.threshold.toFixed(4)}, unsure from 0.2000`);
    expect(shown.stdout).toMatch(/on \d+ held-out messages: ham lost \d+\.\d\d%/);
    const bad = spamlab(['policy', '--db', db, '--max-ham-lost', '150%']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('--max-ham-lost: expected a share such as 0.1% or 0.001, got "150%"');
  });
});
