import type { TrainSettings } from '../../../../shared/types';

export interface SettingField {
  key: keyof TrainSettings;
  label: string;
  help: string;
  options?: string[];
  min?: number;
  max?: number;
  step?: number;
}

export const SETTING_FIELDS: SettingField[] = [
  {
    key: 'model',
    label: 'Model',
    options: ['logistic', 'mlp'],
    help: 'Logistic regression: one weight per token, exact explanations. Small neural net: token embeddings → hidden layer.',
  },
  {
    key: 'optimizer',
    label: 'Optimizer',
    options: ['adam', 'rmsprop', 'sgd'],
    help: 'Adam adapts each weight’s step size; SGD is plain gradient descent.',
  },
  {
    key: 'learningRate',
    label: 'Learning rate',
    min: 0.0001,
    max: 5,
    step: 0.01,
    help: 'Step size. Too high and the loss jumps around; too low and it crawls.',
  },
  { key: 'epochs', label: 'Epochs', min: 1, max: 500, step: 1, help: 'Passes over the training messages.' },
  { key: 'batchSize', label: 'Batch size', min: 1, max: 4096, step: 1, help: 'Messages per gradient step.' },
  {
    key: 'validationShare',
    label: 'Holdout share',
    min: 0.05,
    max: 0.5,
    step: 0.05,
    help: 'Share of each class held out to measure the model on mail it never trained on.',
  },
  {
    key: 'holdout',
    label: 'Holdout',
    options: ['newest', 'random'],
    help: 'Newest: the most recent mail by date, so the figures predict next week’s mail. Random: a random share, more optimistic.',
  },
  {
    key: 'refit',
    label: 'Refit on all',
    options: ['true', 'false'],
    help: 'After the holdout picks the epochs, train the delivered model on every labeled message; the holdout figures stay its estimate.',
  },
  {
    key: 'featureScaling',
    label: 'Feature scaling',
    options: ['log-count-ratio', 'none'],
    help: 'Log-count ratio (NBSVM): each token starts from how strongly it leans to spam or ham in your labels.',
  },
  {
    key: 'classWeighting',
    label: 'Class weighting',
    options: ['none', 'balanced', 'positive', 'fbeta'],
    help: 'Balanced weighs the rarer class up; positive weighs spam by the weight below; fbeta weighs a missed spam β² times a lost ham.',
  },
  {
    key: 'beta',
    label: 'Fβ β',
    min: 0.1,
    max: 4,
    step: 0.1,
    help: 'Used with “fbeta”: β < 1 favours precision (fewer legitimate mails lost), the usual choice for mail.',
  },
  {
    key: 'positiveWeight',
    label: 'Spam weight',
    min: 0.05,
    max: 20,
    step: 0.05,
    help: 'Used with “positive”: <1 makes false positives (lost ham) costlier.',
  },
  {
    key: 'earlyStoppingPatience',
    label: 'Early stopping',
    min: 0,
    max: 50,
    step: 1,
    help: 'Stop after this many epochs without a better validation loss (0 = off); the best epoch is kept.',
  },
  {
    key: 'folds',
    label: 'Out-of-fold k',
    min: 0,
    max: 10,
    step: 1,
    help: 'With k ≥ 2, every message also gets a prediction from a model that never saw it (finds label errors).',
  },
  { key: 'seed', label: 'Seed', min: 0, max: 2 ** 31 - 1, step: 1, help: 'Same seed, same split and same result.' },
];
