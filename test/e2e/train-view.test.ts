// The Train view's sharp edges (issue 18): warnings about the data before and
// after a run, figures with nothing to divide by written "n/a", the run
// comparison at each run's saved threshold, the best epoch and early stopping
// on the loss curves, settings kept across view switches, and no uncaught page
// error when the view is left and entered again while a run trains.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_TRAIN_SETTINGS } from '../../shared/train-settings';
import type { Label } from '../../shared/types';
import { openHarness, Harness } from './harness';
import { appPage } from './pages/app';

let h: Harness;
let app: ReturnType<typeof appPage>;
/** Every labeled message of the sample, with its label, to put back after the imbalanced part. */
const sampleLabels = new Map<number, Label>();

async function finished(runId: number) {
  for (;;) {
    const run = await h.call('runs.get', { runId });
    if (run.status !== 'running') return run;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The page in the light theme and again in the dark one, `target` scrolled into view. */
async function screenshots(name: string, target?: string) {
  if (target)
    await h.page
      .locator(target)
      .first()
      .evaluate((el) => el.scrollIntoView({ block: 'start' }));
  await h.screenshot(`${name}-light`);
  await h.page.emulateMedia({ colorScheme: 'dark' });
  await h.page.waitForFunction(() => document.documentElement.dataset.theme === 'dark');
  await h.page.waitForTimeout(150); // the chart is drawn again in the dark colours
  await h.screenshot(`${name}-dark`);
  await h.page.emulateMedia({ colorScheme: 'light' });
  await h.page.waitForFunction(() => document.documentElement.dataset.theme === 'light');
}

const text = (selector: string) => h.page.locator(selector).first().innerText();
const value = (field: string) => h.page.inputValue(`#setting-${field}`);

/**
 * A browser may draw a frame, and so report resizes, after React has let go of
 * an unmounting component's refs and before it runs that component's effect
 * cleanups; headless Chromium hardly ever does. This makes it certain: an
 * observed element taken out of the page is reported at once, from inside the
 * removeChild that React calls (its refs are already null, its cleanups not
 * yet run), and what the handler throws is thrown again, uncaught, as a frame
 * would have. LossChart's handler read its ref and threw on every press of Train.
 */
function reportResizeOnRemoval() {
  const observed = new Map<Element, { observer: ResizeObserver; callback: ResizeObserverCallback }>();
  const Native = window.ResizeObserver;
  window.ResizeObserver = class extends Native {
    constructor(private readonly callback: ResizeObserverCallback) {
      super(callback);
    }
    override observe(target: Element, options?: ResizeObserverOptions) {
      observed.set(target, { observer: this, callback: this.callback });
      super.observe(target, options);
    }
    override unobserve(target: Element) {
      observed.delete(target);
      super.unobserve(target);
    }
    override disconnect() {
      for (const [target, { observer }] of observed) if (observer === this) observed.delete(target);
      super.disconnect();
    }
  };
  const removeChild = Node.prototype.removeChild;
  Node.prototype.removeChild = function <T extends Node>(this: Node, child: T): T {
    const removed = removeChild.call(this, child) as T;
    for (const [target, { observer, callback }] of observed) {
      if (target.isConnected) continue;
      observed.delete(target);
      const size = [{ inlineSize: 0, blockSize: 0 }];
      const entry = {
        target,
        contentRect: new DOMRectReadOnly(),
        borderBoxSize: size,
        contentBoxSize: size,
        devicePixelContentBoxSize: size,
      };
      try {
        callback([entry as unknown as ResizeObserverEntry], observer);
      } catch (error) {
        setTimeout(() => {
          throw error;
        });
      }
    }
    return removed;
  };
}

beforeAll(async () => {
  h = await openHarness();
  app = appPage(h.page);
  await h.page.addInitScript(reportResizeOnRemoval);
  // 3 spam and 30 ham, seeded through the real backend: the sample, most of it unlabeled again.
  await h.call('import.sample', { label: true });
  for (const label of ['spam', 'ham'] as const) {
    const { rows } = await h.call('messages.list', { offset: 0, limit: 500, filter: { label } });
    for (const row of rows) sampleLabels.set(row.id, label);
    for (const row of rows.slice(label === 'spam' ? 3 : 30)) await h.call('labels.set', { id: row.id, label: null });
  }
  expect(await h.call('dataset.stats', {})).toMatchObject({ spam: 3, ham: 30 });
  await h.page.reload();
  await app.nav('train');
});
afterAll(() => h.close());

describe('the Train view', () => {
  it('warns before training: too few spam, one class much rarer, a 7-message holdout; offers balanced weighting', async () => {
    await h.page.waitForSelector('[data-testid=data-warnings]');
    expect(await text('[data-testid=data-warnings] [data-warning=too-few]')).toMatch(/^Only 3 spam to learn from/);
    expect(await text('[data-testid=data-warnings] [data-warning=imbalance]')).toMatch(/^3 spam to 30 ham: the spam are under a quarter/);
    expect(await text('[data-testid=data-warnings] [data-warning=small-holdout]')).toMatch(
      /^The holdout would be 7 messages \(1 spam, 6 ham\).*one spam is 100% of spam missed/,
    );
    // The holdout share of the form, not a fixed one.
    await app.train.openSettings();
    await app.train.set('validationShare', '0.5');
    await h.page.waitForFunction(() =>
      document.querySelector('[data-warning=small-holdout]')?.textContent?.includes('17 messages (2 spam, 15 ham)'),
    );
    await app.train.set('validationShare', '0.2');
    await screenshots('train-view-warnings', '[data-testid=train-form]');

    await h.page.click('[data-testid=data-warnings] [data-testid=use-balanced]');
    expect(await value('classWeighting')).toBe('balanced');
    expect(await text('[data-testid=data-warnings] [data-testid=balanced-state]')).toBe('Balanced class weighting is on.');
    await h.page.selectOption('#setting-classWeighting', 'none');
    await h.page.waitForSelector('[data-testid=data-warnings] [data-testid=use-balanced]');
  });

  it('warns on the run from its own counts, leads with ham lost and spam missed, and writes n/a for undefined figures', async () => {
    await app.train.start();
    await h.page.waitForSelector('[data-testid=run-warnings]', { timeout: 30_000 });
    expect(await text('[data-testid=run-warnings] [data-warning=small-holdout]')).toMatch(
      /^These figures come from 7 held-out messages \(1 spam, 6 ham\)/,
    );
    expect(await text('[data-testid=run-warnings] [data-warning=too-few]')).toMatch(/^Only 3 spam in this run/);
    expect(await text('[data-testid=run-warnings] [data-warning=imbalance]')).toMatch(/^3 spam to 30 ham/);

    // Ham lost and spam missed come first, before the threshold and before accuracy.
    const order = await h.page
      .locator(
        '[data-testid=run-report] [data-testid^=lead-], [data-testid=run-report] [data-testid^=figure-], input[aria-label=threshold]',
      )
      .evaluateAll((els) => els.map((el) => el.getAttribute('data-testid') ?? el.getAttribute('aria-label')));
    expect(order.slice(0, 3)).toEqual(['lead-figures', 'lead-ham-lost', 'lead-spam-missed']);
    expect(order.indexOf('threshold')).toBeLessThan(order.indexOf('figure-accuracy'));
    expect(await text('[data-testid=lead-spam-missed]')).toMatch(/of 1 spam let through/);

    // Nothing called spam: the backend's precision is a 0 with nothing to divide by, the UI says n/a.
    const report = await h.call('runs.report', {});
    expect(report.metrics.confusion.tp + report.metrics.confusion.fp).toBe(0);
    expect(report.metrics.precision).toBe(0);
    expect(await text('[data-testid=figure-precision] .value')).toBe('n/a');
    expect(await text('[data-testid=figure-f1] .value')).toBe('n/a');
    expect(await text('[data-testid=figure-precision] .name')).toMatch(/nothing was called spam/);
    expect(await text('[data-testid=figure-recall] .value')).toBe('0.00%');
    await screenshots('train-view-run-warnings', '[data-testid=run-warnings]');

    // The run's panel offers balanced weighting for the next run: it sets the form.
    await h.page.click('[data-testid=run-warnings] [data-testid=use-balanced]');
    expect(await value('classWeighting')).toBe('balanced');
    expect(await text('[data-testid=run-warnings] [data-testid=balanced-state]')).toMatch(/set in the form for the next run/);
  });

  it('keeps the settings across view switches, read back field by field, and says when a model change sets the learning rate', async () => {
    await app.train.set('epochs', '30');
    await app.train.set('earlyStoppingPatience', '2');
    await h.page.selectOption('#setting-model', 'mlp');
    expect(await value('learningRate')).toBe('0.02');
    expect(await text('[data-testid=setting-note-learningRate]')).toBe("learning rate set to 0.02, the mlp's default");
    await screenshots('train-view-model-note', '[data-testid=train-form]');

    await app.nav('dataset');
    await app.nav('train');
    await app.train.openSettings();
    expect([await value('model'), await value('learningRate'), await value('epochs')]).toEqual(['mlp', '0.02', '30']);
    expect([await value('earlyStoppingPatience'), await value('classWeighting')]).toEqual(['2', 'balanced']);

    await h.page.selectOption('#setting-model', 'logistic');
    expect(await text('[data-testid=setting-note-learningRate]')).toBe("learning rate set to 0.2, the logistic's default");
    // A rate chosen by hand stays, and the form says so.
    await app.train.set('learningRate', '0.1');
    await h.page.waitForSelector('[data-testid=setting-note-learningRate]', { state: 'detached' });
    await h.page.selectOption('#setting-model', 'mlp');
    expect(await value('learningRate')).toBe('0.1');
    expect(await text('[data-testid=setting-note-learningRate]')).toBe(
      "learning rate kept at 0.1: chosen by hand (the mlp's default is 0.02)",
    );

    // What is stored is checked field by field: a broken field falls back to its default, the rest stays.
    await h.page.evaluate(() =>
      localStorage.setItem(
        'spamlab.train.settings',
        JSON.stringify({ model: 'mlp', epochs: 7, learningRate: 'fast', batchSize: 99_999, classWeighting: 'balanced', bogus: true }),
      ),
    );
    await app.nav('dataset');
    await app.nav('train');
    await app.train.openSettings();
    expect([await value('model'), await value('epochs'), await value('learningRate'), await value('batchSize')]).toEqual([
      'mlp',
      '7',
      '0.02',
      '64',
    ]);
    expect(await value('classWeighting')).toBe('balanced');
    await h.page.evaluate(() => localStorage.setItem('spamlab.train.settings', '{not json'));
    await app.nav('dataset');
    await app.nav('train');
    await app.train.openSettings();
    expect([await value('model'), await value('epochs'), await value('learningRate')]).toEqual([
      DEFAULT_TRAIN_SETTINGS.model,
      String(DEFAULT_TRAIN_SETTINGS.epochs),
      String(DEFAULT_TRAIN_SETTINGS.learningRate),
    ]);
  });

  it('marks the best epoch, says where early stopping ended the run, and lives through leaving the view while it trains', async () => {
    // All the sample labeled again: the form's warnings go, as the labels change.
    for (const [id, label] of sampleLabels) await h.call('labels.set', { id, label });
    await h.page.waitForSelector('[data-testid=data-warnings]', { state: 'detached' });
    // A run at the defaults to compare with later, trained through the backend.
    const { runId: previous } = await h.call('training.start', { settings: DEFAULT_TRAIN_SETTINGS });
    await finished(previous);

    await app.train.set('epochs', '30');
    await app.train.set('earlyStoppingPatience', '2');
    // Train with a finished run's chart shown (it goes, then comes back), then leave and come back while it trains.
    await h.page.waitForSelector('[data-testid=loss-chart] canvas');
    await app.train.start();
    await h.page.waitForSelector('[data-testid=cancel-button]');
    const runId = Number((await text('[data-testid=cancel-button]')).match(/\d+/)![0]);
    await h.page.waitForSelector('[data-testid=loss-chart] canvas');
    await app.nav('dataset');
    await h.page.waitForTimeout(200);
    await app.nav('train');
    await h.page.waitForSelector('[data-testid=loss-chart] canvas');
    await app.nav('label');
    await app.nav('train');
    await h.page.waitForSelector('[data-testid=early-stop]', { timeout: 60_000 });

    const run = await finished(runId);
    const epochs = run.curves.filter((c) => c.kind === 'epoch');
    expect(run.status).toBe('completed');
    expect(epochs.length).toBeLessThan(30);
    expect(await text('[data-testid=early-stop]')).toBe(`Stopped at epoch ${epochs.length} of 30 (no improvement for 2).`);
    // The trainer stops `patience` epochs after the best one; the ring is on it, the lowest validation loss.
    const best = Number(await h.page.getAttribute('[data-testid=loss-chart]', 'data-best-epoch'));
    expect(best).toBe(epochs.length - 2);
    const losses = epochs.map((c) => c.valLoss!);
    expect(losses[best - 1]).toBeLessThanOrEqual(Math.min(...losses) + 1e-6);
    expect(await h.page.getAttribute('[data-testid=loss-chart]', 'data-best-step')).toBe(String(epochs[best - 1]!.step));
    expect(await text('[data-testid=best-epoch]')).toMatch(new RegExp(`^Best epoch: ${best}, `));
    expect((await h.page.locator('[data-testid=loss-chart] .u-legend').innerText()).toLowerCase()).toContain('best epoch (kept)');
    await screenshots('train-view-best-epoch', '[data-testid=loss-chart]');
    expect(h.pageErrors).toEqual([]);
  });

  it("compares two runs at each run's saved threshold", async () => {
    const runs = await h.call('runs.list', {});
    const [latest, previous] = runs;
    // The earlier run's threshold moved after training: its stored figures are at the old one.
    // The runs table lists the newest first.
    await h.page.locator('[data-testid=runs-table] tbody tr').nth(1).click();
    await h.page.waitForFunction(
      (id) => document.querySelector('[data-testid=run-report]') && document.body.textContent?.includes(`Metrics of run ${id}`),
      previous!.id,
    );
    await h.page.locator('input[aria-label=threshold]').fill('0.05');
    await h.page.waitForFunction(() => document.querySelector('[data-testid=threshold-value]')?.textContent === '0.05');
    await h.page.click('text=Use this threshold');
    await h.page.waitForFunction(() => document.querySelector('[data-testid=runs-table]')?.textContent?.includes('0.05'));
    const atSaved = (await h.call('runs.report', { runId: previous!.id, threshold: 0.05 })).metrics;
    expect(atSaved.hamMisclassifiedPct).not.toBe(previous!.validationMetrics!.hamMisclassifiedPct);

    await h.page.locator('[data-testid=runs-table] tbody tr').nth(0).click();
    await h.page.check(`input[aria-label="compare run ${previous!.id}"]`);
    await h.page.waitForSelector('[data-testid=run-comparison]');
    expect(await text('[data-testid=compare-threshold] th')).toBe('saved threshold (the next four rows are at it)');
    const cells = (row: string) => h.page.locator(`[data-testid=compare-${row}] td`).allInnerTexts();
    await h.page.waitForFunction(() => !document.querySelector('[data-testid=run-comparison]')?.textContent?.includes('…'));
    expect((await cells('hamLost'))[1]).toBe(`${atSaved.hamMisclassifiedPct.toFixed(2)}%`);
    expect((await cells('spamMissed'))[1]).toBe(`${atSaved.spamMisclassifiedPct.toFixed(2)}%`);
    expect((await cells('accuracy'))[1]).toBe(`${(atSaved.accuracy * 100).toFixed(2)}%`);
    const latestAtSaved = (await h.call('runs.report', { runId: latest!.id })).metrics;
    expect((await cells('hamLost'))[0]).toBe(`${latestAtSaved.hamMisclassifiedPct.toFixed(2)}%`);
    await screenshots('train-view-compare', '[data-testid=run-comparison]');
    expect(h.consoleMessages.filter((m) => /error/i.test(m))).toEqual([]);
  });
});
