// Learning while labeling, in the browser: with an active run, the "least sure"
// queue is re-ranked by the live copy after each label (no retraining), the
// running score moves, the live copy is saved as a run, and the Monitor view
// draws its chart.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_TRAIN_SETTINGS } from '../../shared/types';
import { getRun } from '../../electron/backend/store/runs';
import { nextUnlabeledId } from '../../electron/backend/store/queue';
import { liveOf } from '../../electron/backend/live/service';
import { loadCorpus, writeEmlFolder } from '../support/corpus';
import { openHarness, Harness } from './harness';
import { appPage } from './pages/app';

let h: Harness;
let runId: number;

/** The first `n` of the least-sure order by the run's stored scores, as the queue ranked before any label was learned. */
function storedOrder(n: number): number[] {
  const threshold = getRun(h.backend.context.db, runId).threshold;
  const skip: number[] = [];
  for (let i = 0; i < n; i++) {
    const id = nextUnlabeledId(h.backend.context.db, 'uncertain', skip, { runId, threshold });
    if (id === null) break;
    skip.push(id);
  }
  return skip;
}

/** The first `n` the queue offers now. */
async function queueOrder(n: number): Promise<number[]> {
  const skip: number[] = [];
  for (let i = 0; i < n; i++) {
    const item = await h.call('queue.next', { order: 'uncertain', skip });
    if (!item) break;
    skip.push(item.message.id);
  }
  return skip;
}

beforeAll(async () => {
  h = await openHarness();
  await h.call('import.sample', { label: true });
  const finished = new Promise((resolve) => h.backend.on('training.finished', resolve));
  ({ runId } = await h.call('training.start', { settings: DEFAULT_TRAIN_SETTINGS }));
  await finished;
  // New mail arrives unlabeled; its file name says what it truly is, for the test to answer with.
  const folder = path.join(h.dir, 'new-mail');
  writeEmlFolder(folder, loadCorpus({ perGroup: 60 }));
  await h.call('import.paths', { paths: [folder], label: null });
  await h.page.reload();
}, 120_000);
afterAll(() => h?.close());

describe('learning while labeling', () => {
  it('re-ranks the least-sure queue after each label, moves the running score, and saves the live copy as a run', async () => {
    const app = appPage(h.page);
    const before = storedOrder(10);
    await app.nav('label');
    await app.label.setOrder('uncertain');
    await h.page.waitForSelector(`[data-testid=queue-scorer] >> text=scored by run ${runId}`);
    await h.page.waitForSelector('[data-testid=running-score] >> text=no labels yet');
    for (let i = 0; i < 12; i++) {
      const id = await app.label.currentId();
      const message = await h.call('messages.get', { id });
      await app.label.press(/[/\\]spam-/.test(message.source) ? 's' : 'h');
    }
    await liveOf(h.backend.context).idle();
    const status = await h.call('live.status', {});
    expect(status).toMatchObject({ baseRunId: runId, learned: 12 });
    expect(status.running.last50.count).toBe(12);
    // Without retraining, the order the queue gives now is not the stored scores' order any more.
    const labeled = new Set(
      h.backend.context.db.prepare('SELECT message_id FROM label_events WHERE scored_live = 1').pluck().all() as number[],
    );
    const after = await queueOrder(10);
    expect(after.some((id) => labeled.has(id))).toBe(false);
    expect(after).not.toEqual(before.filter((id) => !labeled.has(id)).slice(0, after.length));
    await h.page.waitForSelector('[data-testid=running-score] >> text=/last 50: \\d+(\\.\\d)?% right · BCE \\d\\.\\d{3} \\(12 so far\\)/');
    await h.page.waitForSelector(`[data-testid=live-state] >> text=on top of run ${runId}: 12 learned`);
    await h.page.waitForSelector(`[data-testid=live-summary] >> text=Active filter: run ${runId} + 12 learned`);
    await h.screenshot('learning-light');

    await h.page.click('[data-testid=live-save]');
    const saved = runId + 1;
    await h.page.waitForSelector(`[data-testid=live-summary] >> text=Active filter: run ${saved}`);
    expect((await h.call('dataset.stats', {})).activeRunId).toBe(saved);
    // Wherever predictions appear, the run that made them is named.
    await app.nav('dataset');
    await h.page.waitForSelector(`[data-testid=list-total] >> text=spam probability by run ${saved}, the active filter`);
  });

  it('draws the Monitor chart of the active run against its holdout, light and dark', async () => {
    const app = appPage(h.page);
    await app.nav('monitor');
    await h.page.waitForSelector('[data-testid=drift-chart]');
    expect(await h.page.locator('[data-testid=drift-point]').count()).toBeGreaterThan(0);
    await h.page.waitForSelector('[data-testid=drift-baseline]');
    expect(await h.page.textContent('[data-testid=monitor-verdict]')).toMatch(/Run \d+ at threshold/);
    expect(await h.page.locator('[data-testid=monitor-table] tbody tr').count()).toBe(
      await h.page.locator('[data-testid=drift-point]').count(),
    );
    await h.screenshot('monitor-light');
    await h.page.selectOption('[data-testid=monitor-period]', 'week');
    await h.page.waitForFunction(() => document.querySelectorAll('[data-testid=drift-point]').length > 0);
    await h.page.click('[data-testid=theme-toggle]');
    await h.page.waitForFunction(() => document.documentElement.dataset.theme === 'dark');
    await h.screenshot('monitor-dark');
    await app.nav('label');
    await h.page.waitForSelector('[data-testid=running-score]');
    await h.screenshot('learning-dark');
  });
});
