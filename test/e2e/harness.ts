// One temp database, one in-process web host and one headless Chromium per
// test file: the real backend, the real HTTP host, a real browser.
import fs from 'node:fs';
import path from 'node:path';
import { chromium, Browser, Page } from 'playwright-core';
import { openApiWithInternals, BackendInternals } from '../../electron/backend/api/backend';
import { packageRoot, sampleDir } from '../../electron/backend/paths';
import { startWebHost, WebHost } from '../../electron/web/server';
import { chromiumPath } from '../support/browser';
import { tempDir } from '../support/cli';
import type { Method, RequestOf, ResponseOf } from '../../shared/contract';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export interface Harness {
  dir: string;
  backend: BackendInternals;
  host: WebHost;
  browser: Browser;
  page: Page;
  /** Every request the page made, by URL. */
  requests: string[];
  consoleMessages: string[];
  /** Errors the page did not catch; close() fails the test file when there are any. */
  pageErrors: string[];
  dialogs: string[];
  screenshot(name: string): Promise<void>;
  /** The page as it is, in the light theme and then in the dark one: NAME-light.png and NAME-dark.png. */
  screenshotBoth(name: string): Promise<void>;
  /** A request to the backend, as the page's host sends it; an error answer throws, naming the method. */
  call<M extends Method>(method: M, request: RequestOf<M>): Promise<ResponseOf<M>>;
  close(): Promise<void>;
}

const root = packageRoot(__dirname);
const SCREENSHOTS = path.join(root, 'test-artifacts', 'screenshots');

export async function openHarness(opts: { colorScheme?: 'light' | 'dark' } = {}): Promise<Harness> {
  const dir = tempDir('e2e');
  const backend = await openApiWithInternals({ dbPath: path.join(dir, 'spamlab.db'), sampleDir: sampleDir(root) });
  const host = await startWebHost({ backend, staticDir: path.join(root, 'dist', 'renderer') });
  const browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS });
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, colorScheme: opts.colorScheme ?? 'light' });
  const page = await context.newPage();
  const harness: Harness = {
    dir,
    backend,
    host,
    browser,
    page,
    requests: [],
    consoleMessages: [],
    pageErrors: [],
    dialogs: [],
    async screenshot(name) {
      fs.mkdirSync(SCREENSHOTS, { recursive: true });
      await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`) });
    },
    async screenshotBoth(name) {
      await harness.screenshot(`${name}-light`);
      await page.emulateMedia({ colorScheme: 'dark' });
      await page.waitForTimeout(100);
      await harness.screenshot(`${name}-dark`);
      await page.emulateMedia({ colorScheme: 'light' });
    },
    async call(method, request) {
      const result = await backend.handle(method, request);
      if (!result.ok) throw new Error(`${method}: ${result.error.message}`);
      return result.value as ResponseOf<typeof method>;
    },
    async close() {
      await browser.close();
      await host.close();
      await backend.close();
      fs.rmSync(dir, { recursive: true, force: true });
      if (harness.pageErrors.length) throw new Error(`uncaught errors in the page:\n${harness.pageErrors.join('\n')}`);
    },
  };
  context.on('request', (request) => harness.requests.push(request.url()));
  page.on('console', (message) => harness.consoleMessages.push(message.text()));
  page.on('pageerror', (error) => harness.pageErrors.push(error.stack ?? error.message));
  page.on('dialog', (dialog) => {
    harness.dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  await page.goto(host.url);
  return harness;
}
