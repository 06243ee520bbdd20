// Commands that take mail in or out: import, classify, label, export-labels.
import path from 'node:path';
import type { ImportSummary } from '../../shared/types';
import { scorerFor } from '../backend/api/classify';
import { exportLabeledMail } from '../backend/export/labeled-mail';
import { labelMail } from '../backend/ingest/label-mail';
import { importPaths } from '../backend/ingest/importer';
import { parseMail } from '../backend/ingest/parse';
import { labelOption, number, parse, print, progressLine, UsageError, withBackend } from './common';
import { parsePoolFor, readInputs, vectorsInOrder } from './inputs';
import type { Backend } from '../backend/api';
import type { ParsePool } from '../backend/ingest/parse-pool';

function describeImport(s: ImportSummary): string {
  const lines = [
    `imported ${s.imported}, duplicates ${s.duplicates}, failed ${s.failed}, labeled ${s.labeled}` +
      ` (${(s.bytes / 1e6).toFixed(1)} MB in ${s.seconds.toFixed(1)} s, ${Math.round((s.imported + s.duplicates) / Math.max(s.seconds, 1e-3))} messages/s)`,
  ];
  for (const f of s.failures.slice(0, 20)) lines.push(`  failed: ${f.file}${f.offset === null ? '' : ` at byte ${f.offset}`}: ${f.error}`);
  if (s.failures.length > 20) lines.push(`  … and ${s.failed - 20} more failures (use --json for all)`);
  return lines.join('\n');
}

export async function importCommand(args: string[]): Promise<number> {
  const { values, positionals } = parse(args, { label: { type: 'string' } }, true);
  if (positionals.length === 0) throw new UsageError('import: give at least one PATH (mbox, Maildir, folder, .eml, .csv, .jsonl)');
  const label = labelOption(values.label);
  return withBackend(values.db, async ({ context }) => {
    const progress = progressLine();
    const summary = await importPaths(context.db, positionals, {
      label,
      origin: 'cli',
      onProgress: (p) => progress.update(`importing… ${p.done} imported, ${p.duplicates} duplicates, ${p.failed} failed — ${p.file}`),
    });
    progress.done();
    print(values.json ? summary : describeImport(summary));
    return summary.imported + summary.duplicates === 0 && summary.failed > 0 ? 2 : 0;
  });
}

export async function classifyCommand(args: string[]): Promise<number> {
  const { values, positionals } = parse(
    args,
    { run: { type: 'string' }, 'exit-status': { type: 'boolean' }, 'unsure-below': { type: 'string' } },
    true,
  );
  const options = {
    run: number(values.run, 'run'),
    unsureBelow: number(values['unsure-below'], 'unsure-below'),
    json: values.json === true,
    exitStatus: values['exit-status'] === true,
  };
  // The parse workers start up while the database opens and the model loads.
  const pool = parsePoolFor(positionals);
  try {
    return await withBackend(values.db, (backend) => printVerdicts(backend, positionals, pool, options));
  } finally {
    await pool?.close();
  }
}

/** Scores each file (or stdin) and prints a line per message, in input order; returns the exit status. */
async function printVerdicts(
  backend: Backend,
  files: string[],
  pool: ParsePool | null,
  options: { run?: number; unsureBelow?: number; json: boolean; exitStatus: boolean },
): Promise<number> {
  const scorer = scorerFor(backend.context, options.run);
  let status = 0;
  let errors = 0;
  const lines: string[] = [];
  for await (const parsed of vectorsInOrder(files, pool, scorer.buckets)) {
    const { file } = parsed;
    if ('error' in parsed) {
      errors++;
      status = 3;
      const message = `${file}: ${parsed.error}`;
      if (options.json) lines.push(JSON.stringify({ file, error: message }));
      else process.stderr.write(`spamlab classify: ${message}\n`);
      continue;
    }
    const probability = scorer.probability(parsed.vector);
    const unsure = options.unsureBelow !== undefined && probability >= options.unsureBelow;
    const verdict = probability >= scorer.threshold ? 'spam' : unsure ? 'unsure' : 'ham';
    status = verdict === 'spam' ? 0 : verdict === 'ham' ? 1 : 2;
    lines.push(
      options.json
        ? JSON.stringify({ file, probability, label: verdict, runId: scorer.runId })
        : `${file}\t${verdict}\t${probability.toFixed(6)}`,
    );
    if (lines.length >= 1000) process.stdout.write(`${lines.splice(0).join('\n')}\n`);
  }
  if (lines.length) process.stdout.write(`${lines.join('\n')}\n`);
  if (options.exitStatus) return files.length <= 1 ? status : errors ? 3 : 0;
  return errors ? 2 : 0;
}

export async function labelCommand(args: string[]): Promise<number> {
  const { values, positionals } = parse(args, { as: { type: 'string' } }, true);
  if (values.as !== 'spam' && values.as !== 'ham' && values.as !== 'none') {
    throw new UsageError(`label: --as must be spam, ham or none${values.as === undefined ? '' : `, not "${values.as}"`}`);
  }
  const label = values.as === 'none' ? null : values.as;
  const inputs = await readInputs(positionals);
  return withBackend(values.db, async ({ context }) => {
    let failed = 0;
    for (const input of inputs) {
      try {
        if ('error' in input) throw new Error(input.error);
        const mail = await parseMail(input.bytes);
        const source = input.file === '-' ? 'stdin' : path.resolve(input.file);
        const result = labelMail(context.db, { mail, source, sourceRef: null, raw: input.bytes }, label);
        print(
          values.json
            ? { file: input.file, ...result }
            : `${input.file}\t${result.label ?? 'unlabeled'}\t${result.imported ? 'imported' : `was ${result.previous ?? 'unlabeled'}`}`,
        );
      } catch (err) {
        failed++;
        process.stderr.write(`spamlab label: ${input.file}: ${(err as Error).message}\n`);
      }
    }
    return failed ? 2 : 0;
  });
}

export async function exportLabelsCommand(args: string[]): Promise<number> {
  const { values } = parse(args, { out: { type: 'string' } });
  if (!values.out) throw new UsageError('export-labels: --out DIR is required');
  const out = values.out;
  return withBackend(values.db, async ({ context }) => {
    const written = exportLabeledMail(context.db, out);
    print(
      values.json
        ? written
        : `wrote ${written.spam} spam and ${written.ham} ham messages${written.records ? ` and ${written.records} records` : ''} to ${out}`,
    );
    return 0;
  });
}
