// The HTTP soak's generators (test/support/request-fuzz.ts) say what they make:
// every "valid" body passes its method's schema and every "invalid" one is
// refused by it, for every method of the contract.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { requests, type Method } from '../../shared/contract';
import { ValidationError } from '../../shared/schema';
import { invalidValue, toJson, validValue } from '../support/request-fuzz';

const methods = Object.keys(requests) as Method[];

/** The body as the host reads it: written as JSON text, then parsed. */
const roundTrip = (body: unknown): { parsed: unknown } | null => {
  try {
    return { parsed: JSON.parse(toJson(body)) };
  } catch {
    return null;
  }
};

describe('requests generated from the contract', () => {
  it.each(methods)('%s: valid bodies pass its schema, broken ones are refused', (method) => {
    const schema = requests[method];
    for (const body of fc.sample(validValue(schema.spec), { numRuns: 200, seed: 1 })) {
      expect(() => schema.parse(roundTrip(body)!.parsed), toJson(body).slice(0, 300)).not.toThrow();
    }
    let refusedAsJson = 0;
    for (const body of fc.sample(invalidValue(schema.spec), { numRuns: 300, seed: 2 })) {
      const read = roundTrip(body);
      // Tokens JSON does not allow (NaN, 0x10) are refused before any schema; the host answers them 400 too.
      if (!read) continue;
      refusedAsJson++;
      expect(() => schema.parse(read.parsed), toJson(body).slice(0, 300)).toThrow(ValidationError);
    }
    expect(refusedAsJson).toBeGreaterThan(200);
  });

  it('writes inherited names as own fields, and numbers JSON.stringify cannot write', () => {
    const body = fc.sample(invalidValue(requests['labels.undo'].spec), { numRuns: 2000, seed: 3 }).map(toJson);
    const proto = body.find((text) => text.startsWith('{"__proto__":'));
    expect(Object.keys(JSON.parse(proto!) as object)).toEqual(['__proto__']);
    expect(body).toContain('1e400');
  });
});
