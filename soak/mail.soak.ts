// `npm run soak -- mail`: 100,000 hostile messages made from real SpamAssassin
// mail (test/support/mail-fuzz.ts: byte flips, cuts, NUL and control bytes,
// huge headers, deep MIME nesting, charset names) and some arbitrary bytes,
// through the real parse workers (electron/backend/ingest/parse-pool.ts): the
// MIME parser and the tokenizer, as an import runs them, and the scoring path
// for every other input. Each must be parsed or refused with a MailParseError
// within the pool's time limit; a crash (anything else thrown, or a worker
// dying) or a hang fails the soak, and the input is saved to test-artifacts/soak/.
import fc from 'fast-check';
import fs from 'node:fs';
import path from 'node:path';
import { DEFAULT_BUCKETS } from '../electron/backend/features/vectorize';
import { createParsePool, ParserCrash, ParseTimeout } from '../electron/backend/ingest/parse-pool';
import { MailParseError } from '../electron/backend/ingest/parse';
import { ROOT } from '../test/support/cli';
import { loadCorpus } from '../test/support/corpus';
import { mutatedMail } from '../test/support/mail-fuzz';
import { runSoak } from './outcome';

const TOTAL = Number(process.env.SOAK_INPUTS ?? 100_000);
const TIME_LIMIT_MS = 10_000;
const CHUNK = 500;
const seed = Number(process.env.SOAK_SEED ?? Date.now() % 2 ** 31);
const failuresDir = path.join(ROOT, 'test-artifacts', 'soak');

const corpus = loadCorpus();
const input = fc.oneof(
  { weight: 18, arbitrary: mutatedMail(corpus) },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 8192 }).map((b) => Buffer.from(b)) },
  { weight: 1, arbitrary: fc.string({ maxLength: 4000, unit: 'binary' }).map((text) => Buffer.from(`Subject: x\n${text}`, 'utf8')) },
);

const tally = { run: 0, parsed: 0, refused: 0, crashed: 0, hung: 0 };
const refusals = new Map<string, number>();
const durations: number[] = [];
const problems: string[] = [];

/** The refusal's message without what varies per input, so refusals group by reason. */
const reasonOf = (message: string) =>
  message
    .replace(/\(starts with .*\)$/s, '(starts with …)')
    .replace(/\d+/g, 'N')
    .slice(0, 90);

function keep(bytes: Buffer, what: string, message: string): void {
  fs.mkdirSync(failuresDir, { recursive: true });
  const file = path.join(failuresDir, `mail-${what}-${problems.length}.eml`);
  fs.writeFileSync(file, bytes);
  problems.push(`${what}: ${message} (input saved to ${path.relative(ROOT, file)})`);
}

async function main(): Promise<string[]> {
  const pool = createParsePool(undefined, { timeoutMs: TIME_LIMIT_MS });
  const started = performance.now();
  console.log(
    `mail soak: seed ${seed}, ${TOTAL} inputs, ${corpus.length} corpus messages as templates, ${TIME_LIMIT_MS / 1000} s limit each`,
  );
  const one = async (bytes: Buffer, index: number) => {
    const t0 = performance.now();
    try {
      if (index % 2 === 0) await pool.parse(bytes);
      else await pool.vector(bytes, DEFAULT_BUCKETS);
      tally.parsed++;
    } catch (err) {
      const message = (err as Error).message;
      if (err instanceof ParseTimeout) {
        tally.hung++;
        keep(bytes, 'hang', message);
      } else if (err instanceof ParserCrash || !(err instanceof MailParseError)) {
        tally.crashed++;
        keep(bytes, 'crash', message);
      } else {
        tally.refused++;
        refusals.set(reasonOf(message), (refusals.get(reasonOf(message)) ?? 0) + 1);
      }
    }
    tally.run++;
    durations.push(performance.now() - t0);
  };
  for (let chunk = 0; tally.run < TOTAL; chunk++) {
    const inputs = fc.sample(input, { numRuns: Math.min(CHUNK, TOTAL - tally.run), seed: seed + chunk });
    // Two messages in flight per worker: both cores busy, and no message waits long behind another.
    const inFlight = new Set<Promise<void>>();
    for (const [i, bytes] of inputs.entries()) {
      const p: Promise<void> = one(bytes, i).finally(() => inFlight.delete(p));
      inFlight.add(p);
      if (inFlight.size >= 4) await Promise.race(inFlight);
    }
    await Promise.all(inFlight);
    if (tally.run % 10_000 === 0) console.log(`  ${tally.run} inputs, ${Math.round((performance.now() - started) / 1000)} s`);
  }
  await pool.close();

  const seconds = (performance.now() - started) / 1000;
  durations.sort((a, b) => a - b);
  const at = (q: number) => durations[Math.min(durations.length - 1, Math.floor(q * durations.length))]!.toFixed(1);
  const reasons = [...refusals].sort((a, b) => b[1] - a[1]).slice(0, 8);
  console.log(
    [
      `mail soak: ${tally.run} inputs run in ${seconds.toFixed(0)} s (seed ${seed})`,
      `  parsed ${tally.parsed}, refused ${tally.refused}, crashed ${tally.crashed}, hung ${tally.hung}`,
      `  time per input: median ${at(0.5)} ms, p99 ${at(0.99)} ms, max ${at(1)} ms (limit ${TIME_LIMIT_MS} ms)`,
      `  refusals by reason:`,
      ...reasons.map(([reason, n]) => `    ${n}  ${reason}`),
    ].join('\n'),
  );
  return problems;
}

runSoak('mail', main);
