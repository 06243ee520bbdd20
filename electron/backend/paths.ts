import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** The folder Electron calls userData for an app named spamlab, so the CLI and the app open the same file. */
export function userDataDir(): string {
  const home = os.homedir();
  if (process.platform === 'win32') return path.join(process.env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), 'spamlab');
  if (process.platform === 'darwin') return path.join(home, 'Library', 'Application Support', 'spamlab');
  return path.join(process.env.XDG_CONFIG_HOME ?? path.join(home, '.config'), 'spamlab');
}

/** SPAMLAB_DB wins for every host: CLI, desktop app and web host. */
export function defaultDbPath(dataDir = userDataDir()): string {
  return process.env.SPAMLAB_DB || path.join(dataDir, 'spamlab.db');
}

/** The folder holding package.json, found from wherever this code was bundled to. */
export function packageRoot(from = __dirname): string {
  let dir = from;
  while (!fs.existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`spamlab: cannot find package.json above ${from}`);
    dir = parent;
  }
  return dir;
}

export const sampleDir = (root = packageRoot()) => path.join(root, 'resources', 'sample');
