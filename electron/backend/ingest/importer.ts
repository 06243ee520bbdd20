import path from 'node:path';
import type { ImportFailure, ImportSummary, Label, ParsedMail } from '../../../shared/types';
import { type Db, writeTransaction } from '../store/open';
import { storeMessage } from '../store/messages';
import { putFeatureRow } from '../store/features';
import { featureBlobsOf } from '../features/cache';
import { TOKENIZER_VERSION } from '../features/tokenizer';
import type { TokenCounts } from '../features/vectorize';
import { currentLabel, LabelOrigin, setLabel } from '../store/labels';
import { addImportCounts, dropEmptyImport, finishImport, startImport } from '../store/imports';
import { parseRecord } from './parse';
import { createParsePool, ParsePool } from './parse-pool';
import { readSources, SourceItem } from './sources';

export interface ImportOptions {
  /** Label given to every imported message (a record's own label wins). */
  label: Label | null;
  origin: LabelOrigin;
  /** Recorded as every message's source instead of its file (the labeling exercise must not tell spam.mbox from ham.mbox). */
  sourceName?: string;
  batchSize?: number;
  onProgress?: (progress: { done: number; failed: number; duplicates: number; file: string }) => void;
}

export interface Pending {
  mail: ParsedMail;
  source: string;
  sourceRef: string | null;
  raw: Uint8Array | null;
  label: Label | null;
  /** Tokens counted while parsing, cached with the message; null for records, tokenized when first needed. */
  tokens: TokenCounts | null;
}

const MAX_REPORTED_FAILURES = 1000;

/** Import batches being written by this process: one is not undone while it still adds messages. */
const running = new Set<number>();
export const importRunning = (importId: number) => running.has(importId);
/** Marks a batch as being written until the returned function is called. */
export function holdImport(importId: number): () => void {
  running.add(importId);
  return () => running.delete(importId);
}
/** Messages being parsed ahead of the one written next. */
const PARSE_WINDOW = 1000;

/**
 * Imports mail from files and folders. Messages are parsed outside the
 * database and written in one transaction per batch, so a killed import leaves
 * whole batches only; a message that fails is reported and the rest go on.
 * The import is recorded as one batch (store/imports.ts) and each message it
 * adds carries the batch's id, so it can be listed and undone.
 */
export async function importPaths(db: Db, paths: string[], opts: ImportOptions): Promise<ImportSummary> {
  const started = performance.now();
  // A named source hides its files (the labeling exercise): the name stands for the paths.
  const asked = opts.sourceName === undefined ? paths.map((p) => path.resolve(p)) : [opts.sourceName];
  const importId = startImport(db, asked, opts.origin);
  const release = holdImport(importId);
  try {
    const summary = await importInto(db, paths, opts, importId);
    finishImport(db, importId, summary.failed);
    summary.seconds = (performance.now() - started) / 1000;
    return summary;
  } catch (err) {
    // An import that stopped before storing anything leaves no batch behind.
    dropEmptyImport(db, importId);
    throw err;
  } finally {
    release();
  }
}

async function importInto(db: Db, paths: string[], opts: ImportOptions, importId: number): Promise<ImportSummary> {
  const batchSize = opts.batchSize ?? 500;
  const summary: ImportSummary = { imported: 0, duplicates: 0, failed: 0, labeled: 0, failures: [], bytes: 0, seconds: 0 };
  const fail = (failure: ImportFailure) => {
    summary.failed++;
    if (summary.failures.length < MAX_REPORTED_FAILURES) summary.failures.push(failure);
  };
  let batch: Pending[] = [];
  let lastFile = '';
  const flush = () => {
    writeBatch(db, batch, opts.origin, summary, importId);
    batch = [];
    opts.onProgress?.({ done: summary.imported, failed: summary.failed, duplicates: summary.duplicates, file: lastFile });
  };

  const accept = (pending: Pending | { error: ImportFailure }) => {
    if ('error' in pending) fail(pending.error);
    else {
      summary.bytes += pending.mail.size;
      batch.push(pending);
    }
    if (batch.length >= batchSize) flush();
  };

  const pool = createParsePool();
  // Parsing runs ahead on the pool while results are taken in order, so stored order follows the files.
  const inFlight: Array<Promise<Pending | { error: ImportFailure }>> = [];
  try {
    for await (const item of readSources(paths, { labelGiven: opts.label !== null })) {
      lastFile = item.file;
      if (item.kind === 'error') fail({ file: item.file, offset: item.offset, error: item.error });
      else inFlight.push(toPending(item, opts.label, pool, opts.sourceName));
      if (inFlight.length >= PARSE_WINDOW) accept(await inFlight.shift()!);
    }
    while (inFlight.length) accept(await inFlight.shift()!);
  } finally {
    await pool.close();
  }
  flush();
  return summary;
}

async function toPending(
  item: Exclude<SourceItem, { kind: 'error' }>,
  defaultLabel: Label | null,
  pool: ParsePool,
  sourceName: string | undefined,
): Promise<Pending | { error: ImportFailure }> {
  const source = sourceName ?? path.resolve(item.file);
  if (item.kind === 'record') {
    try {
      const mail = parseRecord(item.text, item.subject);
      return { mail, source, sourceRef: `line ${item.line}`, raw: null, label: item.label ?? defaultLabel, tokens: null };
    } catch (err) {
      return { error: { file: item.file, offset: null, error: `line ${item.line}: ${(err as Error).message}` } };
    }
  }
  try {
    const { mail, tokens } = await pool.parse(item.raw);
    const sourceRef = item.offset === null ? null : `offset ${item.offset}`;
    return { mail, source, sourceRef, raw: item.raw, label: defaultLabel, tokens };
  } catch (err) {
    return { error: { file: item.file, offset: item.offset, error: (err as Error).message } };
  }
}

/**
 * Stores a batch in one transaction (nested in the caller's when there is one); the stored id of each message, in order.
 * With an import batch id, each message inserted (not a duplicate) carries it, and the batch's counts grow in the same transaction.
 */
export function writeBatch(
  db: Db,
  batch: Pending[],
  origin: LabelOrigin,
  summary: ImportSummary,
  importId: number | null = null,
): number[] {
  if (batch.length === 0) return [];
  return writeTransaction(db, () => {
    const before = { imported: summary.imported, duplicates: summary.duplicates, labeled: summary.labeled };
    const ids = batch.map((pending) => {
      const { id, inserted } = storeMessage(db, pending, importId);
      if (inserted && pending.tokens) putFeatureRow(db, id, TOKENIZER_VERSION, featureBlobsOf(pending.tokens));
      if (inserted) summary.imported++;
      else summary.duplicates++;
      // A duplicate never overrides a label someone already gave.
      if (pending.label !== null && currentLabel(db, id) === null) {
        setLabel(db, id, pending.label, origin);
        summary.labeled++;
      }
      return id;
    });
    if (importId !== null) {
      addImportCounts(db, importId, {
        imported: summary.imported - before.imported,
        duplicates: summary.duplicates - before.duplicates,
        labeled: summary.labeled - before.labeled,
      });
    }
    return ids;
  });
}
