// Runs TypeScript programs named FOLDER/NAME.KIND.ts (benchmarks, soaks): each
// is bundled into dist/FOLDER (inside the package, so the workers are found)
// and run with node, one after the other; the first to fail ends the run.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));

/** The NAMEs in FOLDER: every FOLDER/NAME.KIND.ts. */
export function available(folder, kind) {
  return fs
    .readdirSync(path.join(root, folder))
    .filter((f) => f.endsWith(`.${kind}.ts`))
    .map((f) => f.slice(0, -`.${kind}.ts`.length))
    .sort();
}

/** Bundles one TypeScript entry point (relative to the package) into a CommonJS file for Node 20. */
export function bundle(entry, outfile) {
  return build({
    absWorkingDir: root,
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    packages: 'external',
    logLevel: 'warning',
  });
}

export async function runBundled(folder, kind, names, nodeArgs = []) {
  for (const name of names) {
    const outfile = path.join(root, 'dist', folder, `${name}.js`);
    await bundle(`${folder}/${name}.${kind}.ts`, outfile);
    const result = spawnSync(process.execPath, [...nodeArgs, outfile], { stdio: 'inherit' });
    if (result.status !== 0) process.exit(result.status ?? 1);
  }
}
