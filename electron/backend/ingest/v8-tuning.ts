import v8 from 'node:v8';

/**
 * V8 tiering for mail parsing. postal-mime's hot functions meet a new object
 * shape every few hundred messages, so V8 keeps re-optimizing them: measured
 * here, TurboFan compiles were a third of the CPU of a batch of mail, done on
 * the same two cores. Waiting longer before optimizing and inlining less
 * keeps the optimized code but compiles far less of it: about 30% less CPU
 * to parse and tokenize the SpamAssassin corpus (docs/performance.md).
 */
const FLAGS = ['--interrupt-budget=528000', '--max-inlined-bytecode-size-cumulative=300'];

let tuned = false;

/** Process-wide; call before the parse workers start, so their isolates tier up this way from the first message. */
export function tuneV8ForMailParsing(): void {
  if (tuned) return;
  tuned = true;
  for (const flag of FLAGS) v8.setFlagsFromString(flag);
}
