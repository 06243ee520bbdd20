// The three doors to a run's settings: the Train form, `spamlab train` and the
// request schema. Each is read as its user meets it, and they must agree.
import { describe, expect, it } from 'vitest';
import { requests } from '../../shared/contract';
import { DEFAULT_TRAIN_SETTINGS, TrainSettings } from '../../shared/train-settings';
import { trainSettings } from '../../electron/cli/train-flags';
import { AUTO, fieldText, SETTING_FIELDS, SettingField, withField } from '../../renderer/src/views/train/settings';
import { spamlab } from '../support/cli';

interface HelpEntry {
  flag: string;
  values: string[] | null;
  label: string;
  whole: boolean;
  min: number | null;
  max: number | null;
  defaults: { logistic: string; mlp: string };
}

/** The settings as `spamlab train --help` lists them: a line per flag, then its help. */
function helpEntries(): HelpEntry[] {
  const help = spamlab(['train', '--help']);
  expect(help.status).toBe(0);
  return help.stdout
    .slice(help.stdout.indexOf('\n  Settings:\n'))
    .split('\n')
    .filter((line) => /^ {4}--/.test(line))
    .map((line) => {
      const [, flag, word, label, rest] = /^ {4}--([a-z0-9-]+)(?: \| --no-\S+| (\S+))\s+([^:]+): (.*)$/.exec(line)!;
      const bounded = /^(a whole number|a number) from (\S+) to (\S+), default (\S+?)(?: \(mlp: (\S+)\))?$/.exec(rest!);
      const chosen = /^default (.+)$/.exec(rest!)?.[1] ?? '';
      const plain = chosen === 'on' ? 'true' : chosen === 'off' ? 'false' : chosen === 'chosen at run time' ? AUTO : chosen;
      return {
        flag: flag!,
        values: word && word !== 'N' && word !== 'X' ? word.split('|') : word ? null : ['true', 'false'],
        label: label!,
        whole: bounded?.[1] === 'a whole number',
        min: bounded ? Number(bounded[2]) : null,
        max: bounded ? Number(bounded[3]) : null,
        defaults: bounded ? { logistic: bounded[4]!, mlp: bounded[5] ?? bounded[4]! } : { logistic: plain, mlp: plain },
      };
    });
}

const accepts = (settings: Record<string, unknown>) => {
  try {
    requests['training.start'].parse({ settings });
    return true;
  } catch {
    return false;
  }
};

const formDefaults = { logistic: DEFAULT_TRAIN_SETTINGS, mlp: withField(DEFAULT_TRAIN_SETTINGS, 'model', 'mlp') };

