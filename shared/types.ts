// Domain types shared by the backend, every host and the renderer.
// Pure TypeScript: no Node, Electron or DOM imports.
import type { TrainSettings } from './train-settings';

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
export type { TrainSettings } from './train-settings';
export { DEFAULT_TRAIN_SETTINGS } from './train-settings';
export type ModelKind = TrainSettings['model'];
export type OptimizerKind = TrainSettings['optimizer'];
export type ClassWeighting = TrainSettings['classWeighting'];
/** Which labeled messages judge a run: the newest by message date (next week's mail), or a random share. */
export type HoldoutKind = TrainSettings['holdout'];
/** How token features are scaled before the logistic regression: NBSVM's log-count ratios, or not at all. */
export type FeatureScaling = TrainSettings['featureScaling'];
export type TfBackendName = NonNullable<TrainSettings['backend']>;

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
  /** Probabilities in [unsureBelow, threshold) are unsure rather than ham; null: no unsure band. */
  unsureBelow: number | null;
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
  /** Messages the full-text search has not indexed yet (the app indexes them in the background). */
  searchBacklog: number;
}
