// A trained model's parameters and their file format. The format is
// self-checking: magic, format version, shapes, tokenizer version and a
// SHA-256 of everything before it, so a corrupt or foreign file is refused.
import { createHash } from 'node:crypto';
import type { ModelKind } from '../../../shared/types';
import { normalizeEntry, SENDER_LISTS, SenderList } from '../../../shared/sender-lists';

export interface ModelWeights {
  kind: ModelKind;
  buckets: number;
  /** Embedding width: 1 for the logistic model. */
  dim: number;
  /** Hidden units: 0 for the logistic model. */
  hidden: number;
  tokenizerVersion: number;
  /** buckets × dim, row-major. */
  table: Float32Array;
  /** dim × hidden, row-major (empty for logistic). */
  w1: Float32Array;
  b1: Float32Array;
  w2: Float32Array;
  /** The output bias: the logit of an empty message. */
  bias: number;
  /** The decision policy the model file carries (format version 2); absent in files from before. */
  policy?: ModelPolicy;
}

export interface ModelPolicy {
  threshold: number;
  unsureBelow: number | null;
  /** The sender lists, when the export was asked to carry them. */
  lists?: Record<SenderList, string[]>;
}

const MAX_LIST_ENTRIES = 100_000;

const MAGIC = 'SPAMLABM';

/** How many bytes say a file is a spamlab model, and whether bytes start that way (checked before one is overwritten). */
export const MODEL_MAGIC_LENGTH = MAGIC.length;
export const startsAsModelFile = (head: Uint8Array) => Buffer.from(head).subarray(0, MAGIC.length).toString('latin1') === MAGIC;
/** Version 2 is version 1 with a decision policy in the header: a file without one is still written, and read, as 1. */
const FORMAT_VERSION = 1;
const WITH_POLICY_VERSION = 2;
const CHECKSUM_BYTES = 32;
// The largest table the app trains is 2^18 buckets × 128 wide. Unlike the dense layers, the table is not all in
// the file (unused rows are left out), so its size is bounded here, before it is allocated.
const MAX_TABLE_FLOATS = 2 ** 25;
/** The largest table, every weight with a row id (at most one per weight), and room for the dense layers. */
export const MAX_MODEL_FILE_BYTES = MAX_TABLE_FLOATS * 8 + 64 * 1024 * 1024;

/** Rows of the table that are not all zero: most buckets are never touched, so files stay small. */
function usedRows(w: ModelWeights): number[] {
  const rows: number[] = [];
  for (let r = 0; r < w.buckets; r++) {
    for (let d = 0; d < w.dim; d++) {
      if (w.table[r * w.dim + d] !== 0) {
        rows.push(r);
        break;
      }
    }
  }
  return rows;
}

export function encodeWeights(w: ModelWeights): Buffer {
  const rows = usedRows(w);
  const header = Buffer.from(
    JSON.stringify({
      kind: w.kind,
      buckets: w.buckets,
      dim: w.dim,
      hidden: w.hidden,
      tokenizerVersion: w.tokenizerVersion,
      bias: w.bias,
      rows: rows.length,
      ...(w.policy ? { policy: w.policy } : {}),
    }),
    'utf8',
  );
  const floats = rows.length * w.dim + w.w1.length + w.b1.length + w.w2.length;
  const body = Buffer.alloc(MAGIC.length + 8 + header.length + rows.length * 4 + floats * 4);
  let at = body.write(MAGIC, 0, 'latin1');
  at = body.writeUInt32LE(w.policy ? WITH_POLICY_VERSION : FORMAT_VERSION, at);
  at = body.writeUInt32LE(header.length, at);
  at += header.copy(body, at);
  for (const r of rows) at = body.writeUInt32LE(r, at);
  for (const r of rows) for (let d = 0; d < w.dim; d++) at = body.writeFloatLE(w.table[r * w.dim + d]!, at);
  for (const array of [w.w1, w.b1, w.w2]) for (const v of array) at = body.writeFloatLE(v, at);
  return Buffer.concat([body, createHash('sha256').update(body).digest()]);
}

interface Header {
  kind: ModelKind;
  buckets: number;
  dim: number;
  hidden: number;
  tokenizerVersion: number;
  bias: number;
  rows: number;
  policy?: ModelPolicy;
}

function checkPolicy(policy: unknown, fail: (why: string) => never): ModelPolicy {
  const p = policy as Partial<ModelPolicy> | null;
  const isShare = (n: unknown): n is number => typeof n === 'number' && n >= 0 && n <= 1;
  if (typeof p !== 'object' || p === null || !isShare(p.threshold)) return fail('policy.threshold: expected a number from 0 to 1');
  if (p.unsureBelow !== null && !(isShare(p.unsureBelow) && p.unsureBelow <= p.threshold)) {
    return fail('policy.unsureBelow: expected null or a number from 0 to the threshold');
  }
  if (p.lists === undefined) return { threshold: p.threshold, unsureBelow: p.unsureBelow };
  const lists = p.lists as Partial<Record<SenderList, unknown>> | null;
  if (typeof lists !== 'object' || lists === null) return fail('policy.lists: expected an object with allow and block lists');
  const checked = {} as Record<SenderList, string[]>;
  for (const list of SENDER_LISTS) {
    const entries = lists[list];
    if (!Array.isArray(entries) || entries.length > MAX_LIST_ENTRIES)
      return fail(`policy.lists.${list}: expected a list of addresses and domains`);
    checked[list] = entries.map((entry: unknown, i) => {
      const normalized = typeof entry === 'string' ? normalizeEntry(entry) : null;
      return normalized ?? fail(`policy.lists.${list}[${i}]: not an address or a domain`);
    });
  }
  return { threshold: p.threshold, unsureBelow: p.unsureBelow, lists: checked };
}

