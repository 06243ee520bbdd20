// Plant label errors in real mail, run the out-of-fold analysis, and check
// that the "likely mislabeled" ranking finds them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_TRAIN_SETTINGS, ExamplePrediction } from '../../shared/types';
import type { BackendInternals } from '../../electron/backend/api/backend';
import { setLabel } from '../../electron/backend/store/labels';
import { mulberry32, shuffle } from '../../electron/backend/training/split';
import { corpusBackend } from '../support/backend';

let backend: BackendInternals;
let cleanUp: () => Promise<void>;
beforeAll(async () => {
  ({ backend, cleanUp } = await corpusBackend(100));
});
afterAll(() => cleanUp());

describe('finding label errors', () => {
  it('ranks most of a planted 5% of flipped labels at the top of the likely-mislabeled list', async () => {
    const db = backend.context.db;
    const ids = db.prepare('SELECT message_id FROM labels ORDER BY message_id').pluck().all() as number[];
    const flipped = shuffle(ids.slice(), mulberry32(3)).slice(0, Math.round(ids.length * 0.05));
    for (const id of flipped) {
      const label = db.prepare('SELECT label FROM labels WHERE message_id = ?').pluck().get(id);
      setLabel(db, id, label === 'spam' ? 'ham' : 'spam', 'user');
    }
    const run = await backend.training.start({ ...DEFAULT_TRAIN_SETTINGS, folds: 5 }).finished;
    expect(run.status).toBe('completed');
    const result = await backend.handle('runs.predictions', { runId: run.id, offset: 0, limit: flipped.length, sort: 'mislabeled' });
    if (!result.ok) throw new Error(result.error.message);
    const top = (result.value as { rows: ExamplePrediction[] }).rows;
    expect(top.every((row) => row.split === 'oof')).toBe(true);
    const found = top.filter((row) => flipped.includes(row.messageId)).length;
    expect(found / flipped.length).toBeGreaterThanOrEqual(0.6);
  });
});
