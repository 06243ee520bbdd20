// The Train form's fields, made from the one declaration of the settings (shared/train-settings.ts).
import { SETTING_KEYS, SettingKey, settingSpec, TrainSettings, withModel, isModel } from '../../../../shared/train-settings';

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
