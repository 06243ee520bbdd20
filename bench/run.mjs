// Runs a benchmark written in TypeScript: bundles bench/NAME.bench.ts into dist/bench and runs it with node.
// First it checks that the programs each named bench compares with are here (bench/common.ts,
// BENCH_PEERS); when one is missing it says how to get it and stops before any work.
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { available, bundle, runBundled } from '../scripts/run-bundled.mjs';

const names = process.argv.slice(2);
const benches = available('bench', 'bench');
if (names.length === 0 || names.some((n) => !benches.includes(n))) {
  console.error(`usage: npm run bench -- NAME...   (NAME: ${benches.join(', ')})`);
  process.exit(2);
}

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const peers = path.join(root, 'dist', 'bench', 'peers.cjs');
await bundle('bench/common.ts', peers);
const missing = createRequire(import.meta.url)(peers).missingPeers(names);
if (missing.length > 0) {
  for (const line of missing) console.error(line);
  // BENCH_WITHOUT_PEERS=1 (README, Tests) runs the benches anyway, each without what is missing where it can.
  if (process.env.BENCH_WITHOUT_PEERS !== '1') process.exit(1);
}
await runBundled('bench', 'bench', names, ['--expose-gc']);
