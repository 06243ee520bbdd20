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
