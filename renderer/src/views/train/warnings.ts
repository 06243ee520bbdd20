// Warnings about the data a run learns from and is judged on: too few of a
// class, one class much rarer than the other, a holdout too small for its
// figures to mean much. Shown in the Train form before a run (from the labeled
// counts and the holdout share) and on a run's metrics (from its own counts).

/** Where the warnings start. */
export const LIMITS = {
  /** The rarer class under this share of the commoner one. */
  minority: 1 / 4,
  /** A holdout under this many messages… */
  holdoutMessages: 50,
  /** …or under this many of a class. */
  holdoutPerClass: 10,
  /** Under this many of a class to learn from. */
  perClass: 20,
} as const;

export interface ClassCounts {
  spam: number;
  ham: number;
}

export type WarningKind = 'too-few' | 'imbalance' | 'small-holdout';
export interface DataWarning {
  kind: WarningKind;
  text: string;
}

const CLASSES = ['spam', 'ham'] as const;
const count = (n: number) => n.toLocaleString('en-US');
const percent = (share: number) => `${(share * 100).toFixed(share >= 0.1 ? 0 : 1)}%`;

/**
 * What a run with these settings will learn from and hold out, per class: the
 * rounding of the backend's splits (electron/backend/training/split.ts:
 * withoutOldest keeps at least two of a class; newestSplit and stratifiedSplit
 * hold out each class on its own, at least one and never all of it).
 */
export function runCounts(
  labeled: ClassCounts,
  settings: { validationShare: number; leaveOutOldest: number },
): { labeled: ClassCounts; holdout: ClassCounts } {
  const kept = (n: number) => (settings.leaveOutOldest > 0 ? n - Math.max(0, Math.min(n - 2, Math.round(n * settings.leaveOutOldest))) : n);
  const held = (n: number) => Math.max(0, Math.min(n - 1, Math.max(n > 1 ? 1 : 0, Math.round(n * settings.validationShare))));
  const spam = kept(labeled.spam);
  const ham = kept(labeled.ham);
  return { labeled: { spam, ham }, holdout: { spam: held(spam), ham: held(ham) } };
}

/**
 * The warnings for a run on `labeled` messages (what it learns from and is
 * judged on) with `holdout` of them held out. `when`: before training (the
 * figures it will give) or after (the figures shown).
 */
export function dataWarnings(labeled: ClassCounts, holdout: ClassCounts, when: 'before' | 'after'): DataWarning[] {
  const warnings: DataWarning[] = [];
  if (labeled.spam + labeled.ham === 0) return warnings;

  const few = CLASSES.filter((c) => labeled[c] < LIMITS.perClass);
  if (few.length) {
    const what = few.map((c) => (labeled[c] === 0 ? `no ${c}` : `only ${count(labeled[c])} ${c}`)).join(' and ');
    warnings.push({
      kind: 'too-few',
      text:
        `${what[0]!.toUpperCase()}${what.slice(1)} ${when === 'before' ? 'to learn from' : 'in this run'}: ` +
        `with under ${LIMITS.perClass} of a class a model learns those few messages, not what ${few.join(' or ')} looks like. ` +
        `Label more ${few.join(' and ')}.`,
    });
  }

  const [rare, common] = labeled.spam <= labeled.ham ? (['spam', 'ham'] as const) : (['ham', 'spam'] as const);
  if (labeled[rare] > 0 && labeled[rare] < labeled[common] * LIMITS.minority) {
    const allCommon = labeled[common] / (labeled.spam + labeled.ham);
    warnings.push({
      kind: 'imbalance',
      text:
        `${count(labeled.spam)} spam to ${count(labeled.ham)} ham: the ${rare} are under a quarter of the ${common}. ` +
        `Calling every message ${common} would already be ${percent(allCommon)} accurate, so judge the run by ` +
        `ham lost and spam missed, not accuracy. Balanced class weighting weighs the rarer ${rare} up.`,
    });
  }

  const held = holdout.spam + holdout.ham;
  if (held < LIMITS.holdoutMessages || CLASSES.some((c) => holdout[c] < LIMITS.holdoutPerClass)) {
    const each = CLASSES.filter((c) => holdout[c] > 0)
      .map((c) => `one ${c} is ${(100 / holdout[c]).toFixed(1).replace(/\.0$/, '')}% of ${c === 'spam' ? 'spam missed' : 'ham lost'}`)
      .join(', ');
    const none = CLASSES.filter((c) => holdout[c] === 0).map(
      (c) => `with no ${c} held out, ${c === 'spam' ? 'spam missed' : 'ham lost'} cannot be measured`,
    );
    const lead =
      when === 'before'
        ? `The holdout would be ${count(held)} messages (${count(holdout.spam)} spam, ${count(holdout.ham)} ham)`
        : `These figures come from ${count(held)} held-out messages (${count(holdout.spam)} spam, ${count(holdout.ham)} ham)`;
    warnings.push({
      kind: 'small-holdout',
      text:
        `${lead}: under ${LIMITS.holdoutMessages} messages or ${LIMITS.holdoutPerClass} of a class, one message more or less moves them a lot` +
        `${[each, ...none].filter(Boolean).length ? ` (${[each, ...none].filter(Boolean).join('; ')})` : ''}. ` +
        (when === 'before' ? 'A larger holdout share or more labels help.' : 'Even a perfect AUC on so few says little.'),
    });
  }
  return warnings;
}
