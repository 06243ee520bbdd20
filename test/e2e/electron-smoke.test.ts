// The real Electron shell, driven by Playwright: the window's security policy,
// the preload's one bridge, a label from a key press through IPC into SQLite,
// and the navigations the window refuses. Runs where an Electron binary is
// installed and better-sqlite3 is built for its ABI (the CI workflow's
// electron-smoke job); elsewhere it says why it did not run.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { _electron, ElectronApplication, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../../shared/csp';
import { ROOT, tempDir } from '../support/cli';
import { appPage } from './pages/app';

const SQLITE_SCRIPT = path.join(__dirname, 'sqlite-in-electron.cjs');

/** Runs one query with better-sqlite3 inside Electron's Node: the ABI the app's main process uses. */
function queryInElectron(binary: string, file: string, sql: string, ...params: Array<string | number>) {
  const run = spawnSync(binary, [SQLITE_SCRIPT, file, sql, ...params.map(String)], {
    env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
    encoding: 'utf8',
    timeout: 60_000,
  });
  if (run.status !== 0) throw new Error(`${run.error?.message ?? ''}${run.stderr}`.trim().split('\n')[0]);
  return JSON.parse(run.stdout) as Array<Record<string, unknown>>;
}

/** The Electron binary when this machine can run the app in it, or why it cannot. */
function readiness(): { binary: string } | { reason: string } {
  const dir = path.dirname(require.resolve('electron/package.json'));
  const pathFile = path.join(dir, 'path.txt');
  // Reading path.txt instead of require('electron'), which would try to download the binary.
  const binary = fs.existsSync(pathFile) ? path.join(dir, 'dist', fs.readFileSync(pathFile, 'utf8')) : null;
  if (!binary || !fs.existsSync(binary)) {
    return {
      reason: 'no Electron binary is installed (node_modules/electron downloads it on first use: `node node_modules/electron/install.js`)',
    };
  }
  if (process.platform === 'linux' && !process.env.DISPLAY) return { reason: 'no display: run it under xvfb-run' };
  try {
    queryInElectron(binary, ':memory:', 'SELECT 1');
  } catch (err) {
    return {
      reason: `better-sqlite3 does not load in Electron (${(err as Error).message}): rebuild it for Electron's ABI with \`npx electron-rebuild --force --only better-sqlite3\``,
    };
  }
  return { binary };
}

const ready = readiness();
const reason = 'reason' in ready ? ready.reason : null;
// The CI job that exists to run this test must not pass by skipping it.
const required = process.env.SPAMLAB_ELECTRON_SMOKE === 'required';
if (reason) console.warn(`Electron smoke test not run: ${reason}`);

describe('the Electron shell', () => {
  it.runIf(required && reason !== null)('can run here, as SPAMLAB_ELECTRON_SMOKE=required says', () => {
    throw new Error(`Electron smoke test cannot run: ${reason}`);
  });

  describe.skipIf(reason !== null)(reason ? `(not run: ${reason})` : 'in a real window', () => {
    const binary = 'binary' in ready ? ready.binary : '';
    let dir: string;
    let db: string;
    let electronApp: ElectronApplication;
    let page: Page;

    beforeAll(async () => {
      dir = tempDir('electron');
      db = path.join(dir, 'spamlab.db');
      // Playwright finds the binary through the electron package, as `npx electron` does, and keeps Chromium's sandbox on.
      electronApp = await _electron.launch({
        args: [ROOT],
        env: { ...process.env, SPAMLAB_DB: db },
        chromiumSandbox: true,
        timeout: 60_000,
      });
      page = await electronApp.firstWindow();
      await page.waitForSelector('[data-testid=welcome]');
      // A link the window hands to the system browser is recorded instead of opening one on the test machine.
      await electronApp.evaluate(({ shell }) => {
        const opened: string[] = [];
        Object.assign(globalThis, { openedExternally: opened });
        shell.openExternal = async (url: string) => void opened.push(url);
      });
    });
    afterAll(async () => {
      await electronApp?.close();
      if (dir) fs.rmSync(dir, { recursive: true, force: true });
    });

    it('opens the window under the app’s Content-Security-Policy header', async () => {
      // Every policy in force reports a violation with its own text: the header's is the app's CSP, the meta tag's a shorter one.
      const policies = await page.evaluate(
        () =>
          new Promise<string[]>((resolve) => {
            const seen: string[] = [];
            document.addEventListener('securitypolicyviolation', (e) => seen.push(e.originalPolicy));
            const script = document.createElement('script');
            script.textContent = 'window.inlineScriptRan = true';
            document.head.append(script);
            setTimeout(() => resolve(seen), 500);
          }),
      );
      expect(await page.evaluate(() => 'inlineScriptRan' in window)).toBe(false);
      expect(policies).toContain(CONTENT_SECURITY_POLICY);
      expect(page.url()).toMatch(/^file:\/\/.*\/dist\/renderer\/index\.html$/);
    });

    it('gives the page the preload’s bridge and no Node', async () => {
      const globals = await page.evaluate(() => ({
        bridge: Object.keys((window as unknown as { spamlab: object }).spamlab).sort(),
        require: typeof (window as unknown as { require?: unknown }).require,
        process: typeof (window as unknown as { process?: unknown }).process,
        module: typeof (window as unknown as { module?: unknown }).module,
      }));
      expect(globals).toEqual({ bridge: ['call', 'on', 'pathForFile'], require: 'undefined', process: 'undefined', module: 'undefined' });
    });

    it('takes a label from a key press through IPC into SQLite', async () => {
      const app = appPage(page);
      await app.welcome.labelSample();
      await page.waitForSelector('[data-testid=message-view]');
      const id = await app.label.currentId();
      await app.label.press('s');
      await expect
        .poll(() => queryInElectron(binary, db, 'SELECT label FROM labels WHERE message_id = ?', id), { timeout: 10_000 })
        .toEqual([{ label: 'spam' }]);
      expect(queryInElectron(binary, db, 'SELECT label, previous FROM label_events WHERE message_id = ?', id)).toEqual([
        { label: 'spam', previous: null },
      ]);
    });

    it('refuses to navigate to a remote URL', async () => {
      const before = page.url();
      // The listener is in place before the page tries; the app's own listener, registered first, has already answered.
      await electronApp.evaluate(({ BrowserWindow }) => {
        const navigation = new Promise((resolve) =>
          BrowserWindow.getAllWindows()[0]!.webContents.once('will-navigate', (event) =>
            resolve({ url: event.url, prevented: event.defaultPrevented }),
          ),
        );
        Object.assign(globalThis, { navigation });
      });
      await page.evaluate(() => {
        window.location.href = 'https://example.org/';
      });
      expect(await electronApp.evaluate(() => (globalThis as unknown as { navigation: Promise<unknown> }).navigation)).toEqual({
        url: 'https://example.org/',
        prevented: true,
      });
      await page.waitForSelector('[data-testid=message-view]');
      expect(page.url()).toBe(before);
    });

    it('opens no window for window.open, handing a web link to the system browser', async () => {
      expect(await page.evaluate(() => window.open('https://example.org/popup') === null)).toBe(true);
      expect(await page.evaluate(() => window.open('file:///') === null)).toBe(true);
      expect(electronApp.windows()).toHaveLength(1);
      const opened = () => electronApp.evaluate(() => (globalThis as unknown as { openedExternally: string[] }).openedExternally);
      await expect.poll(opened).toEqual(['https://example.org/popup']);
    });
  });
});
