// A threshold chosen from what the user can accept losing, on the run's held-out messages.

export type PolicyTarget = { maxHamLost: number } | { maxSpamMissed: number };

/** The nearest float above x: a threshold just over a ham probability leaves that ham out. */
const justAbove = (x: number) => Math.min(1, x + Math.max(Number.EPSILON, x * Number.EPSILON));

/**
 * The threshold meeting the target on these predictions: for "ham lost at most X", the lowest that flags at most
 * ⌊X · ham⌋ ham (so it catches the most spam); for "spam missed at most Y", the highest that misses at most ⌊Y · spam⌋ spam.
 */
export function thresholdFor(probabilities: number[], targets: number[], target: PolicyTarget): number {
  if ('maxHamLost' in target) {
    const ham = probabilities.filter((_, i) => targets[i] === 0).sort((a, b) => b - a);
    const allowed = Math.floor(target.maxHamLost * ham.length + 1e-9);
    return allowed >= ham.length ? 0 : justAbove(ham[allowed]!);
  }
  const spam = probabilities.filter((_, i) => targets[i] === 1).sort((a, b) => a - b);
  const allowed = Math.floor(target.maxSpamMissed * spam.length + 1e-9);
  return allowed >= spam.length ? 1 : spam[allowed]!;
}

/** What a policy does on these predictions: shares of ham called spam, of spam not called spam, and of all called unsure. */
export function policyOutcome(probabilities: number[], targets: number[], threshold: number, unsureBelow: number | null) {
  let ham = 0;
  let spam = 0;
  let hamLost = 0;
  let spamMissed = 0;
  let unsure = 0;
  probabilities.forEach((p, i) => {
    if (targets[i] === 1) {
      spam++;
      if (p < threshold) spamMissed++;
    } else {
      ham++;
      if (p >= threshold) hamLost++;
    }
    if (unsureBelow !== null && p >= unsureBelow && p < threshold) unsure++;
  });
  const share = (n: number, of: number) => (of === 0 ? 0 : n / of);
  return {
    hamLost: share(hamLost, ham),
    spamMissed: share(spamMissed, spam),
    unsure: share(unsure, probabilities.length),
    count: probabilities.length,
  };
}
