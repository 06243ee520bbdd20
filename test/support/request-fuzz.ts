// Request bodies made from the contract's own schemas (shared/contract.ts
// `requests`, described by shared/schema.ts `Spec`): fast-check arbitraries of
// valid bodies, and of bodies each broken in one place (a wrong type, a field
// missing or unknown, an inherited name, a number out of range or past 2^53, a
// string or list too long). For the HTTP soak (soak/http.soak.ts) and
// test/web/request-fuzz.test.ts, which checks the generators against the schemas.
import fc from 'fast-check';
import type { Spec } from '../../shared/schema';

/** Replaces the generated value at a field path ("paths[]", "settings.epochs"): keeps valid requests that write to safe places. */
export type Overrides = Readonly<Record<string, fc.Arbitrary<unknown>>>;

/**
 * A JSON token to put in the body as written ("1e400" parses as Infinity, "-0" as -0): JSON.stringify
 * cannot write these, so they travel as marked strings and `toJson` puts the token in their place.
 */
const RAW = '\u0000raw:';
const raw = (token: string) => `${RAW}${token}`;
export const toJson = (value: unknown) =>
  JSON.stringify(value).replace(/"\\u0000raw:([^"]*)"/g, (_, token: string) => token.replace(/\\\\/g, '\\'));

/** Names an object has without owning them: the schema must refuse them as unknown fields. */
export const INHERITED = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', '__defineGetter__', 'isPrototypeOf'];

/** An object with these own fields; '__proto__' included as an own field, as JSON.parse makes it. */
function own(entries: Array<[string, unknown]>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of entries) Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
  return out;
}

const text = (min: number, max: number) =>
  fc
    .oneof(
      { weight: 6, arbitrary: fc.string({ minLength: min, maxLength: Math.min(max, Math.max(min, 40)) }) },
      { weight: 2, arbitrary: fc.string({ minLength: min, maxLength: Math.min(max, Math.max(min, 200)), unit: 'binary' }) },
      { weight: 1, arbitrary: fc.string({ minLength: min, maxLength: Math.min(max, Math.max(min, 5000)), unit: 'grapheme' }) },
    )
    .filter((s) => s.length >= min && s.length <= max);

function validNumber(spec: Extract<Spec, { kind: 'number' }>): fc.Arbitrary<number> {
  const min = spec.min ?? -Number.MAX_SAFE_INTEGER;
  const max = spec.max ?? Number.MAX_SAFE_INTEGER;
  if (!spec.int) return fc.double({ min, max, noNaN: true, noDefaultInfinity: true }).map((n) => (Object.is(n, -0) ? 0 : n));
  // Mostly small ones, so ids name messages and runs that exist; sometimes anywhere in range.
  const low = Math.max(min, Math.min(0, max));
  const small = fc.integer({ min: low, max: Math.min(max, low + 400) });
  if (max - min <= 400) return small;
  const fits32 = min >= -(2 ** 31) && max <= 2 ** 31 - 1;
  const anywhere = fits32 ? fc.integer({ min, max }) : fc.maxSafeInteger().filter((n) => n >= min && n <= max);
  return fc.oneof({ weight: 5, arbitrary: small }, { weight: 1, arbitrary: anywhere });
}

export function validValue(spec: Spec, overrides: Overrides = {}, path = ''): fc.Arbitrary<unknown> {
  const override = overrides[path];
  if (override) return override;
  switch (spec.kind) {
    case 'string':
      return text(spec.min, spec.max);
    case 'number':
      return validNumber(spec);
    case 'boolean':
      return fc.boolean();
    case 'enum':
      return fc.constantFrom(...spec.values);
    case 'nullable':
      return fc.oneof(fc.constant(null), validValue(spec.inner, overrides, path));
    case 'optional':
      return fc.oneof(fc.constant(undefined), validValue(spec.inner, overrides, path));
    case 'array':
      return fc.array(validValue(spec.items, overrides, `${path}[]`), { maxLength: Math.min(spec.max, 6) });
    case 'object': {
      const fields = Object.entries(spec.fields).map(([key, field]) => validValue(field, overrides, join(path, key)).map((v) => [key, v]));
      return fc
        .tuple(...fields)
        .map((entries) => Object.fromEntries((entries as Array<[string, unknown]>).filter(([, v]) => v !== undefined)));
    }
  }
}

const join = (path: string, key: string) => (path ? `${path}.${key}` : key);

/** Values of every JSON type but those `keep` accepts. */
function wrongType(keep: (value: unknown) => boolean): fc.Arbitrary<unknown> {
  return fc
    .constantFrom<unknown>(null, true, false, 0, 1, -1, 'x', '', '1', 'true', [], [1], {}, { a: 1 }, raw('1e400'), raw('-1e400'))
    .filter((v) => isRaw(v) || !keep(v));
}

