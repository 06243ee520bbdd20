// A database holding one imported logistic model with every weight the same, as `spamlab import-model` stores one.
import path from 'node:path';
import { DEFAULT_TRAIN_SETTINGS } from '../../shared/types';
import { TOKENIZER_VERSION } from '../../electron/backend/features/tokenizer';
import { encodeWeights } from '../../electron/backend/model/weights';
import { openStore } from '../../electron/backend/store/open';
import { insertImportedRun } from '../../electron/backend/store/runs';

export function dbWithModel(dir: string, name: string, weight: number, runName = 'test model'): string {
  const file = path.join(dir, name);
  const db = openStore(file);
  const buckets = 1024;
  const model = encodeWeights({
    kind: 'logistic',
    buckets,
    dim: 1,
    hidden: 0,
    tokenizerVersion: TOKENIZER_VERSION,
    table: new Float32Array(buckets).fill(weight),
    w1: new Float32Array(0),
    b1: new Float32Array(0),
    w2: new Float32Array(0),
    bias: 0,
  });
  insertImportedRun(db, runName, DEFAULT_TRAIN_SETTINGS, TOKENIZER_VERSION, model);
  db.close();
  return file;
}
