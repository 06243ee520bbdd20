// Runs a benchmark written in TypeScript: bundles bench/NAME.bench.ts into dist/bench and runs it with node.
import { available, runBundled } from '../scripts/run-bundled.mjs';

const names = process.argv.slice(2);
const benches = available('bench', 'bench');
if (names.length === 0 || names.some((n) => !benches.includes(n))) {
  console.error(`usage: npm run bench -- NAME...   (NAME: ${benches.join(', ')})`);
  process.exit(2);
}
await runBundled('bench', 'bench', names, ['--expose-gc']);