describe('training settings: the form, the command line and the schema agree', () => {
  const help = helpEntries();
  const entryOf = (field: SettingField) => help.find((entry) => entry.label === field.label);

  it('list the same settings', () => {
    expect(help.map((entry) => entry.label).sort()).toEqual(SETTING_FIELDS.map((field) => field.label).sort());
    expect(new Set(SETTING_FIELDS.map((f) => f.key)).size).toBe(SETTING_FIELDS.length);
    // The schema refuses a field the form does not have, and wants every field the form sets.
    for (const model of ['logistic', 'mlp'] as const) {
      const settings = formDefaults[model];
      expect(accepts(settings)).toBe(true);
      expect(Object.keys(settings).every((key) => SETTING_FIELDS.some((f) => f.key === key))).toBe(true);
      for (const field of SETTING_FIELDS) {
        const without: Record<string, unknown> = { ...settings };
        delete without[field.key];
        expect(accepts(without), field.key).toBe(settings[field.key] === undefined || entryOf(field)?.defaults.logistic === AUTO);
      }
    }
  });

  it('with the same bounds', () => {
    for (const field of SETTING_FIELDS) {
      const entry = entryOf(field)!;
      const at = (value: unknown) => accepts({ ...DEFAULT_TRAIN_SETTINGS, [field.key]: value });
      if (field.options) {
        expect(entry.values, field.key).toEqual(field.options.filter((option) => option !== AUTO));
        for (const option of entry.values!) expect(at(option === 'true' ? true : option === 'false' ? false : option), option).toBe(true);
        expect(at('bogus'), field.key).toBe(false);
        continue;
      }
      expect([entry.min, entry.max], field.key).toEqual([field.min, field.max]);
      const step = field.step!;
      expect([at(field.min), at(field.max)], field.key).toEqual([true, true]);
      expect([at(field.min! - step), at(field.max! + step)], field.key).toEqual([false, false]);
      // A whole number refuses a half; a number takes one between its bounds.
      expect(at(entry.whole ? field.min! + 0.5 : (field.min! + field.max!) / 2), field.key).toBe(!entry.whole);
      expect(Number.isInteger(step), field.key).toBe(entry.whole);
    }
  });

  it('with the same defaults for each model', () => {
    for (const model of ['logistic', 'mlp'] as const) {
      const cli = trainSettings(model === 'mlp' ? { model: 'mlp' } : {});
      for (const field of SETTING_FIELDS) {
        const shown = fieldText(formDefaults[model], field.key);
        expect(shown, `${model} ${field.key}`).toBe(field.key === 'model' ? model : entryOf(field)!.defaults[model]);
        expect(fieldText(cli, field.key), `${model} ${field.key}`).toBe(shown);
      }
    }
    expect(formDefaults.mlp.learningRate).toBe(0.02);
    expect(trainSettings({ model: 'mlp' }).learningRate).toBe(0.02);
  });
});

describe('the Train form', () => {
  it('follows the model for the learning rate unless it was chosen by hand', () => {
    const mlp = withField(DEFAULT_TRAIN_SETTINGS, 'model', 'mlp');
    expect(withField(mlp, 'model', 'logistic')).toEqual(DEFAULT_TRAIN_SETTINGS);
    const chosen = withField(withField(DEFAULT_TRAIN_SETTINGS, 'learningRate', '0.05'), 'model', 'mlp');
    expect(chosen).toMatchObject({ model: 'mlp', learningRate: 0.05 });
  });

  it('leaves the backend to the machine on "auto"', () => {
    const wasm = withField(DEFAULT_TRAIN_SETTINGS, 'backend', 'wasm');
    expect(wasm.backend).toBe('wasm');
    expect(withField(wasm, 'backend', AUTO).backend).toBeUndefined();
    expect(accepts(withField(wasm, 'backend', AUTO))).toBe(true);
  });
});

describe('spamlab train flags', () => {
  const settings = (...args: string[]): TrainSettings =>
    trainSettings(Object.fromEntries(args.map((arg) => arg.replace(/^--/, '').split('=')).map(([k, v]) => [k!, v ?? true])));

  it('keep --class-weight NUMBER as the spam weight, and --no-refit', () => {
    expect(settings('--class-weight=3')).toMatchObject({ classWeighting: 'positive', positiveWeight: 3 });
    expect(settings('--class-weight=fbeta', '--beta=0.25')).toMatchObject({ classWeighting: 'fbeta', beta: 0.25 });
    expect(settings('--no-refit').refit).toBe(false);
    expect(settings('--model=mlp', '--learning-rate=0.3')).toMatchObject({ model: 'mlp', learningRate: 0.3 });
  });

  it('refuse what is out of bounds on the real command line, naming the flag', () => {
    const tooHigh = spamlab(['train', '--db', '/nonexistent/never-opened.db', '--learning-rate', '9']);
    expect(tooHigh.status).toBe(2);
    expect(tooHigh.stderr).toMatch(/train: --learning-rate: must be ≤ 5, got 9/);
    const both = spamlab(['train', '--db', '/nonexistent/never-opened.db', '--class-weight', '2', '--positive-weight', '3']);
    expect(both.status).toBe(2);
    expect(both.stderr).toMatch(/--class-weight NUMBER or --positive-weight/);
    const model = spamlab(['train', '--db', '/nonexistent/never-opened.db', '--model', 'forest']);
    expect(model.stderr).toMatch(/--model: expected one of logistic, mlp, got "forest"/);
  });
});
