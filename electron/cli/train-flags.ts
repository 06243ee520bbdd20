// `spamlab train`'s flags and their usage text, made from the one declaration of the settings.
import { ValidationError } from '../../shared/schema';
import {
  defaultFor,
  isModel,
  SETTING_KEYS,
  settingSpec,
  SettingSpec,
  trainDefaults,
  TrainSettings,
  trainSettingsSchema,
} from '../../shared/train-settings';
import { number, UsageError } from './common';

type Flag = { type: 'string' } | { type: 'boolean' };

/** Each setting's flag; a boolean setting also has its --no- form. */
const settingFlags: Record<string, Flag> = Object.fromEntries(
  SETTING_KEYS.flatMap((key): Array<[string, Flag]> => {
    const spec = settingSpec(key);
    return spec.type === 'boolean'
      ? [
          [spec.flag, { type: 'boolean' }],
          [`no-${spec.flag}`, { type: 'boolean' }],
        ]
      : [[spec.flag, { type: 'string' }]];
  }),
);
export const TRAIN_OPTIONS = { ...settingFlags, name: { type: 'string' } } as const;

type FlagValues = Record<string, string | boolean | undefined>;

function flagValue(spec: SettingSpec, values: FlagValues): unknown {
  if (spec.type === 'boolean') {
    const on = values[spec.flag] === true;
    const off = values[`no-${spec.flag}`] === true;
    if (on && off) throw new UsageError(`train: give --${spec.flag} or --no-${spec.flag}, not both`);
    return on ? true : off ? false : undefined;
  }
  const text = values[spec.flag];
  if (typeof text !== 'string') return undefined;
  return spec.type === 'enum' ? text : number(text, spec.flag);
}

/**
 * The settings the flags ask for, on the chosen model's defaults. `--class-weight`
 * also takes a number: the spam class's weight, with classWeighting 'positive'.
 */
export function trainSettings(values: FlagValues): TrainSettings {
  const chosen: Record<string, unknown> = {};
  for (const key of SETTING_KEYS) {
    const value = flagValue(settingSpec(key), values);
    if (value !== undefined) chosen[key] = value;
  }
  const weighting = chosen.classWeighting;
  if (typeof weighting === 'string' && weighting !== '' && Number.isFinite(Number(weighting))) {
    if (chosen.positiveWeight !== undefined) throw new UsageError('train: give --class-weight NUMBER or --positive-weight, not both');
    Object.assign(chosen, { classWeighting: 'positive', positiveWeight: Number(weighting) });
  }
  const model = chosen.model ?? 'logistic';
  try {
    return trainSettingsSchema.parse({ ...trainDefaults(isModel(model) ? model : 'logistic'), ...chosen });
  } catch (err) {
    if (!(err instanceof ValidationError)) throw err;
    const key = SETTING_KEYS.find((k) => k === err.path);
    const flag = key ? settingSpec(key).flag : err.path;
    throw new UsageError(`train: --${flag}: ${err.message.slice(err.message.indexOf(': ') + 2)}`);
  }
}

function valueWord(spec: SettingSpec): string {
  if (spec.type === 'enum') return spec.values.join('|');
  return spec.type === 'int' ? 'N' : 'X';
}

function describe(spec: SettingSpec): string {
  if (spec.type === 'boolean') return `${spec.label}: default ${spec.default ? 'on' : 'off'}`;
  if (spec.type === 'enum') return `${spec.label}: default ${spec.default ?? 'chosen at run time'}`;
  const perModel = typeof spec.default === 'object' ? ` (mlp: ${defaultFor(spec, 'mlp')})` : '';
  const kind = spec.type === 'int' ? 'a whole number' : 'a number';
  return `${spec.label}: ${kind} from ${spec.min} to ${spec.max}, default ${defaultFor(spec, 'logistic')}${perModel}`;
}

const settingLines = SETTING_KEYS.flatMap((key) => {
  const spec = settingSpec(key);
  const flag = spec.type === 'boolean' ? `--${spec.flag} | --no-${spec.flag}` : `--${spec.flag} ${valueWord(spec)}`;
  return [`    ${flag.padEnd(44)} ${describe(spec)}`, `    ${''.padEnd(44)} ${spec.help}`];
});

export const TRAIN_USAGE = `spamlab train [--db FILE] [--name NAME] [--json] [SETTING...]
    Train on the labeled messages; the finished run becomes the active one. The newest share of
    each class (by message date) judges the run and picks its epochs; then the delivered model
    is trained again on every labeled message unless --no-refit. Defaults follow --model.
    --class-weight NUMBER is --class-weight positive --positive-weight NUMBER.

  Settings:
${settingLines.join('\n')}`;
