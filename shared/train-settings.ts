// The training settings, declared once. The TrainSettings type, the request
// schema, the defaults, the Train form and the CLI's flags and usage text are
// all made from this list.
import { bool, int, num, obj, oneOf, optional, Schema } from './schema';

const MODELS = ['logistic', 'mlp'] as const;
type Model = (typeof MODELS)[number];

interface Described {
  label: string;
  help: string;
  /** The command line's flag, without its dashes. */
  flag: string;
}
export interface NumberSetting extends Described {
  type: 'number' | 'int';
  min: number;
  max: number;
  /** The form's step; the schema takes any value within the bounds. */
  step: number;
  /** One default, or one per model. */
  default: number | Readonly<Record<Model, number>>;
}
export interface EnumSetting extends Described {
  type: 'enum';
  values: readonly string[];
  /** Absent when the setting is optional: left out, the backend chooses. */
  default?: string;
  optional?: true;
}
export interface BooleanSetting extends Described {
  type: 'boolean';
  default: boolean;
}
export type SettingSpec = NumberSetting | EnumSetting | BooleanSetting;

export const TRAIN_SETTINGS = {
  model: {
    type: 'enum',
    values: MODELS,
    default: 'logistic',
    flag: 'model',
    label: 'Model',
    help: 'Logistic regression: one weight per token, exact explanations. Small neural net: token embeddings → hidden layer.',
  },
  optimizer: {
    type: 'enum',
    values: ['adam', 'rmsprop', 'sgd'],
    default: 'adam',
    flag: 'optimizer',
    label: 'Optimizer',
    help: 'Adam adapts each weight’s step size; SGD is plain gradient descent.',
  },
  learningRate: {
    type: 'number',
    min: 0.0001,
    max: 5,
    step: 0.0001,
    // The neural net wants a ten times smaller step.
    default: { logistic: 0.2, mlp: 0.02 },
    flag: 'learning-rate',
    label: 'Learning rate',
    help: 'Step size. Too high and the loss jumps around; too low and it crawls.',
  },
  epochs: {
    type: 'int',
    min: 1,
    max: 500,
    step: 1,
    default: 20,
    flag: 'epochs',
    label: 'Epochs',
    help: 'Passes over the training messages.',
  },
  batchSize: {
    type: 'int',
    min: 1,
    max: 4096,
    step: 1,
    default: 64,
    flag: 'batch-size',
    label: 'Batch size',
    help: 'Messages per gradient step.',
  },
  validationShare: {
    type: 'number',
    min: 0.05,
    max: 0.5,
    step: 0.05,
    default: 0.2,
    flag: 'validation-share',
    label: 'Holdout share',
    help: 'Share of each class held out to measure the model on mail it never trained on.',
  },
  holdout: {
    type: 'enum',
    values: ['newest', 'random'],
    default: 'newest',
    flag: 'holdout',
    label: 'Holdout',
    help: 'Newest: the most recent mail by date, so the figures predict next week’s mail. Random: a random share, more optimistic.',
  },
  refit: {
    type: 'boolean',
    default: true,
    flag: 'refit',
    label: 'Refit on all',
    help: 'After the holdout picks the epochs, train the delivered model on every labeled message; the holdout figures stay its estimate.',
  },
  featureScaling: {
    type: 'enum',
    values: ['log-count-ratio', 'none'],
    default: 'log-count-ratio',
    flag: 'feature-scaling',
    label: 'Feature scaling',
    help: 'Log-count ratio (NBSVM): each token starts from how strongly it leans to spam or ham in your labels.',
  },
  classWeighting: {
    type: 'enum',
    values: ['none', 'balanced', 'positive', 'fbeta'],
    default: 'none',
    flag: 'class-weight',
    label: 'Class weighting',
    help: 'Balanced weighs the rarer class up; positive weighs spam by the spam weight; fbeta weighs a missed spam β² times a lost ham.',
  },
  beta: {
    type: 'number',
    min: 0.1,
    max: 4,
    step: 0.1,
    default: 0.5,
    flag: 'beta',
    label: 'Fβ β',
    help: 'Used with “fbeta”: β < 1 favours precision (fewer legitimate mails lost), the usual choice for mail.',
  },
  positiveWeight: {
    type: 'number',
    min: 0.05,
    max: 20,
    step: 0.05,
    default: 1,
    flag: 'positive-weight',
    label: 'Spam weight',
    help: 'Used with “positive”: <1 makes false positives (lost ham) costlier.',
  },
  recentHalfLifeDays: {
    type: 'number',
    min: 0,
    max: 3650,
    step: 0.5,
    default: 0,
    flag: 'recent-half-life',
    label: 'Recent half-life (days)',
    help: 'Weighs the newest mail up: a message this many days older than the newest training message counts half as much; 0 = off.',
  },
  leaveOutOldest: {
    type: 'number',
    min: 0,
    max: 0.9,
    step: 0.05,
    default: 0,
    flag: 'leave-out-oldest',
    label: 'Leave out oldest',
    help: 'Share of each class’s oldest mail (by date) left out of training and holdout, when the mail has drifted; 0 = off.',
  },
  earlyStoppingPatience: {
    type: 'int',
    min: 0,
    max: 50,
    step: 1,
    // One epoch without improvement is enough: the holdout's best epoch came out the same with 3 on both splits, two epochs sooner.
    default: 1,
    flag: 'patience',
    label: 'Early stopping',
    help: 'Stop after this many epochs without a better validation loss (0 = off); the best epoch is kept.',
  },
  l2: {
    type: 'number',
    min: 0,
    max: 1,
    step: 0.0001,
    default: 0,
    flag: 'l2',
    label: 'L2 penalty',
    help: 'Pulls the weights of the tokens a batch touched toward zero; 0 = off.',
  },
  hiddenUnits: {
    type: 'int',
    min: 1,
    max: 512,
    step: 1,
    default: 32,
    flag: 'hidden-units',
    label: 'Hidden units',
    help: 'Width of the neural net’s hidden layer; the logistic model has none.',
  },
  embeddingDim: {
    type: 'int',
    min: 1,
    max: 128,
    step: 1,
    default: 16,
    flag: 'embedding-dim',
    label: 'Embedding width',
    help: 'Numbers per token in the neural net; the logistic model always uses 1.',
  },
  folds: {
    type: 'int',
    min: 0,
    max: 10,
    step: 1,
    default: 0,
    flag: 'folds',
    label: 'Out-of-fold k',
    help: 'With k ≥ 2, every message also gets a prediction from a model that never saw it (finds label errors); 0 or 1 = off.',
  },
  seed: {
    type: 'int',
    min: 0,
    max: 2 ** 31 - 1,
    step: 1,
    default: 42,
    flag: 'seed',
    label: 'Seed',
    help: 'Same seed, same split and same result.',
  },
  backend: {
    type: 'enum',
    values: ['tensorflow', 'wasm', 'cpu'],
    optional: true,
    flag: 'backend',
    label: 'TensorFlow.js backend',
    help: 'Left out, the fastest one that loads: tensorflow (native), then wasm, then cpu.',
  },
} as const satisfies Record<string, SettingSpec>;

