// The one API contract: every host (Electron IPC, the web host, the CLI's
// backend calls) and the renderer's client are derived from these two maps.
import { arrayOf, bool, int, Infer, nullable, num, obj, oneOf, optional, str } from './schema';
import { trainSettingsSchema } from './train-settings';
import type { Decision } from './decision';
import type { FilterStatus } from './pass-through';
import { SENDER_LISTS, SenderList } from './sender-lists';
import type {
  CurvePoint,
  DatasetStats,
  ExamplePrediction,
  ImportSummary,
  Label,
  Metrics,
  RunStatus,
  RunSummary,
  SplitName,
  TfBackendName,
} from './types';

export const LABELS = ['spam', 'ham'] as const;
export const QUEUE_ORDERS = ['newest', 'random', 'uncertain'] as const;
export type QueueOrder = (typeof QUEUE_ORDERS)[number];
export const LABEL_FILTERS = ['any', 'spam', 'ham', 'unlabeled'] as const;
export type LabelFilter = (typeof LABEL_FILTERS)[number];

/** Largest request body any host accepts, in bytes. */
export const MAX_REQUEST_BYTES = 2 * 1024 * 1024;
/** Largest message a request may carry, in bytes (as the importer's limit for one file). */
export const MAX_MESSAGE_BYTES = 64 * 1024 * 1024;

const id = int({ min: 1 });
const label = oneOf(LABELS);
const filePath = str({ min: 1, max: 4096 });
/** A whole message's bytes in base64: JSON carries no bytes, and mail is not always valid UTF-8. */
const messageBytes = str({ max: Math.ceil(MAX_MESSAGE_BYTES / 3) * 4 });

export const messageFilter = obj({
  label: optional(oneOf(LABEL_FILTERS)),
  search: optional(str({ max: 500 })),
  source: optional(str({ max: 4096 })),
  /** Only messages added by this import batch (imports.list). */
  importId: optional(id),
  /** Only messages whose label disagrees with the active run's prediction. */
  disagreement: optional(bool()),
  predicted: optional(label),
  dateFrom: optional(num()),
  dateTo: optional(num()),
});
export type MessageFilter = Infer<typeof messageFilter>;

export const PREDICTION_SORTS = ['loss-desc', 'loss-asc', 'probability-desc', 'probability-asc', 'mislabeled', 'hard'] as const;
export type PredictionSort = (typeof PREDICTION_SORTS)[number];

/** Which predictions of a run to list, and in which order. */
const predictionQuery = {
  runId: id,
  sort: oneOf(PREDICTION_SORTS),
  label: optional(label),
  split: optional(oneOf(['train', 'validation', 'oof'] as const)),
  /** Only messages the run gets wrong at its threshold. */
  mistakes: optional(bool()),
};

export const MONITOR_PERIODS = ['week', 'month'] as const;
export type MonitorPeriod = (typeof MONITOR_PERIODS)[number];

export const IMAP_SECURITY = ['tls', 'starttls', 'plain'] as const;
export type ImapSecurity = (typeof IMAP_SECURITY)[number];
/** What a synced folder's messages are labeled as. */
export const FOLDER_ROLES = ['spam', 'ham', 'unlabeled'] as const;
export type FolderRole = (typeof FOLDER_ROLES)[number];
export const IMAP_FILTER_MODES = ['move', 'flag'] as const;
export type ImapFilterMode = (typeof IMAP_FILTER_MODES)[number];

const accountName = str({ min: 1, max: 100 });
const password = str({ min: 1, max: 1000 });
const fingerprint = str({ min: 64, max: 200 });

