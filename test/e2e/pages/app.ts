// Page objects: tests read like what a person does.
import type { Page } from 'playwright-core';

export function appPage(page: Page) {
  const nav = (name: 'dataset' | 'label' | 'train' | 'losses' | 'test' | 'monitor' | 'mailboxes') =>
    page.click(`[data-testid=nav-${name}]`);
  return {
    page,
    nav,
    welcome: {
      labelSample: () => page.click('text=Label 300 real messages'),
      labeledSample: () => page.click('text=Sample, already labeled'),
    },
    label: {
      currentId: async () => Number(await page.getAttribute('[data-testid=message-view]', 'data-message-id')),
      press: async (key: string) => {
        const before = await page.getAttribute('[data-testid=message-view]', 'data-message-id');
        await page.keyboard.press(key);
        await page.waitForFunction(
          (id) => document.querySelector('[data-testid=message-view]')?.getAttribute('data-message-id') !== id,
          before,
        );
      },
      tally: () => page.textContent('[data-testid=tally]'),
      setOrder: (order: 'newest' | 'random' | 'uncertain') => page.selectOption('[data-testid=queue-order]', order),
    },
    dataset: {
      search: (text: string) => page.fill('input[aria-label=search]', text),
      shown: async () => Number((await page.textContent('[data-testid=list-total]'))!.split(' ')[0]),
      open: (subjectText: string) => page.click(`[data-testid=message-row] >> text=${subjectText}`),
      counts: () => page.textContent('[data-testid=counts]'),
    },
    train: {
      set: (field: string, value: string) => page.fill(`#setting-${field}`, value),
      openSettings: () => page.click('summary:has-text("Settings")'),
      start: () => page.click('[data-testid=train-button]'),
      cancel: () => page.click('[data-testid=cancel-button]'),
      stepPoints: () => page.evaluate(() => document.querySelectorAll('[data-testid=loss-chart] canvas').length),
    },
    mailboxes: {
      add: async (a: { name: string; host: string; port: number; security: string; user: string; password: string }) => {
        const form = page.locator('[data-testid=imap-add]');
        await form.getByLabel('account name').fill(a.name);
        await form.getByLabel('host').fill(a.host);
        await form.getByLabel('port').fill(String(a.port));
        await form.getByLabel('security').selectOption(a.security);
        await form.getByLabel('user').fill(a.user);
        await form.getByLabel('password').fill(a.password);
        await form.locator('button:has-text("Add account")').click();
        await page.waitForSelector(`[data-testid=imap-account-${a.name}]`);
      },
      testConnection: async () => {
        await page.click('[data-testid=imap-test]');
        return page.textContent('[data-testid=imap-test-result]');
      },
      listFolders: () => page.click('[data-testid=imap-folders]').then(() => page.waitForSelector('[data-testid=imap-folder-table]')),
      map: (folder: string, role: string) => page.selectOption(`select[aria-label="map ${folder}"]`, role),
      sync: async () => {
        await page.click('[data-testid=imap-sync]');
        return page.textContent('[data-testid=imap-sync-result]');
      },
      dryRun: async () => {
        await page.click('[data-testid=imap-dry-run]');
        return page.textContent('[data-testid=imap-filter-result]');
      },
    },
  };
}
