// The Train form's fields, made from the one declaration of the settings (shared/train-settings.ts).
import { defaultFor, isModel, SETTING_KEYS, SettingKey, settingSpec, TrainSettings, withModel } from '../../../../shared/train-settings';

/** What an optional choice shows when it is left to the backend. */
export const AUTO = 'auto';

export interface SettingField {
  key: SettingKey;
  label: string;
  help: string;
  /** A choice's options; absent for a number. */
  options?: string[];
  min?: number;
  max?: number;
  step?: number;
}

export const SETTING_FIELDS: SettingField[] = SETTING_KEYS.map((key) => {
  const spec = settingSpec(key);
  const { label, help } = spec;
  if (spec.type === 'boolean') return { key, label, help, options: ['true', 'false'] };
  if (spec.type === 'enum') return { key, label, help, options: [...(spec.optional ? [AUTO] : []), ...spec.values] };
  return { key, label, help, min: spec.min, max: spec.max, step: spec.step };
});

/** The field's value as its input shows it. */
export const fieldText = (settings: TrainSettings, key: SettingKey): string => String(settings[key] ?? AUTO);

/** The settings after a field was changed to the text its input holds; a new model brings its own defaults. */
export function withField(settings: TrainSettings, key: SettingKey, text: string): TrainSettings {
  if (key === 'model') return isModel(text) ? withModel(settings, text) : settings;
  const spec = settingSpec(key);
  const value = spec.type === 'boolean' ? text === 'true' : spec.type === 'enum' ? (text === AUTO ? undefined : text) : Number(text);
  return { ...settings, [key]: value };
}

export type SettingNotes = Partial<Record<SettingKey, string>>;

/**
 * What a change of model did to the settings that have a default per model:
 * "learning rate set to 0.02, the mlp's default", or kept when chosen by hand.
 */
export function modelNotes(before: TrainSettings, after: TrainSettings): SettingNotes {
  const notes: SettingNotes = {};
  if (before.model === after.model) return notes;
  for (const key of SETTING_KEYS) {
    const spec = settingSpec(key);
    if (key === 'model' || typeof spec.default !== 'object') continue;
    const name = spec.label.toLowerCase();
    const modelDefault = defaultFor(spec, after.model);
    notes[key] =
      after[key] === modelDefault
        ? `${name} set to ${String(modelDefault)}, the ${after.model}'s default`
        : `${name} kept at ${String(after[key])}: chosen by hand (the ${after.model}'s default is ${String(modelDefault)})`;
  }
  return notes;
}
