// A small runtime validator whose schemas also give the TypeScript type, so a
// request's shape is written once. Errors name the field path that was wrong.

export class ValidationError extends Error {
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(`${path || 'request'}: ${message}`);
    this.name = 'ValidationError';
  }
}

/** What a schema accepts, as data: requests can be generated from it (npm run soak -- http) without restating the contract. */
export type Spec =
  | { kind: 'string'; min: number; max: number }
  | { kind: 'number'; min?: number; max?: number; int: boolean }
  | { kind: 'boolean' }
  | { kind: 'enum'; values: readonly string[] }
  | { kind: 'nullable'; inner: Spec }
  | { kind: 'optional'; inner: Spec }
  | { kind: 'array'; items: Spec; max: number }
  | { kind: 'object'; fields: Readonly<Record<string, Spec>> };

export interface Schema<T> {
  parse(value: unknown, path?: string): T;
  readonly spec: Spec;
}

export type Infer<S> = S extends Schema<infer T> ? T : never;

const describe = (value: unknown): string => (value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value);

const schema = <T>(spec: Spec, parse: (value: unknown, path: string) => T): Schema<T> => ({
  spec,
  parse: (value, path = '') => parse(value, path),
});

export const str = (opts: { max?: number; min?: number } = {}): Schema<string> => {
  const max = opts.max ?? 10_000;
  const min = opts.min ?? 0;
  return schema({ kind: 'string', min, max }, (value, path) => {
    if (typeof value !== 'string') throw new ValidationError(path, `expected a string, got ${describe(value)}`);
    if (value.length > max) throw new ValidationError(path, `longer than ${max} characters`);
    if (value.length < min) throw new ValidationError(path, `shorter than ${min} characters`);
    return value;
  });
};

export const num = (opts: { min?: number; max?: number; int?: boolean } = {}): Schema<number> =>
  schema({ kind: 'number', min: opts.min, max: opts.max, int: opts.int === true }, (value, path) => {
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      throw new ValidationError(path, `expected a finite number, got ${describe(value)}`);
    }
    // A safe integer only: past 2^53 neighbours are equal, and SQLite's integers end at 2^63.
    if (opts.int && !Number.isSafeInteger(value)) throw new ValidationError(path, `expected an integer within ±2^53, got ${value}`);
    if (opts.min !== undefined && value < opts.min) throw new ValidationError(path, `must be ≥ ${opts.min}, got ${value}`);
    if (opts.max !== undefined && value > opts.max) throw new ValidationError(path, `must be ≤ ${opts.max}, got ${value}`);
    return value;
  });

export const int = (opts: { min?: number; max?: number } = {}): Schema<number> => num({ ...opts, int: true });

export const bool = (): Schema<boolean> =>
  schema({ kind: 'boolean' }, (value, path) => {
    if (typeof value !== 'boolean') throw new ValidationError(path, `expected true or false, got ${describe(value)}`);
    return value;
  });

export const oneOf = <const T extends readonly string[]>(values: T): Schema<T[number]> =>
  schema({ kind: 'enum', values }, (value, path) => {
    if (typeof value !== 'string' || !values.includes(value)) {
      throw new ValidationError(path, `expected one of ${values.join(', ')}, got ${JSON.stringify(value)}`);
    }
    return value as T[number];
  });

export const nullable = <T>(inner: Schema<T>): Schema<T | null> =>
  schema({ kind: 'nullable', inner: inner.spec }, (value, path) => (value === null ? null : inner.parse(value, path)));

export const optional = <T>(inner: Schema<T>): Schema<T | undefined> =>
  schema({ kind: 'optional', inner: inner.spec }, (value, path) => (value === undefined ? undefined : inner.parse(value, path)));

export const arrayOf = <T>(inner: Schema<T>, opts: { max?: number } = {}): Schema<T[]> => {
  const max = opts.max ?? 1000;
  return schema({ kind: 'array', items: inner.spec, max }, (value, path) => {
    if (!Array.isArray(value)) throw new ValidationError(path, `expected an array, got ${describe(value)}`);
    if (value.length > max) throw new ValidationError(path, `more than ${max} items`);
    return value.map((item, i) => inner.parse(item, `${path}[${i}]`));
  });
};

type Shape = Record<string, Schema<unknown>>;
type ObjectOf<S extends Shape> = { [K in keyof S as undefined extends Infer<S[K]> ? never : K]: Infer<S[K]> } & {
  [K in keyof S as undefined extends Infer<S[K]> ? K : never]?: Infer<S[K]>;
};

/** A plain object with exactly these fields: unknown fields are refused, not ignored. */
export const obj = <S extends Shape>(shape: S): Schema<ObjectOf<S>> =>
  schema({ kind: 'object', fields: Object.fromEntries(Object.entries(shape).map(([key, field]) => [key, field.spec])) }, (value, path) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw new ValidationError(path, `expected an object, got ${describe(value)}`);
    }
    const record = value as Record<string, unknown>;
    for (const key of Object.keys(record)) {
      // Own fields only: `in` would take `__proto__`, `constructor` or `toString` for known ones.
      if (!Object.hasOwn(shape, key)) throw new ValidationError(path ? `${path}.${key}` : key, 'unknown field');
    }
    const out: Record<string, unknown> = {};
    for (const [key, field] of Object.entries(shape)) {
      const parsed = field.parse(Object.hasOwn(record, key) ? record[key] : undefined, path ? `${path}.${key}` : key);
      if (parsed !== undefined) out[key] = parsed;
    }
    return out as ObjectOf<S>;
  });