/** Request schemas, one per method. */
export const requests = {
  'dataset.stats': obj({}),
  'dataset.sources': obj({}),
  'messages.list': obj({ offset: int({ min: 0 }), limit: int({ min: 1, max: 500 }), filter: optional(messageFilter) }),
  'messages.get': obj({ id }),
  'labels.set': obj({ id, label: nullable(label) }),
  /** Undoes the newest label a person gave, restoring the one before; with messageIds, the newest among those (a view's own labels). */
  'labels.undo': obj({ messageIds: optional(arrayOf(id, { max: 10_000 })) }),
  /** Labels a message found by its content, importing it first when it is not stored (a mail client's "this is spam"). */
  'labels.setByContent': obj({ raw: messageBytes, label: nullable(label), source: filePath }),
  'queue.next': obj({ order: oneOf(QUEUE_ORDERS), skip: arrayOf(id, { max: 500 }) }),
  'import.paths': obj({ paths: arrayOf(filePath, { max: 100_000 }), label: nullable(label) }),
  'import.sample': obj({ label: optional(bool()) }),
  /** Asks every connected window to import these paths and show its report (the desktop File menu). */
  'import.request': obj({ paths: arrayOf(filePath, { max: 100_000 }) }),
  /** Every import batch, newest first (what was asked for, what it added and how much of that is still stored and labeled), and the messages from before import history, per source. */
  'imports.list': obj({}),
  /** Removes the messages an import batch added, with their labels, label history, features, scores and predictions, in one transaction. */
  'imports.undo': obj({ id }),
  /** Deletes messages the same way: give exactly one of ids and source (every message from that source). */
  'messages.delete': obj({ ids: optional(arrayOf(id, { max: 100_000 })), source: optional(str({ min: 1, max: 4096 })) }),
  'export.labels': obj({ dir: filePath }),
  /** The run becomes the active filter when it finishes. */
  'training.start': obj({ settings: trainSettingsSchema, name: optional(str({ max: 200 })) }),
  'training.cancel': obj({ runId: id }),
  'runs.list': obj({}),
  'runs.get': obj({ runId: id }),
  'runs.delete': obj({ runId: id }),
  'runs.activate': obj({ runId: id }),
  'runs.setThreshold': obj({ runId: id, threshold: num({ min: 0, max: 1 }) }),
  /** Without runId: the active run. */
  /** A run's decision policy and what it does on the holdout, set first when asked: at most one of threshold, maxHamLost, maxSpamMissed (shares, 0.001 = 0.1%). */
  'runs.policy': obj({
    runId: optional(id),
    threshold: optional(num({ min: 0, max: 1 })),
    maxHamLost: optional(num({ min: 0, max: 1 })),
    maxSpamMissed: optional(num({ min: 0, max: 1 })),
    unsureBelow: optional(nullable(num({ min: 0, max: 1 }))),
  }),
  'runs.report': obj({ runId: optional(id), threshold: optional(num({ min: 0, max: 1 })) }),
  'runs.predictions': obj({ ...predictionQuery, offset: int({ min: 0 }), limit: int({ min: 1, max: 500 }) }),
  /** The loss histogram per class of what runs.predictions lists for the same query. */
  'runs.lossHistogram': obj(predictionQuery),
  'runs.dynamics': obj({ runId: id }),
  'classify.text': obj({ raw: str({ max: 1_000_000 }), runId: optional(id) }),
  'classify.message': obj({ messageId: id, runId: optional(id) }),
  /** Spam probability of each file, without explanations: the fast path for many messages. */
  'classify.files': obj({ paths: arrayOf(filePath, { max: 100_000 }), runId: optional(id) }),
  /** The same for messages given as bytes (a message piped to the command line). */
  'classify.bytes': obj({ messages: arrayOf(messageBytes, { max: 100 }), runId: optional(id) }),
  /** A message passed through as a mail filter: the same bytes with status header fields added (explain: with the top tokens). */
  'filter.message': obj({ message: messageBytes, runId: optional(id), explain: optional(bool()) }),
  /** The allow and block lists of senders. */
  'lists.get': obj({}),
  /** Puts addresses (a@example.com) or domains (example.com) on a list, moving them off the other. */
  'lists.add': obj({ list: oneOf(SENDER_LISTS), entries: arrayOf(str({ min: 1, max: 320 }), { max: 10_000 }) }),
  /** Puts a stored message's sender (the one address in its From field) on a list: the message view's one click. */
  'lists.addSender': obj({ messageId: id, list: oneOf(SENDER_LISTS) }),
  'lists.remove': obj({ entries: arrayOf(str({ min: 1, max: 320 }), { max: 10_000 }) }),
  /** Writes a run's model (without runId: the active run's) to a file. */
  'models.export': obj({ file: filePath, runId: optional(id), withLists: optional(bool()) }),
  /** Checks a model file and stores it as a completed run. */
  'models.import': obj({ file: filePath, name: optional(str({ max: 200 })) }),
  /** How a run does, period by period, on labeled mail it did not train on, against its own holdout; without runId: the active run. */
  'monitor.report': obj({ runId: optional(id), by: oneOf(MONITOR_PERIODS) }),
  /** The live copy of the active run that learns from each new label, and the running score of the probabilities recorded before labels. */
  'live.status': obj({}),
  /** Stores the live copy as a new completed run (its lineage: the base run and the labels it learned), which becomes the active one. */
  'live.save': obj({ name: optional(str({ max: 200 })) }),
  /** Forgets what the live copy learned: it starts again from the active run. */
  'live.discard': obj({}),
  /** Plain-text login only to a loopback host. The password goes to the host's credential store, never the database. */
  'imap.add': obj({
    name: accountName,
    host: str({ min: 1, max: 255 }),
    port: optional(int({ min: 1, max: 65535 })),
    security: oneOf(IMAP_SECURITY),
    user: str({ min: 1, max: 500 }),
    password: optional(password),
  }),
  'imap.accounts': obj({}),
  'imap.remove': obj({ account: accountName }),
  /** Gives the password for this session (and, in the desktop app, keeps it encrypted). */
  'imap.setPassword': obj({ account: accountName, password }),
  'imap.test': obj({ account: accountName }),
  /** Trusts this certificate for the account; it must be the one the server shows now. */
  'imap.pin': obj({ account: accountName, fingerprint }),
  'imap.folders': obj({ account: accountName }),
  /** Without folders: those mapped before, else the Junk folder and INBOX. */
  'imap.sync': obj({
    account: accountName,
    folders: optional(arrayOf(obj({ path: str({ min: 1, max: 1000 }), role: oneOf(FOLDER_ROLES) }), { max: 1000 })),
  }),
  'imap.cancel': obj({ account: accountName }),
  /** Classifies INBOX mail not yet judged with the active run and moves (or flags $Junk) what is at or above its threshold or from a blocked sender; an allowed sender's mail stays. */
  'imap.filter': obj({ account: accountName, dryRun: bool(), mode: optional(oneOf(IMAP_FILTER_MODES)) }),
  /** Moves back what the last filter moved (and unflags what it flagged). */
  'imap.undo': obj({ account: accountName }),
} as const;

