// One temp database, one in-process web host and one headless Chromium per
// test file: the real backend, the real HTTP host, a real browser.
import fs from 'node:fs';
import path from 'node:path';
import { chromium, Browser, Page } from 'playwright-core';
import { openApiWithInternals, BackendInternals } from '../../electron/backend/api/backend';
import { packageRoot, sampleDir } from '../../electron/backend/paths';
import { startWebHost, WebHost } from '../../electron/web/server';
import { tempDir } from '../support/cli';

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
  dialogs: string[];
  screenshot(name: string): Promise<void>;
  close(): Promise<void>;
}

const root = packageRoot(__dirname);
const SCREENSHOTS = path.join(root, 'test-artifacts', 'screenshots');

export async function openHarness(opts: { colorScheme?: 'light' | 'dark' } = {}): Promise<Harness> {
  const dir = tempDir('e2e');
  const backend = await openApiWithInternals({ dbPath: path.join(dir, 'spamlab.db'), sampleDir: sampleDir(root) });
  const host = await startWebHost({ backend, staticDir: path.join(root, 'dist', 'renderer') });
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
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
    dialogs: [],
    async screenshot(name) {
      fs.mkdirSync(SCREENSHOTS, { recursive: true });
      await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`) });
    },
    async close() {
      await browser.close();
      await host.close();
      await backend.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
  context.on('request', (request) => harness.requests.push(request.url()));
  page.on('console', (message) => harness.consoleMessages.push(message.text()));
  page.on('dialog', (dialog) => {
    harness.dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  await page.goto(host.url);
  return harness;
}
