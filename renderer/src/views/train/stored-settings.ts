// The Train form's settings kept in the browser's storage between visits to the view.
import {
  DEFAULT_TRAIN_SETTINGS,
  isModel,
  SETTING_KEYS,
  trainDefaults,
  TrainSettings,
  trainSettingsSchema,
} from '../../../../shared/train-settings';

/** Where the form keeps its settings between visits to the Train view. */
export const SETTINGS_STORAGE_KEY = 'spamlab.train.settings';

/**
 * The form's settings as last left, each field checked against the settings
 * schema on its own: a field that is missing or fails falls back to the
 * default (of the stored model, when that one is valid).
 */
export function loadSettings(storage: Pick<Storage, 'getItem'> = localStorage): TrainSettings {
  let stored: unknown;
  try {
    stored = JSON.parse(storage.getItem(SETTINGS_STORAGE_KEY) ?? 'null');
  } catch {
    return DEFAULT_TRAIN_SETTINGS;
  }
  if (typeof stored !== 'object' || stored === null || Array.isArray(stored)) return DEFAULT_TRAIN_SETTINGS;
  const record = stored as Record<string, unknown>;
  let settings = trainDefaults(isModel(record.model) ? record.model : DEFAULT_TRAIN_SETTINGS.model);
  for (const key of SETTING_KEYS) {
    if (key === 'model' || !Object.hasOwn(record, key)) continue;
    try {
      settings = trainSettingsSchema.parse({ ...settings, [key]: record[key] });
    } catch {
      // This field stays at its default.
    }
  }
  return settings;
}

export function saveSettings(settings: TrainSettings, storage: Pick<Storage, 'setItem'> = localStorage): void {
  try {
    storage.setItem(SETTINGS_STORAGE_KEY, JSON.stringify(settings));
  } catch {
    // Storage full or refused: the form still works, it only forgets.
  }
}
