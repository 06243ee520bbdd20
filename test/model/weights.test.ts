import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { decodeWeights, encodeWeights, ModelWeights } from '../../electron/backend/model/weights';
import { explain, logitOf } from '../../electron/backend/model/infer';

function model(kind: 'logistic' | 'mlp'): ModelWeights {
  const dim = kind === 'logistic' ? 1 : 4;
  const hidden = kind === 'logistic' ? 0 : 3;
  const table = new Float32Array(1024 * dim);
  for (let i = 0; i < table.length; i += 7) table[i] = Math.sin(i) * 0.5;
  return {
    kind,
    buckets: 1024,
    dim,
    hidden,
    tokenizerVersion: 4,
    table,
    w1: Float32Array.from({ length: dim * hidden }, (_, i) => Math.cos(i)),
    b1: Float32Array.from({ length: hidden }, () => 0.1),
    w2: Float32Array.from({ length: hidden }, (_, i) => i - 1),
    bias: -0.25,
  };
}

const ids = Uint32Array.from([0, 7, 14, 21, 500, 1001]);
const values = Float32Array.from([0.4, 0.3, 0.5, 0.2, 0.6, 0.3]);

describe('model files', () => {
  it('round-trips both kinds exactly', () => {
    for (const kind of ['logistic', 'mlp'] as const) {
      const original = model(kind);
      const decoded = decodeWeights(encodeWeights(original), 'test');
      expect(decoded).toEqual(original);
      expect(logitOf(decoded, ids, values)).toBe(logitOf(original, ids, values));
    }
  });

  it('refuses corrupt, truncated and foreign files, naming the source', () => {
    const file = encodeWeights(model('logistic'));
    const corrupt = Buffer.from(file);
    corrupt[100] ^= 0xff;
    expect(() => decodeWeights(corrupt, 'model.spamlab')).toThrow('model.spamlab: the model file is corrupt (checksum mismatch)');
    expect(() => decodeWeights(file.subarray(0, file.length - 9), 'cut.spamlab')).toThrow(/^cut\.spamlab: /);
    expect(() => decodeWeights(Buffer.from('PK\x03\x04 this is a zip file, not a model at all....................'), 'x.zip')).toThrow(
      'x.zip: not a spamlab model file',
    );
  });
});

/** A well-formed, correctly checksummed file with this header and payload: what someone who edits a model file can make. */
function sealed(header: unknown, payload: Buffer = Buffer.alloc(0)): Buffer {
  const json = Buffer.from(JSON.stringify(header));
  const lengths = Buffer.alloc(8);
  lengths.writeUInt32LE(1, 0);
  lengths.writeUInt32LE(json.length, 4);
  const body = Buffer.concat([Buffer.from('SPAMLABM', 'latin1'), lengths, json, payload]);
  return Buffer.concat([body, createHash('sha256').update(body).digest()]);
}

describe('tampered model files (checksum recomputed)', () => {
  it('refuses NaN and infinite weights wherever they are, naming the file', () => {
    const nanTable = model('logistic');
    nanTable.table[7] = NaN;
    expect(() => decodeWeights(encodeWeights(nanTable), 'nan.spamlab')).toThrow('nan.spamlab: the table holds NaN, not a finite number');
    const infOutput = model('mlp');
    infOutput.w2[2] = -Infinity;
    expect(() => decodeWeights(encodeWeights(infOutput), 'inf.spamlab')).toThrow(
      'inf.spamlab: the output layer holds -Infinity, not a finite number',
    );
    const nanHidden = model('mlp');
    nanHidden.w1[0] = NaN;
    expect(() => decodeWeights(encodeWeights(nanHidden), 'h.spamlab')).toThrow(
      'h.spamlab: the hidden layer holds NaN, not a finite number',
    );
  });

  it('refuses a header that is not an object, naming the file', () => {
    for (const header of [null, 7, 'mlp', [1, 2]]) {
      expect(() => decodeWeights(sealed(header), 'odd.spamlab')).toThrow('odd.spamlab: the header is not an object');
    }
  });

  it('refuses absurd dimensions before allocating anything', () => {
    const huge = { kind: 'mlp', buckets: 2 ** 24, dim: 1024, hidden: 0, tokenizerVersion: 4, bias: 0, rows: 0 };
    expect(() => decodeWeights(sealed(huge), 'huge.spamlab')).toThrow(
      'huge.spamlab: a table of 16777216 × 1024 is larger than any spamlab trains (33554432 weights)',
    );
  });
});

describe('explanations', () => {
  it('adds up exactly to the logit for the logistic model', () => {
    const w = model('logistic');
    const e = explain(w, ids, values);
    expect(e.exact).toBe(true);
    expect(e.bias + e.contributions.reduce((a, b) => a + b, 0)).toBeCloseTo(logitOf(w, ids, values), 12);
  });

  it('is a stated approximation for the mlp', () => {
    expect(explain(model('mlp'), ids, values).exact).toBe(false);
  });
});
