// Training from the app: live curves, cancel, metrics at a threshold, runs
// surviving a restart of the host, the losses view and the test view.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApi } from '../../electron/backend/api';
import { startWebHost } from '../../electron/web/server';
import { openHarness, Harness } from './harness';
import { appPage } from './pages/app';

let h: Harness;
let app: ReturnType<typeof appPage>;
beforeAll(async () => {
  h = await openHarness();
  app = appPage(h.page);
  await h.page.waitForSelector('[data-testid=welcome]');
  await app.welcome.labeledSample();
  await h.page.waitForSelector('[data-testid=train-button]');
});
afterAll(() => h.close());

const stepPointsStored = async (runId: number) => {
  const run = (await h.backend.handle('runs.get', { runId })) as { ok: true; value: { status: string; curves: unknown[] } };
  return run.value;
};

describe('training in the app', () => {
  it('trains a run and shows its curves and metrics', async () => {
    await app.train.start();
    await h.page.waitForSelector('[data-testid=run-report]', { timeout: 60_000 });
    expect(await h.page.textContent('[data-testid=backend]')).toMatch(/backend: (wasm|cpu|tensorflow)/);
    expect(await h.page.locator('[data-testid=runs-table] tbody tr').count()).toBe(1);
    await h.screenshot('train-light');
  });

  it('moves the threshold and the confusion matrix follows', async () => {
    const before = await h.page.textContent('[data-testid=confusion]');
    await h.page.locator('input[aria-label=threshold]').fill('0.99');
    await h.page.waitForFunction((text) => document.querySelector('[data-testid=confusion]')?.textContent !== text, before);
    expect(await h.page.textContent('[data-testid=threshold-value]')).toBe('0.99');
    await h.page.click('text=Use this threshold');
    await h.page.waitForFunction(() => document.querySelector('[data-testid=runs-table]')?.textContent?.includes('0.99'));
    await h.screenshot('metrics-light');
  });

  it('shows points while a long run trains, stays responsive, and cancels within a second', async () => {
    await app.train.openSettings();
    await app.train.set('epochs', '300');
    await app.train.set('earlyStoppingPatience', '0');
    await h.page.selectOption('#setting-model', 'mlp');
    await app.train.start();
    await h.page.waitForSelector('[data-testid=cancel-button]');
    const runId = Number((await h.page.textContent('[data-testid=cancel-button]'))!.match(/\d+/)![0]);
    const deadline = Date.now() + 30_000;
    let midRun = await stepPointsStored(runId);
    while (midRun.curves.length < 3 && Date.now() < deadline) {
      await h.page.waitForTimeout(100);
      midRun = await stepPointsStored(runId);
    }
    expect(midRun.status).toBe('running');
    expect(midRun.curves.length).toBeGreaterThan(2);
    await h.screenshot('train-running-light');

    // A real key press while pushes stream in: from keydown to the UI's answer, timed in the page.
    await h.page.focus('[data-testid=theme-toggle]');
    await h.page.evaluate(() => {
      const button = document.querySelector('[data-testid=theme-toggle]')!;
      const timing = ((window as unknown as { keyTiming: { down: number; changed: number } }).keyTiming = { down: 0, changed: 0 });
      button.addEventListener('keydown', () => (timing.down = performance.now()), { once: true });
      new MutationObserver(() => (timing.changed ||= performance.now())).observe(button, {
        childList: true,
        subtree: true,
        characterData: true,
      });
    });
    await h.page.keyboard.press('Enter');
    await h.page.waitForFunction(() => (window as unknown as { keyTiming: { changed: number } }).keyTiming.changed > 0);
    const latency = await h.page.evaluate(() => {
      const timing = (window as unknown as { keyTiming: { down: number; changed: number } }).keyTiming;
      return timing.changed - timing.down;
    });
    expect(latency).toBeLessThan(100);

    const cancelledAt = Date.now();
    await app.train.cancel();
    await h.page.waitForFunction(() => !document.querySelector('[data-testid=cancel-button]'), undefined, { timeout: 5000 });
    expect(Date.now() - cancelledAt).toBeLessThan(2500);
    expect((await stepPointsStored(runId)).status).toBe('cancelled');
  });

  it('compares two runs: curves overlaid, differing settings and metrics side by side', async () => {
    const rows = h.page.locator('[data-testid=runs-table] tbody tr');
    expect(await rows.count()).toBe(2);
    await rows.nth(0).click();
    await h.page.check('input[aria-label="compare run 1"]');
    await h.page.waitForSelector('[data-testid=run-comparison]');
    const differing = await h.page.locator('[data-testid=differing-setting] th').allTextContents();
    expect(differing).toEqual(expect.arrayContaining(['Model', 'Epochs']));
    const legend = await h.page.locator('[data-testid=loss-chart] .u-legend .u-series').allTextContents();
    expect(legend.join(' ')).toMatch(/run 1 validation/);
    expect(await h.page.locator('[data-testid=run-comparison] td.better').count()).toBe(0);
    await app.train.openSettings();
    await h.screenshot('compare-table');
    await h.page.locator('[data-testid=loss-chart]').scrollIntoViewIfNeeded();
    await h.screenshot('compare-chart');
    await h.page.uncheck('input[aria-label="compare run 1"]');
    await h.page.waitForSelector('[data-testid=run-comparison]', { state: 'detached' });
  });

  it('lists losses, opens the top one and relabels it with one key', async () => {
    await app.nav('losses');
    await h.page.waitForSelector('[data-testid=loss-row]');
    const losses = await h.page.locator('[data-testid=loss-row] td:nth-child(5)').allTextContents();
    const values = losses.map(Number);
    expect(values).toEqual([...values].sort((a, b) => b - a));
    await h.page.locator('[data-testid=loss-row]').first().click();
    await h.page.waitForSelector('[data-testid=loss-explained]');
    await h.page.waitForSelector('[data-testid=contributions]');
    await h.screenshot('losses-light');
    const id = Number(await h.page.getAttribute('[data-testid=message-view]', 'data-message-id'));
    const before = ((await h.backend.handle('messages.get', { id })) as { ok: true; value: { label: string } }).value.label;
    await h.page.keyboard.press(before === 'spam' ? 'h' : 's');
    await h.page.waitForFunction(
      ([messageId, label]) => document.querySelector(`[data-message-id="${messageId}"] .badge`)?.textContent === label,
      [id, before === 'spam' ? 'ham' : 'spam'] as const,
    );
  });

  it('tests typed text and the probability follows', async () => {
    await app.nav('test');
    await h.page.fill('[data-testid=test-input]', 'Subject: meeting notes\n\nHi team, the minutes from the CVS discussion are attached.');
    await h.page.waitForSelector('[data-testid=probability]');
    const hamLike = await h.page.textContent('[data-testid=probability]');
    await h.page.fill(
      '[data-testid=test-input]',
      'Subject: FREE MONEY!!! Click here\n\nEarn $$$ fast, limited offer, click here to unsubscribe, viagra, mortgage rates, act now!',
    );
    await h.page.waitForFunction((text) => document.querySelector('[data-testid=probability]')?.textContent !== text, hamLike);
    const spamLike = await h.page.textContent('[data-testid=probability]');
    expect(parseFloat(spamLike!)).toBeGreaterThan(parseFloat(hamLike!));
    await h.screenshot('test-light');
  });

  it('finds the runs again after the host restarts', async () => {
    await h.host.close();
    const dbPath = h.backend.context.db.name;
    await h.backend.close();
    h.backend = await openApi({ dbPath });
    h.host = await startWebHost({ backend: h.backend, staticDir: (await import('node:path')).join(process.cwd(), 'dist', 'renderer') });
    await h.page.goto(h.host.url);
    await app.nav('train');
    await h.page.waitForSelector('[data-testid=runs-table] tbody tr');
    expect(await h.page.locator('[data-testid=runs-table] tbody tr').count()).toBe(2);
  });
});
