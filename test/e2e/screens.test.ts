// Every view at 1280×800 in the dark theme (the other tests take the light
// ones), saved to test-artifacts/screenshots for a person to look at.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openHarness, Harness } from './harness';
import { appPage } from './pages/app';

let h: Harness;
beforeAll(async () => {
  h = await openHarness({ colorScheme: 'dark' });
});
afterAll(() => h.close());

describe('every view, dark', () => {
  it('renders the welcome, dataset, label, train, losses, map and test views', async () => {
    const app = appPage(h.page);
    await h.page.waitForSelector('[data-testid=welcome]');
    await h.screenshot('welcome-dark');
    await app.welcome.labeledSample();
    await app.train.start();
    await h.page.waitForSelector('[data-testid=run-report]', { timeout: 60_000 });
    await h.screenshot('train-dark');
    await h.page.fill('[aria-label="unsure from"]', '0.2');
    await h.page.click('text=Set unsure band');
    await h.page.waitForSelector('[data-testid=unsure-band]');
    await h.page.locator('[data-testid=run-report] figure').last().scrollIntoViewIfNeeded();
    await h.screenshot('policy-dark');
    await app.nav('dataset');
    await h.page.locator('[data-testid=message-row][data-message-id]').nth(2).click();
    await h.page.waitForSelector('[data-testid=message-view]');
    await h.screenshot('dataset-dark');
    await app.nav('label');
    await h.page.waitForSelector('[data-testid=queue-empty]');
    await h.screenshot('label-dark');
    await app.nav('losses');
    await h.page.locator('[data-testid=loss-row]').first().click();
    await h.page.waitForSelector('[data-testid=loss-explained]');
    await h.screenshot('losses-dark');
    await h.page.click('[data-testid=map-tab]');
    await h.page.waitForSelector('[data-testid=cartography]');
    await h.page.waitForTimeout(300);
    await h.screenshot('map-dark');
    await app.nav('test');
    await h.page.fill(
      '[data-testid=test-input]',
      'Subject: Act now\n\nDear friend, you have been selected to receive a FREE gift card. Click here.',
    );
    await h.page.waitForSelector('[data-testid=probability]');
    await h.screenshot('test-dark');
    expect(h.consoleMessages.filter((m) => /error/i.test(m))).toEqual([]);
  });
});