type Specs = typeof TRAIN_SETTINGS;
export type SettingKey = keyof Specs;
type ValueOf<S> = S extends { type: 'enum'; values: readonly (infer V)[] } ? V : S extends { type: 'boolean' } ? boolean : number;
type OptionalKey = { [K in SettingKey]: Specs[K] extends { optional: true } ? K : never }[SettingKey];

export type TrainSettings = { -readonly [K in Exclude<SettingKey, OptionalKey>]: ValueOf<Specs[K]> } & {
  -readonly [K in OptionalKey]?: ValueOf<Specs[K]>;
};

/** The settings in the order the form and the usage text show them. */
export const SETTING_KEYS = Object.keys(TRAIN_SETTINGS) as SettingKey[];
export const settingSpec = (key: SettingKey): SettingSpec => TRAIN_SETTINGS[key];

export const isModel = (value: unknown): value is Model => MODELS.some((m) => m === value);

/** The default of one setting for a model. */
export function defaultFor(spec: SettingSpec, model: Model): string | number | boolean | undefined {
  return typeof spec.default === 'object' ? spec.default[model] : spec.default;
}

function schemaOf(spec: SettingSpec): Schema<unknown> {
  if (spec.type === 'boolean') return bool();
  if (spec.type === 'enum') return spec.optional ? optional(oneOf(spec.values)) : oneOf(spec.values);
  return (spec.type === 'int' ? int : num)({ min: spec.min, max: spec.max });
}

const shape = obj(Object.fromEntries(SETTING_KEYS.map((key) => [key, schemaOf(settingSpec(key))])));
/** The request schema of a run's settings: unknown fields are refused, every bound is checked. */
export const trainSettingsSchema: Schema<TrainSettings> = {
  spec: shape.spec,
  // The shape is made from TRAIN_SETTINGS, the declaration TrainSettings is made from.
  parse: (value, path) => shape.parse(value, path) as TrainSettings,
};

/** Every setting at its default for a model; checked by the schema, so a default out of its own bounds fails at load. */
export function trainDefaults(model: Model = 'logistic'): TrainSettings {
  const values = SETTING_KEYS.map((key) => [key, defaultFor(settingSpec(key), model)]).filter(([, value]) => value !== undefined);
  return trainSettingsSchema.parse({ ...Object.fromEntries(values), model });
}

export const DEFAULT_TRAIN_SETTINGS: TrainSettings = trainDefaults();

/** A new model brings its own defaults, except for settings chosen by hand (changed from the old model's default). */
export function withModel(settings: TrainSettings, model: Model): TrainSettings {
  const before = trainDefaults(settings.model);
  const after = trainDefaults(model);
  const next: Record<string, unknown> = { ...settings, model };
  for (const key of SETTING_KEYS) if (key !== 'model' && settings[key] === before[key]) next[key] = after[key];
  return next as TrainSettings;
}
