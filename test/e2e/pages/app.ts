// Page objects: tests read like what a person does.
import type { Page } from 'playwright-core';

export function appPage(page: Page) {
  const nav = (name: 'dataset' | 'label' | 'train' | 'losses' | 'test') => page.click(`[data-testid=nav-${name}]`);
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
  };
}
