// `npm run soak [-- MODE...]`: long runs of killing and fuzzing that print
// their counts and fail on any crash, hang, lost label or broken database.
// Never part of `npm test`. Without a MODE, every mode in turn.
import { available, runBundled } from '../scripts/run-bundled.mjs';

const modes = available('soak', 'soak');
const names = process.argv.slice(2);
if (names.some((n) => !modes.includes(n))) {
  console.error(`usage: npm run soak [-- MODE...]   (MODE: ${modes.join(', ')}; none: all of them)`);
  process.exit(2);
}
await runBundled('soak', 'soak', names.length ? names : modes);
