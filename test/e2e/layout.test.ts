// Narrow windows and keyboard reach (issue 18): every view at 900×700 and at
// 1280×800, light and dark, with no pane overflowing sideways and a
// screenshot of each; the Train view's run rows by keyboard alone; the
// active-run star's rule in its tooltip and accessible name.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_TRAIN_SETTINGS } from '../../shared/types';
import { loadCorpus, writeEmlFolder } from '../support/corpus';
import { openHarness, Harness } from './harness';
import { appPage } from './pages/app';

const ACTIVE_RULE =
  'Active filter: the run classify, the filter, the Label queue and the Test view use. A run that finishes becomes active; Use picks another until the next one finishes.';

/** The panes of the main area that scroll or clip (styles.css): none may be wider inside than it is. */
const PANES = ['.main', '.view-body', '.split > *', '.list', '.message', '.losses-list-pane', '.loss-rows', '.losses-detail'];

let h: Harness;
let app: ReturnType<typeof appPage>;
const runIds: number[] = [];

async function train(): Promise<number> {
  const finished = new Promise<number>((resolve) => {
    const off = h.backend.on('training.finished', (e) => (off(), resolve(e.runId)));
  });
  const { runId } = await h.call('training.start', { settings: DEFAULT_TRAIN_SETTINGS });
  expect(await finished).toBe(runId);
  return runId;
}

beforeAll(async () => {
  h = await openHarness();
  app = appPage(h.page);
  await h.call('import.sample', { label: true });
  runIds.push(await train(), await train());
  // Some new mail, unlabeled, for the Label view's queue.
  const folder = path.join(h.dir, 'new-mail');
  writeEmlFolder(folder, loadCorpus({ perGroup: 3 }));
  const imported = await h.call('import.paths', { paths: [folder], label: null });
  expect(imported.imported).toBeGreaterThan(0);
  await h.page.reload();
}, 120_000);
afterAll(() => h?.close());

/** Each pane that is wider inside than it shows, with both widths and what sticks out furthest: [] when none is. */
const overflowing = () =>
  h.page.evaluate((selectors) => {
    const main = document.querySelector('.main')!;
    const panes = [main, ...selectors.slice(1).flatMap((s) => [...main.querySelectorAll<HTMLElement>(s)])];
    const name = (el: Element) =>
      `${el.tagName.toLowerCase()}${el.className && typeof el.className === 'string' ? `.${el.className}` : ''}`;
    return panes
      .filter((el) => el.clientWidth > 0 && el.scrollWidth > el.clientWidth + 1)
      .map((el) => {
        const right = el.getBoundingClientRect().left + el.clientWidth;
        const out = [...el.querySelectorAll('*')].filter((c) => c.getBoundingClientRect().right > right + 1);
        const widest = out.sort((a, b) => b.getBoundingClientRect().right - a.getBoundingClientRect().right)[0];
        return `${name(el)}: ${el.scrollWidth} > ${el.clientWidth}${widest ? `, widest ${name(widest)} in ${name(widest.parentElement!)}` : ''}`;
      });
  }, PANES);

/** The controls that stand outside the window on the right. */
const offscreen = (selector: string) =>
  h.page.evaluate(
    (s) =>
      [...document.querySelectorAll(s)]
        .filter((el) => el.getBoundingClientRect().right > window.innerWidth + 1)
        .map((el) => el.textContent ?? ''),
    selector,
  );

async function setTheme(theme: 'light' | 'dark') {
  await h.page.emulateMedia({ colorScheme: theme });
  await h.page.waitForFunction((t) => document.documentElement.dataset.theme === t, theme);
  await h.page.waitForTimeout(120); // charts are drawn again in the theme's colours
}

/** Each view brought to its shown state: a message open, a run shown, a verdict given. */
const VIEWS: Array<[Parameters<typeof app.nav>[0], () => Promise<unknown>]> = [
  [
    'dataset',
    async () => {
      await h.page.locator('[data-testid=message-row][data-message-id]').nth(2).click();
      await h.page.waitForSelector('[data-testid=message-view]');
    },
  ],
  ['label', () => h.page.waitForSelector('[data-testid=message-view]')],
  ['train', () => h.page.waitForSelector('[data-testid=run-report]')],
  [
    'losses',
    async () => {
      await h.page.locator('[data-testid=loss-row]').first().click();
      await h.page.waitForSelector('[data-testid=loss-explained]');
    },
  ],
  [
    'test',
    async () => {
      await h.page.fill('[data-testid=test-input]', 'Subject: Act now\n\nDear friend, you have been selected to receive a FREE gift card.');
      await h.page.waitForSelector('[data-testid=probability]');
    },
  ],
  ['monitor', () => h.page.waitForSelector('[data-testid=monitor-verdict]')],
  ['mailboxes', () => h.page.waitForSelector('[data-testid=imap-add]')],
];

