// `spamlab policy`: show or set a run's decision policy.
import type { RunPolicy } from '../../shared/contract';
import { id, number, parse, print, UsageError, withBackend } from './common';

/** A share as typed: "0.1%" or 0.001. */
function share(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const n = value.endsWith('%') ? Number(value.slice(0, -1)) / 100 : Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < 0 || n > 1) {
    throw new UsageError(`--${name}: expected a share such as 0.1% or 0.001, got "${value}"`);
  }
  return n;
}

/** --unsure LOW (the band up to the threshold), LOW..HIGH (HIGH becomes the threshold) or none. */
function unsureBand(value: string | undefined): { unsureBelow?: number | null; threshold?: number } {
  if (value === undefined) return {};
  if (value === 'none') return { unsureBelow: null };
  const [low, high, ...rest] = value.split('..');
  if (rest.length) throw new UsageError(`--unsure: expected LOW, LOW..HIGH or none, got "${value}"`);
  return { unsureBelow: number(low, 'unsure'), threshold: number(high, 'unsure') };
}

const percent = (x: number) => `${(100 * x).toFixed(2)}%`;

function describe({ run, holdout }: RunPolicy): string {
  const band = run.unsureBelow === null ? 'no unsure band' : `unsure from ${run.unsureBelow.toFixed(4)}`;
  const lines = [`run ${run.id}: spam at probability ≥ ${run.threshold.toFixed(4)}, ${band}`];
  lines.push(
    holdout.count
      ? `on ${holdout.count} held-out messages: ham lost ${percent(holdout.hamLost)}, spam missed ${percent(holdout.spamMissed)}, unsure ${percent(holdout.unsure)}`
      : 'no held-out messages to measure it on (an imported model)',
  );
  return lines.join('\n');
}

export async function policyCommand(args: string[]): Promise<number> {
  const { values } = parse(args, {
    run: { type: 'string' },
    'max-ham-lost': { type: 'string' },
    'max-spam-missed': { type: 'string' },
    unsure: { type: 'string' },
  });
  const band = unsureBand(values.unsure);
  const request = {
    runId: id(values.run, 'run'),
    maxHamLost: share(values['max-ham-lost'], 'max-ham-lost'),
    maxSpamMissed: share(values['max-spam-missed'], 'max-spam-missed'),
    ...band,
  };
  return withBackend(values.db, async (api) => {
    const policy = await api.call('runs.policy', request);
    print(values.json ? policy : describe(policy));
    return 0;
  });
}
