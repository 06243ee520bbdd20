// Domain types shared by the backend, every host and the renderer.
// Pure TypeScript: no Node, Electron or DOM imports.

export type Label = 'spam' | 'ham';

/** 1 = spam, 0 = ham: the target of the binary cross-entropy. */
export const labelToTarget = (label: Label): 0 | 1 => (label === 'spam' ? 1 : 0);

export interface AttachmentInfo {
  filename: string | null;
  mimeType: string;
  size: number;
}

/** One mail message after MIME parsing, ready to be stored. */
export interface ParsedMail {
  /** sha256 (hex) of the message bytes after the mbox envelope line is removed. */
  contentHash: string;
  subject: string;
  from: string;
  to: string;
  /** Milliseconds since epoch from the Date header, null when absent or unparsable. */
  date: number | null;
  /** Header fields in order, names lower-cased; values decoded (RFC 2047). */
  headers: Array<[name: string, value: string]>;
  /** Plain text body (text/plain parts joined; derived from HTML when only HTML exists). */
  text: string;
  /** The HTML body as sent (never rendered unsanitized), null when none. */
  html: string | null;
  attachments: AttachmentInfo[];
  /** Problems met while parsing that did not stop it (unknown charset, cut size...). */
  warnings: string[];
  /** Size of the raw message in bytes. */
  size: number;
}

/** The parsed parts of a message that the tokenizer reads. */
export type MailContent = Pick<ParsedMail, 'subject' | 'from' | 'to' | 'headers' | 'text' | 'html' | 'attachments'>;

export type RunStatus = 'running' | 'completed' | 'failed' | 'cancelled';
export type ModelKind = 'logistic' | 'mlp';
export type OptimizerKind = 'adam' | 'rmsprop' | 'sgd';
export type ClassWeighting = 'none' | 'balanced' | 'positive' | 'fbeta';
/** Which labeled messages judge a run: the newest by message date (next week's mail), or a random share. */
export type HoldoutKind = 'newest' | 'random';
/** How token features are scaled before the logistic regression: NBSVM's log-count ratios, or not at all. */
export type FeatureScaling = 'log-count-ratio' | 'none';
export type TfBackendName = 'tensorflow' | 'wasm' | 'cpu';

export interface TrainSettings {
  model: ModelKind;
  optimizer: OptimizerKind;
  learningRate: number;
  epochs: number;
  batchSize: number;
  /** Share of labeled messages held out for validation, 0 < v < 0.9. */
  validationShare: number;
  classWeighting: ClassWeighting;
  /** Weight of the spam class when classWeighting is 'positive'. */
  positiveWeight: number;
  /** β of van Rijsbergen's Fβ when classWeighting is 'fbeta': a missed spam weighs β² times a lost ham; β < 1 favours precision. */
  beta: number;
  holdout: HoldoutKind;
  /** Train the delivered model again on every labeled message, for the epochs the holdout chose. */
  refit: boolean;
  featureScaling: FeatureScaling;
  /** Stop after this many epochs without validation-loss improvement; 0 = off. */
  earlyStoppingPatience: number;
  /** L2 penalty on the weights of touched rows. */
  l2: number;
  /** Width of the hidden layer of the mlp; ignored by the logistic model. */
  hiddenUnits: number;
  /** Embedding width for the mlp; the logistic model always uses 1. */
  embeddingDim: number;
  /** k for out-of-fold predictions after training; 0 or 1 = off. */
  folds: number;
  seed: number;
  /** Force a tfjs backend; default picks tensorflow (native) > wasm > cpu. */
  backend?: TfBackendName;
}

export const DEFAULT_TRAIN_SETTINGS: TrainSettings = {
  model: 'logistic',
  optimizer: 'adam',
  learningRate: 0.2,
  epochs: 20,
  batchSize: 64,
  validationShare: 0.2,
  classWeighting: 'none',
  positiveWeight: 1,
  beta: 0.5,
  holdout: 'newest',
  refit: true,
  featureScaling: 'log-count-ratio',
  earlyStoppingPatience: 1,
  l2: 0,
  hiddenUnits: 32,
  embeddingDim: 16,
  folds: 0,
  seed: 42,
};

export interface Metrics {
  count: number;
  accuracy: number;
  precision: number;
  recall: number;
  f1: number;
  rocAuc: number;
  prAuc: number;
  logLoss: number;
  ece: number;
  /** Share of ham called spam (false positive rate), in percent. */
  hamMisclassifiedPct: number;
  /** Share of spam called ham (false negative rate), in percent. */
  spamMisclassifiedPct: number;
  threshold: number;
  confusion: { tp: number; fp: number; tn: number; fn: number };
}

export interface CurvePoint {
  kind: 'step' | 'epoch';
  step: number;
  epoch: number;
  trainLoss: number;
  valLoss: number | null;
  valAuc: number | null;
  valAccuracy: number | null;
}

export interface RunSummary {
  id: number;
  name: string;
  status: RunStatus;
  settings: TrainSettings;
  backend: TfBackendName | null;
  createdAt: number;
  finishedAt: number | null;
  trainCount: number;
  validationCount: number;
  examplesPerSecond: number | null;
  threshold: number;
  validationMetrics: Metrics | null;
  /** Which messages the validation figures are on; null for runs from before holdouts were recorded and imported models. */
  holdout: HoldoutInfo | null;
  error: string | null;
  isActive: boolean;
  /** Labels changed after this run was trained: its numbers describe older data. */
  isStale: boolean;
}

export interface HoldoutInfo {
  kind: HoldoutKind;
  count: number;
  /** Message dates (ms) of the oldest and newest held-out message, null when none had a usable date. */
  from: number | null;
  to: number | null;
}

/** Settings of runs stored before a setting existed: what those runs did. */
export const LEGACY_TRAIN_SETTINGS: Pick<TrainSettings, 'beta' | 'holdout' | 'refit' | 'featureScaling'> = {
  beta: 1,
  holdout: 'random',
  refit: false,
  featureScaling: 'none',
};

export type SplitName = 'train' | 'validation' | 'oof';

export interface ExamplePrediction {
  messageId: number;
  subject: string;
  from: string;
  label: Label;
  split: SplitName;
  probability: number;
  loss: number;
}

export interface ImportFailure {
  file: string;
  /** Byte offset of the message inside an mbox, null for single-message files. */
  offset: number | null;
  error: string;
}

export interface ImportSummary {
  imported: number;
  duplicates: number;
  failed: number;
  labeled: number;
  failures: ImportFailure[];
  bytes: number;
  seconds: number;
}

export interface DatasetStats {
  messages: number;
  spam: number;
  ham: number;
  unlabeled: number;
  runs: number;
  activeRunId: number | null;
}
