// The sender lists from the app: one click in the message view blocks the
// sender (its parsed address), the lists panel shows and changes both lists,
// and the Test view says when a list decided. Light and dark screenshots.
import { afterAll, describe, expect, it } from 'vitest';
import type { ClassifyResult } from '../../shared/contract';
import { openHarness, Harness } from './harness';
import { appPage } from './pages/app';

const harnesses: Harness[] = [];
afterAll(() => Promise.all(harnesses.map((h) => h.close())));

describe.each(['light', 'dark'] as const)('sender lists, %s', (scheme) => {
  it('blocks a sender with one click, lists it, and the Test view says the list decided', async () => {
    const h = await openHarness(scheme === 'dark' ? { colorScheme: 'dark' } : {});
    harnesses.push(h);
    const app = appPage(h.page);
    await h.page.waitForSelector('[data-testid=welcome]');
    await app.welcome.labeledSample();
    await app.nav('dataset');
    await h.page.locator('[data-testid=message-row][data-message-id]').nth(1).click();
    await h.page.waitForSelector('[data-testid=message-view]');
    const messageId = Number(await h.page.getAttribute('[data-testid=message-view]', 'data-message-id'));
    await h.page.click('[data-testid=sender-buttons] >> text=Block sender');
    const note = await h.page.locator('[data-testid=sender-note]').textContent();
    const [, entry] = /^(\S+) is on your block list$/.exec(note ?? '')!;
    expect((await h.backend.handle('lists.get', {})) as unknown).toEqual({ ok: true, value: { allow: [], block: [entry] } });
    await h.screenshot(`message-sender-${scheme}`);

    await h.page.click('text=Lists…');
    await h.page.fill('#list-entry', 'Example.org');
    await h.page.click('[data-testid=lists-panel] >> button:text-is("Allow")');
    await h.page.waitForSelector('[data-testid=allow-list] >> text=example.org');
    expect(await h.page.textContent('[data-testid=block-list]')).toContain(entry);
    await h.page.fill('#list-entry', 'Not an address');
    await h.page.click('[data-testid=lists-panel] >> button:text-is("Block")');
    await h.page.waitForSelector('[data-testid=lists-panel] .notice.error');
    await h.screenshot(`lists-${scheme}`);

    if (scheme === 'dark') return;
    const raw = (await h.backend.handle('messages.get', { id: messageId })) as { ok: true; value: { raw: string } };
    await app.nav('train');
    await app.train.start();
    await h.page.waitForSelector('[data-testid=run-report]', { timeout: 60_000 });
    await app.nav('test');
    await h.page.fill('[data-testid=test-input]', raw.value.raw);
    await h.page.waitForSelector('[data-testid=decided-by]');
    expect(await h.page.textContent('[data-testid=decided-by]')).toBe('decided by your block list');
    expect(await h.page.textContent('[data-testid=verdict]')).toBe('spam');
    const classified = (await h.backend.handle('classify.message', { messageId })) as { ok: true; value: ClassifyResult };
    expect(classified.value).toMatchObject({ verdict: 'spam', decidedBy: 'decided by your block list' });
    await h.screenshot('test-decided-by-light');
  });
});
