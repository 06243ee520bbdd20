// Runs a benchmark written in TypeScript: bundles bench/NAME.ts into dist/bench
// (inside the package, so the training worker is found) and runs it with node.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const names = process.argv.slice(2);
const available = fs
  .readdirSync(path.join(root, 'bench'))
  .filter((f) => f.endsWith('.bench.ts'))
  .map((f) => f.replace('.bench.ts', ''));
if (names.length === 0 || names.some((n) => !available.includes(n))) {
  console.error(`usage: npm run bench -- NAME...   (NAME: ${available.join(', ')})`);
  process.exit(2);
}
for (const name of names) {
  const outfile = path.join(root, 'dist', 'bench', `${name}.js`);
  await build({
    absWorkingDir: root,
    entryPoints: [`bench/${name}.bench.ts`],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    packages: 'external',
    logLevel: 'warning',
  });
  const result = spawnSync(process.execPath, ['--expose-gc', outfile], { stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}
