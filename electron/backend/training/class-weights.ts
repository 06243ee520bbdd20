// How much a spam and a ham example weigh in the BCE: the training worker and the live copy weigh them alike.
import type { TrainSettings } from '../../../shared/types';

/** The weight of a spam and of a ham example in the BCE, for a training set of these counts. */
export function classWeights(settings: TrainSettings, spam: number, ham: number): { spam: number; ham: number } {
  if (settings.classWeighting === 'positive') return { spam: settings.positiveWeight, ham: 1 };
  // Fβ counts a missed spam β² times as much as a lost ham (van Rijsbergen; Ramdhani 2022 weighs BCE by it).
  if (settings.classWeighting === 'fbeta') return { spam: settings.beta ** 2, ham: 1 };
  if (settings.classWeighting === 'none') return { spam: 1, ham: 1 };
  const n = spam + ham;
  return { spam: n / (2 * Math.max(1, spam)), ham: n / (2 * Math.max(1, ham)) };
}
