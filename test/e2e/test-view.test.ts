// The Test view's sharp edges (issue 18): a first line that only looks like a
// header stays text; what was tested can be labeled and added to the dataset;
// the typed text survives leaving the view; the compare menu names the active run.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_TRAIN_SETTINGS } from '../../shared/types';
import { openHarness, Harness } from './harness';
import { appPage } from './pages/app';

let h: Harness;
let activeId = 0;
let otherId = 0;
beforeAll(async () => {
  h = await openHarness();
  const imported = await h.backend.handle('import.sample', { label: true });
  if (!imported.ok) throw new Error(imported.error.message);
  otherId = (await h.backend.training.start({ ...DEFAULT_TRAIN_SETTINGS, epochs: 5 }).finished).id;
  activeId = (await h.backend.training.start({ ...DEFAULT_TRAIN_SETTINGS }).finished).id;
  await h.page.reload();
});
afterAll(() => h.close());

const URGENT = 'URGENT: claim your FREE prize now\n\nYou have been selected to receive a cash prize. Reply with your bank details today.';

describe('the Test view', () => {
  it('reads a first line like "URGENT: …" as text, and names the active run', async () => {
    const app = appPage(h.page);
    await app.nav('test');
    await h.page.fill('[data-testid=test-input]', URGENT);
    await h.page.waitForSelector('[data-testid=test-highlighted]');
    const shown = await h.page.textContent('[data-testid=test-highlighted]');
    expect(shown).toContain('URGENT: claim your FREE prize now');
    expect(shown).toContain('Reply with your bank details today.');
    expect(await h.page.textContent('[data-testid=verdict-active]')).toContain(`run ${activeId} (active)`);
    const option = h.page.locator('[data-testid=active-run-option]');
    expect(await option.textContent()).toContain(`run ${activeId} (active)`);
    expect(await option.isDisabled()).toBe(true);
    await h.page.selectOption('[aria-label="compare with run"]', String(otherId));
    await h.page.waitForSelector('[data-testid=verdict-other]');
    expect(await h.page.textContent('[data-testid=verdict-other]')).toContain(`run ${otherId}`);
    await h.screenshotBoth('test-view-compare');
  });

  it('labels typed text and adds it to the dataset as a message, then relabels it', async () => {
    await h.page.click('[data-testid=add-spam]');
    const result = h.page.locator('[data-testid=add-result]');
    await result.waitFor();
    const added = /Added to the dataset as message (\d+), labeled spam\./.exec((await result.textContent())!);
    expect(added).not.toBeNull();
    const id = Number(added![1]);
    const stored = await h.call('messages.get', { id });
    expect(stored.label).toBe('spam');
    expect(stored.subject).toBe('URGENT: claim your FREE prize now');
    expect(stored.text).toContain('URGENT: claim your FREE prize now');
    expect(stored.text).toContain('Reply with your bank details today.');
    expect(stored.source).toBe('Test view');
    await h.screenshotBoth('test-view-added');

    await h.page.click('[data-testid=add-ham]');
    await h.page.waitForFunction(
      () => document.querySelector('[data-testid=add-result]')?.textContent?.includes('relabeled spam → ham'),
      null,
      { timeout: 5_000 },
    );
    expect(await result.textContent()).toContain(`(message ${id})`);
    expect((await h.call('messages.get', { id })).label).toBe('ham');
  });

  it('stores a pasted message with headers as it is', async () => {
    const mail =
      'From: Alice <alice@example.org>\nTo: bob@example.org\nSubject: Lunch on Friday\n\nShall we meet at noon? The usual place.\n';
    await h.page.fill('[data-testid=test-input]', mail);
    await h.page.waitForFunction(() =>
      document.querySelector('[data-testid=test-highlighted]')?.textContent?.startsWith('Lunch on Friday'),
    );
    await h.page.click('[data-testid=add-ham]');
    const result = h.page.locator('[data-testid=add-result]');
    await result.waitFor();
    const id = Number(/message (\d+)/.exec((await result.textContent())!)![1]);
    const stored = await h.call('messages.get', { id });
    expect(stored).toMatchObject({ label: 'ham', subject: 'Lunch on Friday', from: expect.stringContaining('alice@example.org') });
    expect(stored.text).not.toContain('Subject:');
  });

  it('keeps the typed text when leaving the view and coming back', async () => {
    const app = appPage(h.page);
    await h.page.fill('[data-testid=test-input]', URGENT);
    await app.nav('dataset');
    await h.page.waitForSelector('[data-testid=message-row]');
    await app.nav('test');
    expect(await h.page.inputValue('[data-testid=test-input]')).toBe(URGENT);
    await h.page.reload();
    await app.nav('test');
    expect(await h.page.inputValue('[data-testid=test-input]')).toBe(URGENT);
    await h.page.waitForSelector('[data-testid=probability]');
    expect(h.consoleMessages.filter((m) => /error/i.test(m) && !/live\.status/.test(m))).toEqual([]);
  });
});
