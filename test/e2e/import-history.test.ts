// The import history in the Dataset view: two folders imported are two groups
// in the source filter; one is undone from the Imports panel after an inline
// confirmation, and the counts drop; a message and a source are deleted the
// same way. Real SpamAssassin mail, the real backend, a real browser.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCorpus, writeEmlFolder } from '../support/corpus';
import { openHarness, Harness } from './harness';
import { appPage } from './pages/app';

let h: Harness;
let app: ReturnType<typeof appPage>;
beforeAll(async () => {
  h = await openHarness();
  app = appPage(h.page);
});
afterAll(() => h.close());

const sourceOptions = () =>
  h.page.$$eval('select[aria-label="source filter"] option', (options) =>
    options.map((o) => ({ value: (o as HTMLOptionElement).value, text: o.textContent ?? '', title: o.getAttribute('title') })),
  );
const countsShow = (text: string) =>
  h.page.waitForFunction((t) => document.querySelector('[data-testid=counts]')?.textContent?.includes(t), text);

describe('import history', () => {
  it('groups the source filter by import and undoes an import from the panel after confirming', async () => {
    const corpus = loadCorpus({ perGroup: 15 });
    const spamDir = path.join(h.dir, 'mail', 'spam');
    const hamDir = path.join(h.dir, 'mail', 'ham');
    writeEmlFolder(
      spamDir,
      corpus.filter((m) => m.label === 'spam'),
    );
    writeEmlFolder(
      hamDir,
      corpus.filter((m) => m.group === 'easy-ham-1'),
    );
    await h.call('import.paths', { paths: [spamDir], label: 'spam' });
    await h.call('import.paths', { paths: [hamDir], label: null });
    await h.page.reload();
    await app.nav('dataset');
    await countsShow('45 messages');

    // One option per import (not one per file), with its count and the full path in the tooltip.
    await h.page.waitForFunction(() => document.querySelectorAll('select[aria-label="source filter"] option').length === 3);
    const options = await sourceOptions();
    expect(options.map((o) => o.value)).toEqual(['', 'import:2', 'import:1']);
    expect(options[1]!.text).toMatch(/^\d{1,2} \w{3} \d\d:\d\d · .*ham \(15\)$/);
    expect(options[2]!.text).toMatch(/ · .*spam \(30\)$/);
    expect(options[2]!.title).toBe(spamDir);
    await h.page.selectOption('select[aria-label="source filter"]', 'import:1');
    await h.page.waitForFunction(() => document.querySelector('[data-testid=list-total]')?.textContent === '30 shown');
    await h.page.waitForSelector('button:text-is("Delete all from this source")');
    await h.screenshotBoth('import-source-filter');
    await h.page.selectOption('select[aria-label="source filter"]', '');

    await h.page.click('[data-testid=imports-button]');
    await h.page.waitForSelector('[data-testid=import-history]');
    const rows = h.page.locator('[data-testid=import-batch]');
    expect(await rows.count()).toBe(2);
    const spamRow = h.page.locator('[data-testid=import-batch][data-import-id="1"]');
    expect(await spamRow.locator('td').nth(1).getAttribute('title')).toBe(spamDir);
    expect(await spamRow.locator('[data-testid=batch-messages]').textContent()).toBe('30');
    await h.screenshotBoth('import-history');

    // Undo asks first, in place; Keep leaves everything as it was.
    await spamRow.locator('button:text-is("Undo this import")').click();
    const question = spamRow.locator('[data-testid=confirm-removal]');
    expect(await question.textContent()).toContain('Remove 30 messages and their 30 labels?');
    await h.screenshotBoth('import-history-confirm');
    await question.locator('button:text-is("Keep")').click();
    await spamRow.locator('button:text-is("Undo this import")').waitFor();
    expect((await h.call('dataset.stats', {})).messages).toBe(45);

    await spamRow.locator('button:text-is("Undo this import")').click();
    await spamRow.locator('[data-testid=confirm-removal] button:text-is("Remove")').click();
    await h.page.waitForSelector('[data-testid=undo-import-result]');
    expect(await h.page.textContent('[data-testid=undo-import-result]')).toMatch(/Removed 30 messages and 30 labels/);
    await countsShow('15 messages');
    expect(await app.dataset.counts()).toMatch(/15 messages.*0 spam.*0 ham.*15 unlabeled/);
    // The history follows the counts: the batch shows as undone.
    await spamRow.locator('text=/^undone /').waitFor();
    await h.page.waitForFunction(() => document.querySelectorAll('select[aria-label="source filter"] option').length === 2);
    expect((await sourceOptions()).map((o) => o.value)).toEqual(['', 'import:2']);
    expect(await h.call('dataset.stats', {})).toMatchObject({ messages: 15, spam: 0, ham: 0 });
    await h.screenshotBoth('import-history-undone');
  });

  it('deletes the open message, and all of a source, after confirming', async () => {
    await h.page.locator('[data-testid=message-row][data-message-id]').first().click();
    await h.page.waitForSelector('[data-testid=message-view]');
    const id = Number(await h.page.getAttribute('[data-testid=message-view]', 'data-message-id'));
    await h.page.click('[data-testid=message-view] button:text-is("Delete")');
    expect(await h.page.textContent('[data-testid=confirm-message-removal]')).toContain('Remove this message?');
    await h.screenshotBoth('message-delete-confirm');
    await h.page.click('[data-testid=confirm-message-removal] button:text-is("Remove")');
    await countsShow('14 messages');
    expect((await h.backend.handle('messages.get', { id })).ok).toBe(false);

    await h.page.selectOption('select[aria-label="source filter"]', 'import:2');
    await h.page.click('button:text-is("Delete all from this source")');
    expect(await h.page.textContent('[data-testid=confirm-source-removal]')).toContain('Remove 14 messages?');
    await h.page.click('[data-testid=confirm-source-removal] button:text-is("Remove")');
    await countsShow('0 messages');
    // The emptied group leaves the filter.
    await h.page.waitForFunction(() => (document.querySelector('select[aria-label="source filter"]') as HTMLSelectElement).value === '');
    expect((await h.call('imports.list', {})).batches.map((b) => b.messages)).toEqual([0, 0]);
  });

  it('keeps the unlabeled sample exercise one group, so the filter does not tell spam.mbox from ham.mbox', async () => {
    await h.call('import.sample', { label: false });
    const [batch, ...older] = (await h.call('imports.list', {})).batches;
    expect(batch).toMatchObject({ paths: ['sample mailbox'], imported: 300, messages: 300 });
    expect(older.map((b) => b.paths[0])).not.toContain('sample mailbox');
    await h.page.reload();
    await app.nav('dataset');
    await h.page.waitForFunction(() => document.querySelectorAll('select[aria-label="source filter"] option').length === 2);
    expect((await sourceOptions())[1]!.text).toMatch(/ · sample mailbox \(300\)$/);
  });
});