export type Method = keyof typeof requests;
export type RequestOf<M extends Method> = Infer<(typeof requests)[M]>;

export interface MessageSummary {
  id: number;
  subject: string;
  from: string;
  date: number | null;
  label: Label | null;
  source: string;
  size: number;
  hasHtml: boolean;
  /** Spam probability under the active run, null when there is none. */
  probability: number | null;
}

export interface MessageDetail extends MessageSummary {
  to: string;
  headers: Array<[string, string]>;
  text: string;
  html: string | null;
  attachments: Array<{ filename: string | null; mimeType: string; size: number }>;
  warnings: string[];
  raw: string;
  labelHistory: Array<{ label: Label | null; previous: Label | null; at: number; origin: string }>;
}

export interface LabelChange {
  messageId: number;
  label: Label | null;
  previous: Label | null;
}

export interface QueueItem {
  message: MessageDetail;
}

export interface RunDetail extends RunSummary {
  curves: CurvePoint[];
}

export interface RunReport {
  run: RunSummary;
  split: SplitName;
  metrics: Metrics;
  /** Ham called spam at the threshold: legitimate bulk mail (List-Id, List-Unsubscribe, Precedence: bulk) and the rest. */
  hamFlagged: Record<'bulk' | 'other', { count: number; flagged: number }>;
  roc: Array<{ fpr: number; tpr: number; threshold: number }>;
  pr: Array<{ recall: number; precision: number; threshold: number }>;
  calibration: Array<{ meanPredicted: number; fractionPositive: number; count: number }>;
  /** Histogram of predicted spam probability in 20 bins, per true class. */
  histogram: { spam: number[]; ham: number[] };
}

