// The Losses view's sharp edges (issue 18): "likely mislabeled" on a run
// without out-of-fold predictions says so and offers the retrain that finds a
// planted label error; a relabeled row shows its new label and loss at once;
// an empty list says why; the message comes before its loss card; tokens are
// shown in words, with where-it-came-from evidence marked.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contributionWords } from '../../shared/token-words';
import { DEFAULT_TRAIN_SETTINGS } from '../../shared/types';
import { openHarness, Harness } from './harness';
import { appPage } from './pages/app';

let h: Harness;
/** The spam message labeled ham before training: a label error the run learns by heart. */
let plantedId = 0;
beforeAll(async () => {
  h = await openHarness();
});
afterAll(() => h.close());

const row = (id: number) => h.page.locator(`[data-testid=loss-row][data-message-id="${id}"]`);

describe('the Losses view', () => {
  it('offers out-of-fold predictions for "likely mislabeled", and then finds a label error the run had learned', async () => {
    const app = appPage(h.page);
    await h.call('import.sample', { label: true });
    // A first run finds the spam it is surest of; labeled ham, that is the planted error.
    const first = await h.backend.training.start({ ...DEFAULT_TRAIN_SETTINGS }).finished;
    const sure = await h.call('runs.predictions', {
      runId: first.id,
      sort: 'probability-desc',
      label: 'spam',
      split: 'train',
      offset: 0,
      limit: 1,
    });
    plantedId = sure.rows[0]!.messageId;
    await h.call('labels.set', { id: plantedId, label: 'ham' });
    // Trained on the wrong label without out-of-fold predictions (the default), it learns the error by heart.
    const run = await h.backend.training.start({ ...DEFAULT_TRAIN_SETTINGS }).finished;
    const learned = await h.call('runs.predictions', {
      runId: run.id,
      sort: 'loss-desc',
      label: 'ham',
      offset: 0,
      limit: 500,
    });
    const before = learned.rows.find((r) => r.messageId === plantedId)!;
    expect(before.split).toBe('train');

    await h.page.reload();
    await app.nav('losses');
    await h.page.waitForSelector('[data-testid=loss-row]');
    await h.page.selectOption('[aria-label=sort]', 'mislabeled');
    const notice = h.page.locator('[data-testid=oof-notice]');
    await notice.waitFor();
    expect(await notice.textContent()).toContain(`Run ${run.id} has no out-of-fold predictions`);
    expect(await h.page.textContent('[data-testid=oof-cost]')).toMatch(/^trains the model 5 more times, about \d+ (s|min)$/);
    expect(await h.page.locator('[aria-label=sort] option[value=mislabeled]').textContent()).toContain('no out-of-fold predictions');
    // Judged on what it trained on, the run does not list its own planted error.
    await h.page.waitForSelector('[data-testid=losses-empty], [data-testid=loss-row]');
    expect(await row(plantedId).count()).toBe(0);
    await h.screenshotBoth('losses-oof');

    await h.page.click('[data-testid=oof-retrain]');
    expect(await h.page.textContent('[data-testid=retrain-bar]')).toContain('with out-of-fold predictions (k = 5)');
    // When the retrain is done the list switches to it: the notice goes, and the planted error is listed, judged out of fold.
    await notice.waitFor({ state: 'detached', timeout: 60_000 });
    await h.page.waitForSelector('[data-testid=retrain-bar]', { state: 'detached', timeout: 60_000 });
    await row(plantedId).waitFor({ timeout: 10_000 });
    expect(await row(plantedId).locator('span.small').textContent()).toBe('oof');
  });

  it('puts the message first, and updates a relabeled row at once', async () => {
    await row(plantedId).click();
    await h.page.waitForSelector('[data-testid=loss-explained]');
    const messageFirst = await h.page.evaluate(() => {
      const message = document.querySelector('[data-testid=losses-detail] [data-testid=message-view]')!;
      const loss = document.querySelector('[data-testid=losses-detail] [data-testid=loss-explained]')!;
      return Boolean(message.compareDocumentPosition(loss) & Node.DOCUMENT_POSITION_FOLLOWING);
    });
    expect(messageFirst).toBe(true);
    const target = row(plantedId);
    expect(await target.locator('[data-testid=row-label]').textContent()).toBe('ham');
    const probability = Number(await target.locator('span.num').first().textContent());
    const oldLoss = Number(await target.locator('[data-testid=loss]').textContent());
    await h.page.keyboard.press('s');
    await h.page.waitForFunction(
      (id) => document.querySelector(`[data-testid=loss-row][data-message-id="${id}"] [data-testid=row-label]`)?.textContent === 'spam',
      plantedId,
      { timeout: 5_000 },
    );
    const newLoss = Number(await target.locator('[data-testid=loss]').textContent());
    expect(newLoss).not.toBe(oldLoss);
    expect(newLoss).toBeCloseTo(-Math.log(Math.max(1e-7, probability)), 2);
    await h.screenshotBoth('losses-relabeled');
  });

  it('shows tokens in words, the raw token on hover, and marks where-it-came-from evidence', async () => {
    // Confident ham from the sample is mailing-list mail: among its strongest evidence, how it travelled.
    await h.page.selectOption('[aria-label=sort]', 'loss-asc');
    await h.page.selectOption('[aria-label=class]', 'ham');
    const runs = await h.call('runs.list', {});
    const runId = runs.find((r) => r.isActive)!.id;
    const hams = await h.call('runs.predictions', {
      runId,
      sort: 'loss-asc',
      label: 'ham',
      offset: 0,
      limit: 20,
    });
    let chosen: number | null = null;
    for (const candidate of hams.rows) {
      const result = await h.call('classify.message', { messageId: candidate.messageId, runId });
      if (result.contributions.slice(0, 15).some((c) => contributionWords(c.token).origin)) {
        chosen = candidate.messageId;
        break;
      }
    }
    expect(chosen).not.toBeNull();
    await row(chosen!).click();
    await h.page.waitForSelector(`[data-testid=losses-detail] [data-testid=message-view][data-message-id="${chosen}"]`);
    await h.page.waitForSelector('[data-testid=contributions] [data-testid=token-words][data-origin]');
    const tokens = await h.page.$$eval('[data-testid=contributions] [data-testid=token-words]', (items) =>
      items.map((item) => ({
        token: item.getAttribute('data-token')!,
        text: item.querySelector('.token-text')!.textContent!,
        title: item.querySelector('.token-text')!.getAttribute('title')!,
        origin: item.hasAttribute('data-origin'),
      })),
    );
    expect(tokens.length).toBeGreaterThan(5);
    for (const t of tokens) {
      expect(t.title).toBe(`token: ${t.token}`);
      expect(t.text).not.toBe(t.token);
    }
    expect(tokens.some((t) => t.token.includes(':'))).toBe(true);
    // Sample mail came through relays and lists: some of its strongest evidence is about that, and is marked.
    const marked = tokens.filter((t) => t.origin);
    expect(marked.length).toBeGreaterThan(0);
    expect(await h.page.locator('[data-testid=contributions] .origin-mark').first().textContent()).toBe(
      'where it came from, not what it says',
    );
    // The Why tab lists evidence beyond single words, in words too.
    expect(await h.page.locator('[data-testid=why-beyond] [data-testid=token-words]').count()).toBeGreaterThan(0);
    await h.page.locator('[data-testid=why-beyond]').scrollIntoViewIfNeeded();
    await h.screenshotBoth('losses-why-tab');
    await h.page.locator('[data-testid=contributions]').scrollIntoViewIfNeeded();
    await h.screenshotBoth('losses-token-words');
  });

  it('says why the list is empty', async () => {
    const runs = await h.call('runs.list', {});
    // At threshold 0 everything is called spam: no message labeled spam is a mistake.
    await h.call('runs.setThreshold', { runId: runs.find((r) => r.isActive)!.id, threshold: 0 });
    await h.page.selectOption('[aria-label=sort]', 'loss-desc');
    await h.page.selectOption('[aria-label=class]', 'spam');
    await h.page.check('[aria-label="only mistakes"]');
    const empty = h.page.locator('[data-testid=losses-empty]');
    await empty.waitFor();
    expect(await empty.textContent()).toMatch(/^Nothing to show: run \d+ gets every message labeled spam right at its threshold/);
    expect(await h.page.locator('[data-testid=loss-row]').count()).toBe(0);
    await h.screenshotBoth('losses-empty');
    expect(h.consoleMessages.filter((m) => /error/i.test(m) && !/live\.status/.test(m))).toEqual([]);
  });
});
