// How a run's validation figures are described, the same on every screen and in the command line.
import type { HoldoutInfo } from './types';

const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** "on the newest 1,209 messages (from 2002-09-12 to 2002-12-05)", or "on a random 20%…" for older runs. */
export function describeHoldout(holdout: HoldoutInfo | null, count: number): string {
  const messages = `${count.toLocaleString('en-US')} message${count === 1 ? '' : 's'}`;
  if (!holdout) return `on ${messages} held out`;
  const span = holdout.from !== null && holdout.to !== null ? ` (from ${day(holdout.from)} to ${day(holdout.to)})` : '';
  return holdout.kind === 'newest' ? `on the newest ${messages}${span}` : `on a random ${messages} held out${span}`;
}

/** "2 of 31 bulk ham flagged (6.5%)". */
export function describeFlagged(what: string, tally: { count: number; flagged: number }): string {
  const pct = tally.count ? ` (${((100 * tally.flagged) / tally.count).toFixed(1)}%)` : '';
  return `${tally.flagged} of ${tally.count} ${what} flagged${pct}`;
}