/** Dataset cartography: how sure the model was of each training example's label across epochs. */
export interface ExampleDynamics {
  messageId: number;
  label: Label;
  subject: string;
  /** Mean probability given to the true label over the epochs. */
  confidence: number;
  /** Its standard deviation over the epochs. */
  variability: number;
}

export interface TokenContribution {
  token: string;
  weight: number;
}

/** How many of the listed messages of each class fall between consecutive loss edges (the last bin is open-ended). */
export interface LossHistogram {
  edges: number[];
  spam: number[];
  ham: number[];
}

export interface ClassifyResult {
  runId: number;
  probability: number;
  logit: number;
  threshold: number;
  unsureBelow: number | null;
  verdict: Decision;
  /** Set when a sender list decided the verdict, not the model ("decided by your allow list"). */
  decidedBy: string | null;
  bias: number;
  exact: boolean;
  contributions: TokenContribution[];
  /** Per lower-case word of the subject and of the text: its own token's contribution, for tinting the words in place. */
  wordWeights: { subject: Record<string, number>; text: Record<string, number> };
  /** For typed or pasted text: the subject and text it was read as, so the words can be tinted there. */
  parsed?: { subject: string; text: string };
}

/** One message's score in a batch, in input order; a message that could not be read or scored says why. */
export type BatchScore = { probability: number; list: SenderList | null } | { error: string };

export interface ClassifiedBatch {
  runId: number;
  threshold: number;
  unsureBelow: number | null;
  scores: BatchScore[];
}

/** A message passed through the filter; an error (unreadable mail, no model) still gives the message back, marked. */
export interface FilteredMessage {
  /** base64 of the message as it passes on. */
  output: string;
  status: FilterStatus;
  probability: number | null;
  runId: number | null;
  error: string | null;
}

export interface RunPolicy {
  run: RunSummary;
  /** The policy on the run's held-out messages (none for an imported model): shares of ham called spam, spam not called spam, all called unsure. */
  holdout: { count: number; hamLost: number; spamMissed: number; unsure: number };
}

/** One period of a run's monitor: labeled mail it did not train on, dated in that period (or labeled in it). */
export interface MonitorPoint {
  /** '2002-08' by month, '2002-W34' by ISO week. */
  period: string;
  /** Start of the period, ms since the epoch (UTC). */
  start: number;
  count: number;
  ham: number;
  spam: number;
  /** Mean binary cross-entropy (nats) of the run's probabilities, with its 95% interval. */
  bce: number;
  bceLow: number;
  bceHigh: number;
  /** At the run's threshold: share of the period's ham called spam, of its spam not called spam; null without any. */
  hamFlagged: number | null;
  spamMissed: number | null;
  /** This period's mail labeled after the run has a BCE significantly above the run's holdout BCE (α = 0.01, Bonferroni over the periods tested). */
  alarm: boolean;
}

export interface MonitorReport {
  runId: number;
  by: MonitorPeriod;
  threshold: number;
  /** The run's own held-out BCE, the level later mail is compared with; null for a run without held-out predictions (an imported model). */
  baseline: { bce: number; count: number; from: number | null; to: number | null } | null;
  /** The run's holdout and everything labeled after it trained, by message date. */
  byMessageDate: MonitorPoint[];
  /** Messages labeled after the run trained, by when they were labeled. */
  byLabelTime: MonitorPoint[];
  /** Unlabeled mail dated after the run's newest training mail, and the share of it within the unsure band around the threshold. */
  unsure: { count: number; share: number | null; low: number; high: number };
  drift: {
    alarm: boolean;
    /** The recent labeled mail the test looks at, its BCE and the test's p-value. */
    recentCount: number;
    recentBce: number | null;
    pValue: number | null;
    /** One line a person reads: healthy, drifting, or not enough mail to say. */
    verdict: string;
  };
}

/** Accuracy and BCE of the probabilities recorded just before the last `size` labels were applied (mail the model had not learned from). */
export interface RunningWindow {
  size: number;
  count: number;
  accuracy: number | null;
  bce: number | null;
}

export interface LiveStatus {
  /** The run the live copy learns on top of; null when nothing learns (no active run, or a model the live copy cannot update). */
  baseRunId: number | null;
  /** Labels the live copy has learned since its base run. */
  learned: number;
  /** Why nothing learns, when nothing does. */
  unavailable: string | null;
  /** Milliseconds from the last label to its re-ranked queue. */
  lastUpdateMs: number | null;
  running: { last50: RunningWindow; last500: RunningWindow };
}