describe('layout at two window sizes', () => {
  for (const [width, height] of [
    [900, 700],
    [1280, 800],
  ] as const) {
    it(`fits every view at ${width}×${height}, light and dark`, async () => {
      await h.page.setViewportSize({ width, height });
      const sidebar = await h.page.locator('.sidebar').boundingBox();
      // Collapsed to icons when narrow, with each view's name still its button's accessible name.
      if (width < 1000) expect(sidebar!.width).toBeLessThan(80);
      else expect(sidebar!.width).toBeGreaterThan(150);
      for (const [view, name] of [
        ['dataset', 'Dataset'],
        ['losses', 'Losses'],
        ['mailboxes', 'Mailboxes'],
      ])
        expect(await h.page.getByRole('button', { name, exact: true }).getAttribute('data-testid')).toBe(`nav-${view}`);

      /** Light and dark: a screenshot of each, and no pane wider inside than it shows. */
      const check = async (name: string) => {
        for (const theme of ['light', 'dark'] as const) {
          await setTheme(theme);
          await h.screenshot(`layout-${width}-${name}-${theme}`);
          expect(await overflowing(), `${name} at ${width}, ${theme}`).toEqual([]);
        }
        await setTheme('light');
      };
      for (const [view, show] of VIEWS) {
        await app.nav(view);
        await show();
        await check(view);
        if (view === 'train') {
          await h.page.locator('[data-testid=runs-table]').evaluate((el) => el.scrollIntoView({ block: 'center' }));
          await check('train-runs');
          // Every run's buttons inside the window, none pushed off its right edge.
          expect(await offscreen('[data-testid=runs-table] button')).toEqual([]);
          expect(await h.page.locator('[data-testid=runs-table] button').count()).toBe(3);
          // ...and no column hidden under them: the table fits its box at both sizes.
          expect(await h.page.$eval('.table-scroll', (el) => el.scrollWidth - el.clientWidth)).toBeLessThanOrEqual(1);
        }
        if (view === 'losses') {
          const detail = await h.page.locator('[data-testid=losses-detail]').boundingBox();
          expect(detail!.width).toBeGreaterThanOrEqual(360);
        }
      }
    });
  }
});

describe('the runs table by keyboard', () => {
  it('tabs into the rows, moves with ↑/↓, shows a run with Enter, and reaches Use and Delete', async () => {
    await h.page.setViewportSize({ width: 900, height: 700 });
    await app.nav('train');
    await h.page.waitForSelector('[data-testid=run-report]');
    const [older, newer] = runIds as [number, number];
    const focused = () => h.page.evaluate(() => document.activeElement?.getAttribute('data-run-id') ?? document.activeElement?.textContent);
    /** Waits until the Train view shows run `id` above the table. */
    const shows = (id: number) =>
      h.page.waitForFunction(
        (id) => [...document.querySelectorAll('.view-body b')].some((b) => b.textContent?.startsWith(`Run ${id} — `)),
        id,
      );
    await shows(newer);

    // From the control before the table, Tab lands on the shown run's row: the newest, listed first.
    await h.page.focus('summary:has-text("Settings")');
    await h.page.keyboard.press('Tab');
    expect(await focused()).toBe(String(newer));
    await h.page.keyboard.press('ArrowDown');
    expect(await focused()).toBe(String(older));
    await h.page.keyboard.press('ArrowUp');
    expect(await focused()).toBe(String(newer));
    await h.page.keyboard.press('ArrowDown');
    await h.page.keyboard.press('Enter');
    await shows(older);
    expect(await h.page.getAttribute(`[data-testid=runs-table] tr[data-run-id="${older}"]`, 'aria-current')).toBe('true');
    await h.screenshot('layout-900-runs-keyboard-light');

    // Tab goes on to the row's own controls: Use (the older run is not the active one), then Delete.
    await h.page.keyboard.press('Tab');
    expect(await focused()).toBe('Use');
    await h.page.keyboard.press('Tab');
    expect(await focused()).toBe('Delete');
    await h.page.keyboard.press('Shift+Tab');
    await h.page.keyboard.press('Enter');
    await h.page.waitForSelector(`[data-testid=runs-table] tr[data-run-id="${older}"] [data-testid=active-star]`);
    // Its Use button gone, the run's row keeps the focus: Tab goes on from there, not from the top of the page.
    expect(await focused()).toBe(String(older));
    await h.call('runs.activate', { runId: newer });
  });

  it("states the active run's rule in the star's tooltip and accessible name", async () => {
    await h.page.reload();
    await app.nav('train');
    const star = h.page.locator('[data-testid=runs-table] [data-testid=active-star]');
    await h.page.waitForSelector(`[data-testid=runs-table] tr[data-run-id="${runIds[1]}"] [data-testid=active-star]`);
    expect(await star.count()).toBe(1);
    expect(await star.getAttribute('title')).toBe(ACTIVE_RULE);
    expect(await h.page.getByRole('img', { name: ACTIVE_RULE }).count()).toBe(1);
    // Written out above the table too, for whoever does not hover.
    expect(await h.page.textContent('[data-testid=runs-legend]')).toContain(ACTIVE_RULE);
  });
});
