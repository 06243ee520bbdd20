// A run's decision policy turns a spam probability into what a mail filter acts on.

export type Decision = 'spam' | 'ham' | 'unsure';

/** Spam at or above the threshold; with an unsure band, what falls in [unsureBelow, threshold) is unsure, not ham. */
export function decide(probability: number, threshold: number, unsureBelow: number | null): Decision {
  if (probability >= threshold) return 'spam';
  return unsureBelow !== null && probability >= unsureBelow ? 'unsure' : 'ham';
}
