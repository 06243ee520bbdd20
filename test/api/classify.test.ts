// A real trained run seen through the API: explanations (contributions add up
// to the logit, per-word tints are those words' own token contributions) and
// the per-example losses with their histogram.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClassifyResult, LossHistogram } from '../../shared/contract';
import type { ExamplePrediction } from '../../shared/types';
import { DEFAULT_TRAIN_SETTINGS } from '../../shared/types';
import type { BackendInternals } from '../../electron/backend/api/backend';
import { corpusBackend } from '../support/backend';

let backend: BackendInternals;
let cleanUp: () => Promise<void>;
let runId: number;
beforeAll(async () => {
  ({ backend, cleanUp } = await corpusBackend(30));
  const run = await backend.training.start({ ...DEFAULT_TRAIN_SETTINGS, epochs: 5 }).finished;
  runId = run.id;
});
afterAll(() => cleanUp());

async function classifyText(raw: string): Promise<ClassifyResult> {
  const result = await backend.handle('classify.text', { raw, runId });
  if (!result.ok) throw new Error(result.error.message);
  return result.value as ClassifyResult;
}

describe('classify explanations', () => {
  const raw = 'Subject: Limited offer, click now\n\nClick here for a free offer. The constructor of the offer says hello.\n';

  it('tints each word by its own token: the same number as that token in the contribution list', async () => {
    const result = await classifyText(raw);
    expect(result.parsed).toEqual({ subject: 'Limited offer, click now', text: expect.stringContaining('free offer') });
    const byToken = new Map(result.contributions.flatMap((c) => c.token.split(' | ').map((t) => [t, c.weight] as const)));
    const checked = Object.entries(result.wordWeights.text).filter(([word]) => byToken.has(word));
    expect(checked.length).toBeGreaterThan(2);
    for (const [word, weight] of checked) expect(weight).toBe(byToken.get(word));
    for (const [word, weight] of Object.entries(result.wordWeights.subject)) {
      if (byToken.has(`subject:${word}`)) expect(weight).toBe(byToken.get(`subject:${word}`));
    }
    // A word named like an Object property ("constructor") is a word like any other.
    expect(Object.values(result.wordWeights.text).every(Number.isFinite)).toBe(true);
  });

  it('for the linear model, bias plus every contribution is the logit', async () => {
    const result = await classifyText(raw);
    expect(result.exact).toBe(true);
    // The list is the strongest 60; a short message has fewer tokens than that, so it is complete.
    expect(result.contributions.length).toBeLessThan(60);
    const sum = result.bias + result.contributions.reduce((total, c) => total + c.weight, 0);
    expect(sum).toBeCloseTo(result.logit, 9);
    expect(result.probability).toBeCloseTo(1 / (1 + Math.exp(-result.logit)), 12);
  });
});

describe('per-example losses', () => {
  const call = async <T>(method: string, request: unknown): Promise<T> => {
    const result = await backend.handle(method, request);
    if (!result.ok) throw new Error(result.error.message);
    return result.value as T;
  };

  it('bins exactly the listed losses per class, for the whole list and for a filter', async () => {
    for (const query of [
      { runId, sort: 'loss-desc' },
      { runId, sort: 'loss-desc', label: 'ham', mistakes: true },
    ]) {
      const listed = await call<{ total: number; rows: ExamplePrediction[] }>('runs.predictions', { ...query, offset: 0, limit: 500 });
      expect(listed.rows).toHaveLength(listed.total);
      const histogram = await call<LossHistogram>('runs.lossHistogram', query);
      const expected = { spam: histogram.edges.map(() => 0), ham: histogram.edges.map(() => 0) };
      for (const row of listed.rows) expected[row.label][histogram.edges.filter((edge) => row.loss >= edge).length - 1]!++;
      expect({ spam: histogram.spam, ham: histogram.ham }).toEqual(expected);
    }
  });
});
