// A run's model as a file: written out, or checked and stored as a run.
import fs from 'node:fs';
import path from 'node:path';
import { ApiError } from '../../../shared/errors';
import { DEFAULT_TRAIN_SETTINGS } from '../../../shared/types';
import type { Handlers } from './context';
import { TOKENIZER_VERSION } from '../features/tokenizer';
import { decodeWeights, encodeWeights, MAX_MODEL_FILE_BYTES, MODEL_MAGIC_LENGTH, ModelWeights, startsAsModelFile } from '../model/weights';
import { readRegularFile, writeRegularFile } from '../files';
import { getRun, insertImportedRun, runModel, setPolicy } from '../store/runs';
import { listEntries, putEntries } from '../store/sender-lists';
import { absolutePath } from './absolute-path';
import { SENDER_LISTS } from '../../../shared/sender-lists';
import { resolveRun } from './classify';

function readModelFile(file: string): { bytes: Buffer; weights: ModelWeights } {
  const bytes = readRegularFile(file, MAX_MODEL_FILE_BYTES);
  let weights: ModelWeights;
  try {
    weights = decodeWeights(bytes, file);
  } catch (err) {
    throw new ApiError('bad-input', (err as Error).message);
  }
  if (weights.tokenizerVersion !== TOKENIZER_VERSION) {
    throw new ApiError(
      'bad-input',
      `${file}: the model was trained on tokenizer version ${weights.tokenizerVersion}, this spamlab tokenizes with version ${TOKENIZER_VERSION}; retrain it`,
    );
  }
  return { bytes, weights };
}

/**
 * Exporting may replace an older model file, nothing else: the request reaches
 * the backend from the window and the web host too, and must not be a way to
 * write over someone's files.
 */
function refuseToOverwriteOther(file: string): void {
  const head = Buffer.alloc(MODEL_MAGIC_LENGTH);
  let fd: number;
  try {
    fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
  } catch {
    return; // nothing there (or nothing readable): writing reports what is wrong
  }
  try {
    if (!fs.fstatSync(fd).isFile()) return;
    const read = fs.readSync(fd, head, 0, head.length, 0);
    if (read > 0 && !startsAsModelFile(head.subarray(0, read)))
      throw new ApiError('bad-input', `${file}: exists and is not a spamlab model file; not overwritten`);
  } finally {
    fs.closeSync(fd);
  }
}

export const modelHandlers: Handlers<'models.export' | 'models.import'> = {
  'models.export': (request, ctx) => {
    const file = absolutePath('file', request.file);
    const runId = resolveRun(ctx, request.runId);
    refuseToOverwriteOther(file);
    const { threshold, unsureBelow } = getRun(ctx.db, runId);
    const weights = decodeWeights(runModel(ctx.db, runId), `run ${runId}`);
    const lists = request.withLists ? { lists: listEntries(ctx.db) } : {};
    writeRegularFile(file, encodeWeights({ ...weights, policy: { threshold, unsureBelow, ...lists } }));
    return { runId, file };
  },
  'models.import': (request, { db }) => {
    const file = absolutePath('file', request.file);
    const { bytes, weights } = readModelFile(file);
    const settings = {
      ...DEFAULT_TRAIN_SETTINGS,
      model: weights.kind,
      embeddingDim: weights.dim,
      hiddenUnits: Math.max(1, weights.hidden),
    };
    const { policy } = weights;
    const runId = db.transaction(() => {
      const id = insertImportedRun(db, request.name ?? path.basename(file), settings, weights.tokenizerVersion, bytes);
      if (policy) setPolicy(db, id, policy.threshold, policy.unsureBelow);
      // Lists carried in are added to the ones here: an entry on both takes the file's list.
      if (policy?.lists) for (const list of SENDER_LISTS) putEntries(db, list, policy.lists[list]);
      return id;
    })();
    return { runId };
  },
};
