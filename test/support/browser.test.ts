// findChromium's search order and messages, on fake folders: executable stub
// files stand in for browsers (this tests where it looks, not a browser), and
// the global setup run for real in a child vitest.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { findChromium, playwrightBrowsers, playwrightCache, systemLocations } from './browser';
import { ROOT, tempDir } from './cli';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

function scratch(): string {
  const dir = tempDir('browser');
  dirs.push(dir);
  return dir;
}

/** An executable stub at DIR/...PARTS (or a plain file with mode 0o644). */
function stub(dir: string, parts: string[], mode = 0o755): string {
  const file = path.join(dir, ...parts);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, '#!/bin/sh\nexit 0\n', { mode });
  fs.chmodSync(file, mode);
  return file;
}

/** A search that sees only DIR: no PATH but PATH_DIRS, no system locations but SYSTEM, HOME inside DIR. */
function search(dir: string, opts: { path?: string[]; system?: string[]; env?: NodeJS.ProcessEnv } = {}) {
  return findChromium({
    env: { PATH: (opts.path ?? []).join(path.delimiter), ...opts.env },
    platform: 'linux',
    home: path.join(dir, 'home'),
    systemPaths: opts.system ?? [],
  });
}

describe.skipIf(process.platform === 'win32')('findChromium', () => {
  it('takes CHROMIUM_PATH first, when it is an executable', () => {
    const dir = scratch();
    const given = stub(dir, ['mine', 'chrome']);
    const onPath = stub(dir, ['bin', 'chromium']);
    expect(search(dir, { path: [path.dirname(onPath)], env: { CHROMIUM_PATH: given } })).toEqual({
      ok: true,
      path: given,
      source: 'CHROMIUM_PATH',
    });
  });

  it('says what is wrong with CHROMIUM_PATH instead of looking elsewhere', () => {
    const dir = scratch();
    const onPath = path.dirname(stub(dir, ['bin', 'chromium']));
    const plain = stub(dir, ['mine', 'chrome.txt'], 0o644);
    const cases: Array<[string, string]> = [
      [path.join(dir, 'nowhere', 'chrome'), 'does not exist'],
      [plain, 'is not executable'],
      [path.join(dir, 'mine'), 'is a folder'],
    ];
    for (const [given, why] of cases) {
      const found = search(dir, { path: [onPath], env: { CHROMIUM_PATH: given } });
      expect(found.ok).toBe(false);
      if (found.ok) continue;
      expect(found.message).toBe(
        `CHROMIUM_PATH is ${given}, which ${why}: point it at a Chromium or Chrome executable, or unset it to let the tests look for one`,
      );
      expect(found.tried).toEqual([`CHROMIUM_PATH=${given}`]);
    }
  });

  it('looks on PATH by name (chromium before google-chrome, wherever each is), skipping what is not executable', () => {
    const dir = scratch();
    const first = path.dirname(stub(dir, ['a', 'google-chrome']));
    stub(dir, ['a', 'chromium'], 0o644);
    const second = path.dirname(stub(dir, ['b', 'chromium-browser']));
    const found = search(dir, { path: [first, second] });
    expect(found).toEqual({ ok: true, path: path.join(second, 'chromium-browser'), source: 'PATH' });
    // With no Chromium at all, Chrome; an empty CHROMIUM_PATH counts as unset.
    fs.rmSync(path.join(second, 'chromium-browser'));
    expect(search(dir, { path: [first, second], env: { CHROMIUM_PATH: '' } })).toMatchObject({ path: path.join(first, 'google-chrome') });
  });

  it('then the usual install locations, in their order', () => {
    const dir = scratch();
    const system = [path.join(dir, 'usr', 'bin', 'chromium'), path.join(dir, 'snap', 'bin', 'chromium'), path.join(dir, 'opt', 'chrome')];
    stub(dir, ['snap', 'bin', 'chromium']);
    stub(dir, ['opt', 'chrome']);
    expect(search(dir, { path: [path.join(dir, 'empty')], system })).toEqual({ ok: true, path: system[1], source: 'system' });
  });

  it("then Playwright's cache: full Chromium newest first, then headless shells", () => {
    const dir = scratch();
    const cache = path.join(dir, 'home', '.cache', 'ms-playwright');
    stub(cache, ['chromium-1100', 'chrome-linux', 'chrome']);
    const newest = stub(cache, ['chromium-1255', 'chrome-linux64', 'chrome']);
    stub(cache, ['chromium_headless_shell-1300', 'chrome-headless-shell-linux64', 'chrome-headless-shell']);
    fs.mkdirSync(path.join(cache, 'chromium-1400')); // a download that never finished
    fs.mkdirSync(path.join(cache, 'firefox-1572'));
    expect(search(dir)).toEqual({ ok: true, path: newest, source: "Playwright's cache" });
    // PLAYWRIGHT_BROWSERS_PATH moves the cache, as it does for Playwright.
    const moved = stub(dir, ['pw', 'chromium-1000', 'chrome-linux', 'chrome']);
    expect(search(dir, { env: { PLAYWRIGHT_BROWSERS_PATH: path.join(dir, 'pw') } })).toMatchObject({ path: moved });
    // An old cache, from before Chrome for Testing: the headless shell when no full Chromium is left.
    fs.rmSync(path.join(cache, 'chromium-1100'), { recursive: true });
    fs.rmSync(path.join(cache, 'chromium-1255'), { recursive: true });
    expect(search(dir)).toMatchObject({
      path: path.join(cache, 'chromium_headless_shell-1300', 'chrome-headless-shell-linux64', 'chrome-headless-shell'),
    });
  });

  it("then spamlab's own cache (what SPAMLAB_INSTALL_BROWSER=1 installed)", () => {
    const dir = scratch();
    stub(dir, ['home', '.cache', 'spamlab', 'chromium-99.0.0', 'chrome']);
    stub(dir, ['home', '.cache', 'spamlab', 'chromium-200.0.0.partial-7', 'chrome']);
    const installed = stub(dir, ['home', '.cache', 'spamlab', 'chromium-153.0.0', 'chrome']);
    expect(search(dir)).toEqual({ ok: true, path: installed, source: "spamlab's cache" });
    const xdg = stub(dir, ['xdg', 'spamlab', 'chromium-154.0.0', 'chrome']);
    expect(search(dir, { env: { XDG_CACHE_HOME: path.join(dir, 'xdg') } })).toMatchObject({ path: xdg });
  });

  it('finding nothing, says in one line what it tried and what to install', () => {
    const dir = scratch();
    const system = [path.join(dir, 'usr', 'bin', 'chromium'), path.join(dir, 'snap', 'bin', 'chromium')];
    const found = search(dir, { path: [path.join(dir, 'bin')], system });
    expect(found.ok).toBe(false);
    if (found.ok) return;
    expect(found.message).not.toContain('\n');
    expect(found.message).toMatch(
      /^no Chromium or Chrome found \(tried CHROMIUM_PATH, chromium\/chromium-browser\/google-chrome\/google-chrome-stable on PATH and in .*, Playwright's cache\): .*or set CHROMIUM_PATH, or run with SPAMLAB_INSTALL_BROWSER=1 to let the tests install it$/,
    );
    expect(found.message).toContain(path.join(dir, 'snap', 'bin'));
    expect(found.tried).toEqual([
      'CHROMIUM_PATH (unset)',
      'chromium, chromium-browser, google-chrome, google-chrome-stable on PATH',
      ...system,
      `Playwright's cache (${path.join(dir, 'home', '.cache', 'ms-playwright')})`,
      `spamlab's cache (${path.join(dir, 'home', '.cache', 'spamlab')})`,
    ]);
  });
});

describe('where each platform keeps its browsers', () => {
  it('Linux, macOS and Windows system locations', () => {
    expect(systemLocations('linux')).toEqual([
      '/usr/bin/chromium',
      '/usr/bin/chromium-browser',
      '/usr/bin/google-chrome',
      '/usr/bin/google-chrome-stable',
      '/snap/bin/chromium',
      '/opt/google/chrome/chrome',
    ]);
    expect(systemLocations('darwin', {}, '/Users/me')).toContain('/Applications/Google Chrome.app/Contents/MacOS/Google Chrome');
    expect(systemLocations('darwin', {}, '/Users/me')).toContain('/Users/me/Applications/Chromium.app/Contents/MacOS/Chromium');
    expect(
      systemLocations('win32', { PROGRAMFILES: 'C:\\Program Files', LOCALAPPDATA: 'C:\\Users\\me\\AppData\\Local' }, 'C:\\Users\\me'),
    ).toEqual([
      'C:\\Program Files\\Chromium\\Application\\chrome.exe',
      'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe',
      'C:\\Users\\me\\AppData\\Local\\Chromium\\Application\\chrome.exe',
      'C:\\Users\\me\\AppData\\Local\\Google\\Chrome\\Application\\chrome.exe',
    ]);
  });

  it("Playwright's cache and the executable inside it", () => {
    expect(playwrightCache('linux', {}, '/home/me')).toBe('/home/me/.cache/ms-playwright');
    expect(playwrightCache('darwin', {}, '/Users/me')).toBe('/Users/me/Library/Caches/ms-playwright');
    expect(playwrightCache('win32', { LOCALAPPDATA: 'C:\\Users\\me\\AppData\\Local' }, 'C:\\Users\\me')).toBe(
      'C:\\Users\\me\\AppData\\Local\\ms-playwright',
    );
    const dir = scratch();
    fs.mkdirSync(path.join(dir, 'chromium-1255'));
    expect(playwrightBrowsers(dir, 'darwin')[0]).toBe(
      path.join(
        dir,
        'chromium-1255',
        'chrome-mac-arm64',
        'Google Chrome for Testing.app',
        'Contents',
        'MacOS',
        'Google Chrome for Testing',
      ),
    );
    expect(playwrightBrowsers(dir, 'win32')[0]).toBe(path.win32.join(dir, 'chromium-1255', 'chrome-win64', 'chrome.exe'));
  });
});

/** Runs vitest in a child on one tiny test file, with this repository's global setup and the given environment. */
function childVitest(env: NodeJS.ProcessEnv): { status: number | null; stderr: string; stdout: string; seconds: number; seen: string } {
  const dir = scratch();
  const seenFile = path.join(dir, 'seen.txt');
  fs.writeFileSync(
    path.join(dir, 'tiny.test.ts'),
    `import fs from 'node:fs';\ntest('a browser test', () => { fs.writeFileSync(${JSON.stringify(seenFile)}, process.env.CHROMIUM_PATH ?? 'unset'); });\n`,
  );
  fs.writeFileSync(
    path.join(dir, 'vitest.config.mjs'),
    `export default { test: { include: ['tiny.test.ts'], globals: true, pool: 'forks', globalSetup: [${JSON.stringify(
      path.join(ROOT, 'test', 'support', 'global-setup.ts'),
    )}] } };\n`,
  );
  const started = performance.now();
  const result = spawnSync(
    process.execPath,
    [path.join(ROOT, 'node_modules', 'vitest', 'vitest.mjs'), 'run', '--root', dir, '--config', 'vitest.config.mjs'],
    {
      cwd: dir,
      env: { ...env, HOME: path.join(dir, 'home'), XDG_CACHE_HOME: path.join(dir, 'cache'), NO_COLOR: '1', CI: '1' },
      encoding: 'utf8',
      timeout: 60_000,
    },
  );
  const seen = fs.existsSync(seenFile) ? fs.readFileSync(seenFile, 'utf8') : '';
  return { status: result.status, stdout: result.stdout, stderr: result.stderr, seconds: (performance.now() - started) / 1000, seen };
}

describe.skipIf(process.platform === 'win32')('the global setup, in a real vitest run', () => {
  const nodeDir = path.dirname(process.execPath);

  it('stops at once, with one line, when CHROMIUM_PATH points nowhere', () => {
    const nowhere = path.join(tempDir('browser-nowhere'), 'chrome');
    dirs.push(path.dirname(nowhere));
    const run = childVitest({ PATH: nodeDir, CHROMIUM_PATH: nowhere });
    expect(run.status).not.toBe(0);
    expect(run.stderr.trim()).toBe(
      `CHROMIUM_PATH is ${nowhere}, which does not exist: point it at a Chromium or Chrome executable, or unset it to let the tests look for one`,
    );
    expect(run.seen).toBe(''); // no test file ran
    expect(run.seconds).toBeLessThan(20);
  });

  it('hands the browser it found to the test workers as CHROMIUM_PATH', () => {
    const dir = scratch();
    const chromium = stub(dir, ['bin', 'chromium']);
    const run = childVitest({ PATH: [path.dirname(chromium), nodeDir].join(path.delimiter) });
    expect(run.status, run.stdout + run.stderr).toBe(0);
    expect(run.seen).toBe(chromium);
  });
});