const isString = (v: unknown) => typeof v === 'string';
const isRaw = (v: unknown) => isString(v) && (v as string).startsWith(RAW);

function invalidString(spec: Extract<Spec, { kind: 'string' }>): fc.Arbitrary<unknown> {
  const options: fc.Arbitrary<unknown>[] = [wrongType(isString)];
  // Longer than allowed, where that still fits in a request body (the 2 MB limit answers the rest with 413).
  if (spec.max < 100_000) options.push(fc.integer({ min: 1, max: 50 }).map((extra) => 'x'.repeat(spec.max + extra)));
  if (spec.min > 0) options.push(fc.constant(''));
  return fc.oneof(...options);
}

function invalidNumber(spec: Extract<Spec, { kind: 'number' }>): fc.Arbitrary<unknown> {
  const options: fc.Arbitrary<unknown>[] = [
    wrongType((v) => typeof v === 'number'),
    fc.constantFrom(raw('1e400'), raw('-1e400'), raw('NaN'), raw('Infinity'), raw('0x10'), raw('01')),
  ];
  if (spec.int) {
    options.push(
      fc.constantFrom(0.5, 1.5, 2 ** 53, -(2 ** 53), 1e300, -1e300, raw('9007199254740993'), 1.7976931348623157e308, raw('1e21')),
    );
  }
  const { min, max } = spec;
  if (min !== undefined) options.push(fc.double({ max: min, noNaN: true, noDefaultInfinity: true }).filter((n) => n < min));
  if (max !== undefined) options.push(fc.double({ min: max, noNaN: true, noDefaultInfinity: true }).filter((n) => n > max));
  return fc.oneof(...options);
}

export function invalidValue(spec: Spec, overrides: Overrides = {}, path = ''): fc.Arbitrary<unknown> {
  switch (spec.kind) {
    case 'string':
      return invalidString(spec);
    case 'number':
      return invalidNumber(spec);
    case 'boolean':
      return wrongType((v) => typeof v === 'boolean');
    case 'enum':
      return fc.oneof(
        wrongType(isString),
        fc.constantFrom(...spec.values).map((v) => v.toUpperCase()),
        fc.constantFrom(...spec.values).map((v) => `${v} `),
        fc.string({ maxLength: 20 }).filter((v) => !spec.values.includes(v)),
        fc.constantFrom(...INHERITED),
      );
    case 'nullable':
      return invalidValue(spec.inner, overrides, path).filter((v) => v !== null);
    case 'optional':
      return invalidValue(spec.inner, overrides, path).filter((v) => v !== undefined);
    case 'array': {
      const item = validValue(spec.items, overrides, `${path}[]`);
      const options: fc.Arbitrary<unknown>[] = [
        wrongType(Array.isArray).filter((v) => !Array.isArray(v)),
        fc.tuple(fc.array(item, { maxLength: 3 }), invalidValue(spec.items, overrides, `${path}[]`), fc.nat()).map(([items, bad, at]) => {
          items.splice(at % (items.length + 1), 0, bad);
          return items;
        }),
      ];
      if (spec.max < 2000) options.push(item.map((one) => Array.from({ length: spec.max + 1 }, () => one)));
      return fc.oneof(...options);
    }
    case 'object':
      return invalidObject(spec, overrides, path);
  }
}

function invalidObject(spec: Extract<Spec, { kind: 'object' }>, overrides: Overrides, path: string): fc.Arbitrary<unknown> {
  const keys = Object.keys(spec.fields);
  const valid = validValue(spec, overrides, path) as fc.Arbitrary<Record<string, unknown>>;
  const required = keys.filter((k) => spec.fields[k]!.kind !== 'optional');
  const unknownKey = fc.oneof(
    fc.constantFrom(...INHERITED),
    fc.string({ minLength: 1, maxLength: 12 }).filter((k) => !keys.includes(k)),
  );
  const options: fc.Arbitrary<unknown>[] = [
    wrongType((v) => typeof v === 'object' && v !== null && !Array.isArray(v)).filter(
      (v) => typeof v !== 'object' || v === null || Array.isArray(v),
    ),
    fc.tuple(valid, unknownKey, fc.jsonValue({ maxDepth: 2 })).map(([body, key, value]) => own([...Object.entries(body), [key, value]])),
  ];
  if (required.length) {
    options.push(fc.tuple(valid, fc.constantFrom(...required)).map(([body, key]) => own(Object.entries(body).filter(([k]) => k !== key))));
  }
  if (keys.length) {
    const broken = fc
      .constantFrom(...keys)
      .chain((key) =>
        fc
          .tuple(valid, invalidValue(spec.fields[key]!, overrides, join(path, key)))
          .map(([body, bad]) => own([...Object.entries(body).filter(([k]) => k !== key), [key, bad]])),
      );
    options.push(broken, broken);
  }
  return fc.oneof(...options);
}
