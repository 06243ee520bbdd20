import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../support/cli';
import { openHarness, Harness } from './harness';
import { appPage } from './pages/app';

let h: Harness;
let app: ReturnType<typeof appPage>;
beforeAll(async () => {
  h = await openHarness();
  app = appPage(h.page);
});
afterAll(() => h.close());

describe('first start and the labeling loop', () => {
  it('offers the sample mailbox on first start and imports it', async () => {
    await h.page.waitForSelector('[data-testid=welcome]');
    await h.screenshot('welcome-light');
    await app.welcome.labelSample();
    await h.page.waitForSelector('[data-testid=message-view]');
    expect(await app.label.tally()).toMatch(/300 unlabeled left/);
    // One source for the exercise: the file names spam.mbox and ham.mbox would give the answers away.
    const sources = (await h.backend.handle('dataset.sources', {})) as { ok: true; value: Array<{ source: string; count: number }> };
    expect(sources.value).toEqual([{ source: 'sample mailbox', count: 300 }]);
  });

  it('labels by keyboard: s, h, skip, and undo restores', async () => {
    const first = await app.label.currentId();
    await app.label.press('s');
    const second = await app.label.currentId();
    expect(second).not.toBe(first);
    await app.label.press('h');
    // After two labels, the count left is the store's, not one more (the next message was fetched before the label landed).
    await h.page.waitForFunction(() => document.querySelector('[data-testid=tally]')?.textContent?.includes('298 unlabeled left'));
    await app.label.press(' ');
    expect(await app.label.tally()).toMatch(/1 spam, 1 ham/);
    expect(await app.label.tally()).toMatch(/298 unlabeled left/);
    expect(
      (await h.backend.handle('messages.get', { id: first })).ok &&
        ((await h.backend.handle('messages.get', { id: first })) as { value: { label: string } }).value.label,
    ).toBe('spam');

    await app.label.press('u');
    expect(await app.label.currentId()).toBe(second);
    expect(await app.label.tally()).toMatch(/1 spam, 0 ham/);
    const undone = (await h.backend.handle('messages.get', { id: second })) as { ok: true; value: { label: string | null } };
    expect(undone.value.label).toBeNull();
    await h.page.waitForFunction(() => document.querySelector('[data-testid=sidebar-counts]')?.textContent?.endsWith(' 1 labeled'));
    await h.screenshot('label-light');
    await h.page.keyboard.press('?');
    await h.page.waitForSelector('[role=dialog]');
    await h.screenshot('label-help-light');
    await h.page.keyboard.press('Escape');
  });

  it('switches the queue order', async () => {
    await app.label.setOrder('uncertain');
    // Without a trained run the order falls back, and says so.
    await h.page.waitForSelector('[data-testid=queue-scorer] >> text=No trained run yet: newest first');
    await app.label.setOrder('random');
    await h.page.waitForSelector('[data-testid=message-view]');
    const seen = new Set<number>();
    for (let i = 0; i < 4; i++) {
      seen.add(await app.label.currentId());
      await app.label.press(' ');
    }
    expect(seen.size).toBe(4);
  });

  it('keys do what the help lists, and k is no skip here: it means "previous row" in the lists', async () => {
    const hints = (section: string) =>
      h.page
        .locator(`[role=dialog] [data-testid=keys-${section}] tr`)
        .evaluateAll((rows) =>
          Object.fromEntries(rows.map((row) => [row.getAttribute('data-testid'), row.querySelector('kbd')?.textContent])),
        );
    // The help is global: the same on the Dataset view, listing every view's keys.
    await app.nav('dataset');
    await h.page.keyboard.press('?');
    expect(await hints('lists')).toEqual({
      'key-spam': 'S',
      'key-ham': 'H',
      'key-undo': 'U or Ctrl+Z',
      'key-next': 'J or ↓',
      'key-previous': 'K or ↑',
    });
    await h.page.keyboard.press('Escape');
    await h.page.waitForSelector('[role=dialog]', { state: 'detached' });
    await app.nav('label');
    await h.page.waitForSelector('[data-testid=message-view]');
    await h.page.keyboard.press('?');
    expect(await hints('label')).toEqual({
      'key-spam': 'S',
      'key-ham': 'H',
      'key-skip': 'Space',
      'key-undo': 'U or Ctrl+Z',
      'key-newest': '1',
      'key-random': '2',
      'key-uncertain': '3',
    });
    expect(await hints('everywhere')).toEqual({ 'key-help': '?', 'key-close': 'Esc' });
    await h.page.keyboard.press('Escape');
    await h.page.waitForSelector('[role=dialog]', { state: 'detached' });

    await h.page.keyboard.press('3');
    await h.page.waitForFunction(() => (document.querySelector('[data-testid=queue-order]') as HTMLSelectElement).value === 'uncertain');
    await h.page.keyboard.press('2');
    await h.page.waitForFunction(() => (document.querySelector('[data-testid=queue-order]') as HTMLSelectElement).value === 'random');
    await h.page.waitForSelector('[data-testid=message-view]');

    // j and k move through lists only: here the message they were pressed on is the one s then labels.
    const shown = await app.label.currentId();
    await h.page.keyboard.press('k');
    await h.page.keyboard.press('j');
    await app.label.press('s');
    const labeled = (await h.backend.handle('messages.get', { id: shown })) as { ok: true; value: { label: string | null } };
    expect(labeled.value.label).toBe('spam');
    await app.label.press('Control+z');
    expect(await app.label.currentId()).toBe(shown);
    const undone = (await h.backend.handle('messages.get', { id: shown })) as { ok: true; value: { label: string | null } };
    expect(undone.value.label).toBeNull();
  });

  it('searches the dataset', async () => {
    await app.nav('dataset');
    await h.page.waitForSelector('[data-testid=message-row][data-message-id]');
    expect(await app.dataset.shown()).toBe(300);
    // Scrolled down with a message open, a new search starts at its first match, marked, with the old message closed.
    await h.page.locator('[data-testid=message-row][data-message-id]').first().click();
    await h.page.waitForSelector('[data-testid=message-view]');
    await h.page.$eval('[data-testid=message-list]', (list) => (list.scrollTop = list.scrollHeight));
    await app.dataset.search('ryanair');
    await h.page.waitForFunction(() => document.querySelector('[data-testid=list-total]')?.textContent?.startsWith('1 '));
    expect(await h.page.$eval('[data-testid=message-list]', (list) => list.scrollTop)).toBe(0);
    expect(await h.page.locator('[data-testid=message-view]').count()).toBe(0);
    expect((await h.page.locator('[data-testid=message-row] mark').allTextContents()).map((t) => t.toLowerCase())).toContain('ryanair');
    await app.dataset.open('Ryanair');
    await h.page.waitForSelector('[data-testid=message-view]');
    await h.screenshot('dataset-light');
  });

  it('imports what the File menu picked in the window, with its report of failures', async () => {
    await app.nav('label');
    const dir = tempDir('menu-import');
    const mbox = path.join(dir, 'picked.mbox');
    fs.writeFileSync(
      mbox,
      [
        'From a@example.org Mon Nov 23 10:00:00 2026',
        'From: a@example.org',
        'Subject: picked from the menu',
        '',
        'Hello.',
        '',
        'From b@example.org Mon Nov 23 10:01:00 2026',
        '\u0000\u0001\u0002 binary junk, not mail',
        '',
      ].join('\n'),
    );
    // What electron/main.ts requests when File › Import Files… closes: a real push to the page.
    await h.backend.handle('import.request', { paths: [mbox] });
    await h.page.waitForSelector('[data-testid=import-summary]');
    const summary = await h.page.textContent('[data-testid=import-summary]');
    expect(summary).toMatch(/Imported 1, duplicates 0, failed 1/);
    expect(summary).toContain(`${mbox} at byte`);
    expect(await h.page.inputValue('#import-paths')).toBe(mbox);
    // Leaving the view and coming back does not import the same request again.
    await app.nav('label');
    await app.nav('dataset');
    await h.page.click('text=Import…');
    expect(await h.page.locator('[data-testid=import-summary]').count()).toBe(0);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('filters by source and by date', async () => {
    await app.dataset.search('');
    await h.page.waitForFunction(() => document.querySelector('[data-testid=list-total]')?.textContent?.startsWith('301 '));
    const sample = h.page.locator('select[aria-label="source filter"] option', { hasText: 'sample mailbox' });
    const sampleCount = Number((await sample.textContent())!.match(/\((\d+)\)/)![1]);
    expect(sampleCount).toBe(300);
    await h.page.selectOption('select[aria-label="source filter"]', (await sample.getAttribute('value'))!);
    await h.page.waitForFunction((n) => document.querySelector('[data-testid=list-total]')?.textContent?.startsWith(`${n} `), sampleCount);
    await h.page.fill('input[aria-label="date from"]', '2100-01-01');
    await h.page.waitForFunction(() => document.querySelector('[data-testid=list-total]')?.textContent?.startsWith('0 '));
    await h.page.click('text=Clear filters');
    await h.page.waitForFunction(() => document.querySelector('[data-testid=list-total]')?.textContent?.startsWith('301 '));
  });

  it('exports the labeled mail to a folder, and says why a relative path is refused', async () => {
    await h.page.click('text=Export…');
    await h.page.fill('#export-dir', 'relative/folder');
    await h.page.click('[data-testid=export-panel] button.primary');
    await h.page.waitForSelector('[data-testid=export-panel] .notice.error');
    expect(await h.page.textContent('[data-testid=export-panel] .notice.error')).toContain('give an absolute folder path');

    const dir = path.join(tempDir('ui-export'), 'labeled');
    await h.page.fill('#export-dir', dir);
    await h.page.click('[data-testid=export-panel] button.primary');
    await h.page.waitForSelector('[data-testid=export-summary]');
    const stats = (await h.backend.handle('dataset.stats', {})) as { ok: true; value: { spam: number; ham: number } };
    expect(await h.page.textContent('[data-testid=export-summary]')).toContain(
      `Wrote ${stats.value.spam} spam and ${stats.value.ham} ham messages`,
    );
    expect(fs.readFileSync(path.join(dir, 'spam.mbox'), 'latin1').startsWith('From ')).toBe(true);
    fs.rmSync(path.dirname(dir), { recursive: true, force: true });
  });

  it('walks the dataset list with j and k and labels the open message with s and h', async () => {
    await app.nav('label');
    await app.nav('dataset');
    await h.page.waitForSelector('[data-testid=message-row][data-message-id]');
    const ids = await h.page
      .locator('[data-testid=message-row]')
      .evaluateAll((els) => els.map((el) => Number(el.getAttribute('data-message-id'))));
    await h.page.keyboard.press('j');
    await h.page.keyboard.press('j');
    await h.page.keyboard.press('j');
    await h.page.keyboard.press('k');
    await h.page.waitForFunction(
      (id) => document.querySelector('[data-testid=message-view]')?.getAttribute('data-message-id') === String(id),
      ids[1],
    );
    await h.page.keyboard.press('h');
    await h.page.waitForFunction(
      (id) => document.querySelector(`[data-testid=message-row][data-message-id="${id}"] .badge`)?.textContent === 'ham',
      ids[1],
    );
    const stored = (await h.backend.handle('messages.get', { id: ids[1]! })) as { ok: true; value: { label: string } };
    expect(stored.value.label).toBe('ham');
  });
});