export interface ImapAccount {
  name: string;
  host: string;
  port: number;
  security: ImapSecurity;
  user: string;
  /** SHA-256 of a certificate trusted for this account alone, colon-separated hex. */
  pinnedCertificate: string | null;
  /** Whether the host has a password for it now. */
  hasPassword: boolean;
}

export type ConnectionProblem = 'unreachable' | 'timeout' | 'untrusted-certificate' | 'login-refused' | 'other';

export type ConnectionTest =
  { ok: true; capabilities: string[] } | { ok: false; problem: ConnectionProblem; message: string; fingerprint: string | null };

export interface ImapFolder {
  path: string;
  specialUse: string | null;
  messages: number;
  /** The mapping chosen before, else the default (Junk → spam, everything else unlabeled). */
  role: FolderRole;
  /** Whether it was synced before with this mapping. */
  mapped: boolean;
}

export interface FolderSync {
  path: string;
  role: FolderRole;
  fetched: number;
  imported: number;
  duplicates: number;
  failed: number;
  /** The server renumbered the folder (UIDVALIDITY changed), so it was read again from the start. */
  rescanned: boolean;
}

/** A message moved on the server that was labeled otherwise in the app: left as it was, for the user to decide. */
export interface LabelConflict {
  messageId: number;
  subject: string;
  folder: string;
  label: Label;
  mailbox: Label;
}

export interface ImapSyncResult {
  folders: FolderSync[];
  /** Labels learned from moves into and out of the Junk folder. */
  learned: { spam: number; ham: number };
  conflicts: LabelConflict[];
  cancelled: boolean;
  seconds: number;
}

export interface FilterAction {
  messageId: number;
  subject: string;
  probability: number;
  from: string;
  to: string;
  kind: ImapFilterMode;
}

export interface ImapFilterResult {
  runId: number;
  threshold: number;
  dryRun: boolean;
  checked: number;
  actions: FilterAction[];
}

/** One import: the paths asked for, by which door (origin: import, cli, mailbox), and what it did. */
export interface ImportBatch {
  id: number;
  startedAt: number;
  /** Null while it runs, or when it was stopped before the end (whole write batches of it are stored). */
  finishedAt: number | null;
  paths: string[];
  origin: string;
  /** What the import did: messages added, duplicates of stored ones (not its own), files or messages that failed. */
  imported: number;
  duplicates: number;
  failed: number;
  /** Messages it added that are still stored, and how many of those have a label now. */
  messages: number;
  labeled: number;
  /** When it was undone (its messages removed); it stays in the history. */
  undoneAt: number | null;
}

export interface ImportHistory {
  batches: ImportBatch[];
  /** Messages stored before import history was kept, or added one at a time (labels.setByContent): one group per source. */
  before: { messages: number; labeled: number; sources: Array<{ source: string; count: number; labeled: number }> };
}

/** What a delete or an undone import removed: messages, and how many of them had a label. */
export interface RemovedMessages {
  removed: number;
  labels: number;
}

