// `npm start`: launch Electron when its binary is (or can be) installed;
// otherwise say so in one line and serve the same UI from the web host on
// 127.0.0.1.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const require = createRequire(import.meta.url);

function installedElectron(dir) {
  const pathFile = path.join(dir, 'path.txt');
  if (!fs.existsSync(pathFile)) return null;
  const binary = path.join(dir, 'dist', fs.readFileSync(pathFile, 'utf8'));
  return fs.existsSync(binary) ? binary : null;
}

/** The Electron binary, downloading it once if this machine can; null when it cannot be had. */
function electronBinary() {
  if (process.env.ELECTRON_OVERRIDE_DIST_PATH) return require('electron');
  const dir = path.dirname(require.resolve('electron/package.json'));
  const found = installedElectron(dir);
  if (found) return found;
  spawnSync(process.execPath, [path.join(dir, 'install.js')], { stdio: 'ignore', timeout: 300_000 });
  return installedElectron(dir);
}

const binary = electronBinary();
if (!binary) {
  console.log('spamlab: no Electron binary is installed (its download failed); serving the same UI from the web host instead.');
}
const child = binary
  ? spawn(binary, [root, ...process.argv.slice(2)], { stdio: 'inherit' })
  : spawn(process.execPath, [path.join(root, 'dist', 'web-host.js'), ...process.argv.slice(2)], { stdio: 'inherit' });
child.on('exit', (code, signal) => process.exit(signal ? 1 : (code ?? 0)));
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
