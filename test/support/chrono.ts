// The chronological split: per class, the newest 20% of the spam and the
// newest 20% of the ham (by each message's own date) are the test set, the
// rest is training. Messages without a usable date always train.
import type { CorpusMessage } from './corpus';
import { DateSource, messageDate } from './dates';

export interface Dated extends CorpusMessage {
  time: number | null;
  dateSource: DateSource;
}

export function dated(corpus: CorpusMessage[]): Dated[] {
  return corpus.map((m) => {
    const { time, source } = messageDate(m.bytes);
    return { ...m, time, dateSource: source };
  });
}

const byTime = (a: Dated, b: Dated) => a.time! - b.time! || a.name.localeCompare(b.name);

/** Newest `testShare` of each class by date, as the test set. */
export function chronologicalSplit(messages: Dated[], testShare = 0.2): { train: Dated[]; test: Dated[] } {
  const train: Dated[] = [];
  const test: Dated[] = [];
  for (const label of ['spam', 'ham'] as const) {
    const ofClass = messages.filter((m) => m.label === label);
    const withDate = ofClass.filter((m) => m.time !== null).sort(byTime);
    const testCount = Math.round(testShare * ofClass.length);
    train.push(...ofClass.filter((m) => m.time === null), ...withDate.slice(0, withDate.length - testCount));
    test.push(...withDate.slice(withDate.length - testCount));
  }
  return { train, test };
}

/** What one global cut (the newest 20% of all mail, classes together) would give: the test set's size by label. */
export function globalCutMix(messages: Dated[], testShare = 0.2): { spam: number; ham: number; cut: number } {
  const withDate = messages.filter((m) => m.time !== null).sort(byTime);
  const test = withDate.slice(withDate.length - Math.round(testShare * messages.length));
  return {
    spam: test.filter((m) => m.label === 'spam').length,
    ham: test.filter((m) => m.label === 'ham').length,
    cut: test[0]?.time ?? NaN,
  };
}