function readHeader(body: Buffer, version: number, fail: (why: string) => never): { header: Header; at: number } {
  const length = body.readUInt32LE(MAGIC.length + 4);
  if (MAGIC.length + 8 + length > body.length) fail('truncated header');
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8', MAGIC.length + 8, MAGIC.length + 8 + length));
  } catch {
    return fail('unreadable header');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return fail('the header is not an object');
  const header = parsed as Header;
  const isCount = (n: unknown, max: number) => Number.isInteger(n) && (n as number) >= 0 && (n as number) <= max;
  if (header.kind !== 'logistic' && header.kind !== 'mlp') fail(`unknown model kind ${JSON.stringify(header.kind)}`);
  if (!isCount(header.buckets, 2 ** 24) || header.buckets < 1) fail(`bad bucket count ${header.buckets}`);
  if (!isCount(header.dim, 1024) || header.dim < 1) fail(`bad embedding width ${header.dim}`);
  if (!isCount(header.hidden, 4096)) fail(`bad hidden width ${header.hidden}`);
  if (header.kind === 'logistic' && (header.dim !== 1 || header.hidden !== 0))
    fail('a logistic model must have width 1 and no hidden layer');
  if (header.buckets * header.dim > MAX_TABLE_FLOATS)
    fail(`a table of ${header.buckets} × ${header.dim} is larger than any spamlab trains (${MAX_TABLE_FLOATS} weights)`);
  if (!isCount(header.rows, header.buckets)) fail(`bad row count ${header.rows}`);
  if (!Number.isSafeInteger(header.tokenizerVersion) || typeof header.bias !== 'number' || !Number.isFinite(header.bias))
    fail('bad header fields');
  if (version === WITH_POLICY_VERSION) header.policy = checkPolicy(header.policy, fail);
  else delete header.policy;
  return { header, at: MAGIC.length + 8 + length };
}

/** A NaN or infinite weight makes every probability NaN: such a file is refused, checksum or not. */
function assertFinite(values: Float32Array, where: string, fail: (why: string) => never): Float32Array {
  const bad = values.find((v) => !Number.isFinite(v));
  if (bad !== undefined) fail(`${where} holds ${bad}, not a finite number`);
  return values;
}

/** Reads a model file; `source` names it in every error. */
export function decodeWeights(file: Buffer, source: string): ModelWeights {
  const fail = (why: string): never => {
    throw new Error(`${source}: ${why}`);
  };
  if (file.length < MAGIC.length + 8 + CHECKSUM_BYTES || file.toString('latin1', 0, MAGIC.length) !== MAGIC) {
    fail('not a spamlab model file');
  }
  const body = file.subarray(0, file.length - CHECKSUM_BYTES);
  if (
    !createHash('sha256')
      .update(body)
      .digest()
      .equals(file.subarray(file.length - CHECKSUM_BYTES))
  ) {
    fail('the model file is corrupt (checksum mismatch)');
  }
  const version = body.readUInt32LE(MAGIC.length);
  if (version !== FORMAT_VERSION && version !== WITH_POLICY_VERSION) {
    fail(`model format version ${version} is not supported (this spamlab reads versions ${FORMAT_VERSION} and ${WITH_POLICY_VERSION})`);
  }
  const { header, at: start } = readHeader(body, version, fail);
  const { buckets, dim, hidden, rows } = header;
  const expected = start + rows * 4 + (rows * dim + dim * hidden + hidden + hidden) * 4;
  if (body.length !== expected) fail(`expected ${expected} bytes of weights for the shapes in its header, found ${body.length}`);
  // One aligned copy read as little-endian words: every platform spamlab runs on (x64, arm64) is little-endian.
  const words = new Uint8Array(body.subarray(start)).buffer;
  const rowIds = new Uint32Array(words, 0, rows);
  const rowValues = new Float32Array(words, rows * 4, rows * dim);
  assertFinite(rowValues, 'the table', fail);
  const table = new Float32Array(buckets * dim);
  for (let i = 0; i < rows; i++) {
    const r = rowIds[i]!;
    if (r >= buckets) fail(`row ${r} is outside the table of ${buckets}`);
    for (let d = 0; d < dim; d++) table[r * dim + d] = rowValues[i * dim + d]!;
  }
  let at = rows * 4 + rows * dim * 4;
  const floats = (n: number) => {
    const out = new Float32Array(words, at, n).slice();
    at += n * 4;
    return out;
  };
  const w1 = assertFinite(floats(dim * hidden), 'the hidden layer', fail);
  const b1 = assertFinite(floats(hidden), 'the hidden biases', fail);
  const w2 = assertFinite(floats(hidden), 'the output layer', fail);
  const weights: ModelWeights = {
    kind: header.kind,
    buckets,
    dim,
    hidden,
    tokenizerVersion: header.tokenizerVersion,
    table,
    w1,
    b1,
    w2,
    bias: header.bias,
  };
  if (header.policy) weights.policy = header.policy;
  return weights;
}
