// vitest's globalSetup: finds the browser once, before any test file runs, and
// hands it to the test workers as CHROMIUM_PATH (they inherit this process's
// environment). Without one, the run stops here with one line saying what to
// install, instead of failing every browser test.
import fs from 'node:fs';
import { findOrInstallChromium } from './browser';

export default function setup(): void {
  const found = findOrInstallChromium((line) => fs.writeSync(2, `${line}\n`));
  if (!found.ok) {
    fs.writeSync(2, `${found.message}\n`);
    process.exit(1);
  }
  process.env['CHROMIUM_PATH'] = found.path;
}