/** Response types, one per method. */
export interface Responses {
  'dataset.stats': DatasetStats;
  'dataset.sources': Array<{ source: string; count: number }>;
  'export.labels': { spam: number; ham: number; records: number; files: string[] };
  'messages.list': { total: number; rows: MessageSummary[] };
  'messages.get': MessageDetail;
  'labels.set': LabelChange;
  'labels.undo': LabelChange | null;
  'labels.setByContent': LabelChange & { imported: boolean };
  'queue.next': QueueItem | null;
  'import.paths': ImportSummary;
  'import.sample': ImportSummary;
  'import.request': null;
  'imports.list': ImportHistory;
  'imports.undo': RemovedMessages;
  'messages.delete': RemovedMessages;
  'training.start': { runId: number };
  'training.cancel': { cancelled: boolean };
  'runs.list': RunSummary[];
  'runs.get': RunDetail;
  'runs.delete': { deleted: boolean };
  'runs.activate': RunSummary;
  'runs.setThreshold': RunSummary;
  'runs.policy': RunPolicy;
  'runs.report': RunReport;
  'runs.predictions': { total: number; rows: ExamplePrediction[] };
  'runs.lossHistogram': LossHistogram;
  'runs.dynamics': ExampleDynamics[];
  'classify.text': ClassifyResult;
  'classify.message': ClassifyResult;
  'classify.files': ClassifiedBatch;
  'classify.bytes': ClassifiedBatch;
  'filter.message': FilteredMessage;
  'lists.get': Record<SenderList, string[]>;
  'lists.add': Record<SenderList, string[]>;
  'lists.remove': Record<SenderList, string[]> & { removed: number };
  'lists.addSender': Record<SenderList, string[]> & { entry: string };
  'models.export': { runId: number; file: string };
  'models.import': { runId: number };
  'imap.add': ImapAccount;
  'imap.accounts': ImapAccount[];
  'imap.remove': { removed: boolean };
  'imap.setPassword': ImapAccount;
  'imap.test': ConnectionTest;
  'imap.pin': ImapAccount;
  'imap.folders': ImapFolder[];
  'imap.sync': ImapSyncResult;
  'imap.cancel': { cancelled: boolean };
  'imap.filter': ImapFilterResult;
  'imap.undo': { undone: number };
  'monitor.report': MonitorReport;
  'live.status': LiveStatus;
  'live.save': { runId: number };
  'live.discard': LiveStatus;
}

export type ResponseOf<M extends Method> = Responses[M];

/** Pushes from the backend to every connected UI. */
export interface Events {
  'import.progress': { done: number; failed: number; duplicates: number; file: string };
  'training.backend': { runId: number; backend: TfBackendName };
  'training.steps': { runId: number; points: Array<{ step: number; epoch: number; loss: number }> };
  /** epochs: how many the run was set to train (early stopping may end it sooner). */
  'training.epoch': { runId: number; point: CurvePoint; examplesPerSecond: number; epochs: number };
  'training.fold': { runId: number; fold: number; of: number };
  'training.finished': { runId: number; status: RunStatus; error: string | null };
  'labels.changed': LabelChange;
  /** The desktop shell's File menu picked these paths: the UI imports them and shows the report. */
  'import.requested': { paths: string[] };
  'imap.progress': { account: string; folder: string; done: number; total: number };
  /** The live copy learned a label and the queue was re-ranked. */
  'live.updated': LiveStatus;
  /** Messages were deleted (messages.delete) or an import was undone (imports.undo): counts and lists are out of date. */
  'messages.removed': RemovedMessages;
}
export type EventName = keyof Events;
/** Keyed by every event name, so a missing or misspelled one fails to compile. */
const EVENTS: Record<EventName, true> = {
  'import.progress': true,
  'training.backend': true,
  'training.steps': true,
  'training.epoch': true,
  'training.fold': true,
  'training.finished': true,
  'labels.changed': true,
  'import.requested': true,
  'imap.progress': true,
  'live.updated': true,
  'messages.removed': true,
};
/** The events every host forwards to its windows. */
export const EVENT_NAMES = Object.keys(EVENTS) as EventName[];

/** Errors cross every boundary as data. */
export type Result<T> = { ok: true; value: T } | { ok: false; error: { kind: ErrorKind; message: string } };
export type ErrorKind = 'invalid-request' | 'not-found' | 'bad-input' | 'conflict' | 'internal';

export const isMethod = (name: string): name is Method => Object.prototype.hasOwnProperty.call(requests, name);

/** What the Electron preload exposes as window.spamlab; the renderer's client is built on it. */
export interface SpamlabBridge {
  call(method: string, request: unknown): Promise<Result<unknown>>;
  on(event: EventName, listener: (payload: unknown) => void): () => void;
  /** The file system path of a file dropped on the window (Electron only: a browser never reveals it). */
  pathForFile?(file: File): string;
}

/** The client every UI talks to, whatever the host. */
export interface ApiClient {
  call<M extends Method>(method: M, request: RequestOf<M>): Promise<ResponseOf<M>>;
  on<E extends EventName>(event: E, listener: (payload: Events[E]) => void): () => void;
}
