// Commands that take mail in or out: import, classify, label, export-labels.
import path from 'node:path';
import { ApiError } from '../../shared/errors';
import type { ApiClient, ClassifiedBatch } from '../../shared/contract';
import type { ImportSummary } from '../../shared/types';
import { absolute, asTyped, base64, id, labelOption, number, parse, print, progressLine, UsageError, withBackend } from './common';
import { readInputs, readStdin } from './inputs';
import { decide } from '../../shared/decision';
import { decidedByList, listVerdict } from '../../shared/sender-lists';

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
  if (positionals.length === 0) throw new UsageError('import: give at least one PATH (mbox, Maildir, folder, .eml, .csv, .jsonl, .json)');
  const label = labelOption(values.label);
  return withBackend(values.db, async (api) => {
    const progress = progressLine();
    const off = api.on('import.progress', (p) =>
      progress.update(`importing… ${p.done} imported, ${p.duplicates} duplicates, ${p.failed} failed — ${p.file}`),
    );
    // Paths go as typed: the import reports failures by the names given to it.
    const summary = await api.call('import.paths', { paths: positionals, label });
    off();
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
    unsureBelow: probability(values['unsure-below'], 'unsure-below'),
    json: values.json === true,
    exitStatus: values['exit-status'] === true,
  };
  const runId = id(values.run, 'run');
  const score = async (api: ApiClient): Promise<ClassifiedBatch> => {
    if (positionals.length) return api.call('classify.files', { paths: positionals.map((file) => path.resolve(file)), runId });
    const stdin = await readStdin();
    if ('error' in stdin) throw new ApiError('bad-input', `standard input: ${stdin.error}`);
    return api.call('classify.bytes', { messages: [base64(stdin.bytes)], runId });
  };
  return withBackend(values.db, async (api) => printVerdicts(await score(api), positionals.length ? positionals : ['-'], options), {
    parseWorkersFor: positionals.length,
  });
}

/** A probability flag: a number from 0 to 1. */
function probability(value: string | undefined, name: string): number | undefined {
  const n = number(value, name);
  if (n !== undefined && (n < 0 || n > 1)) throw new UsageError(`--${name}: expected a probability from 0 to 1, got "${value}"`);
  return n;
}

/** Prints a line per message, in input order; returns the exit status. */
function printVerdicts(
  batch: ClassifiedBatch,
  files: string[],
  options: { unsureBelow?: number; json: boolean; exitStatus: boolean },
): number {
  // As the run's own policy: the unsure band lies below the threshold, never above it.
  if (options.unsureBelow !== undefined && options.unsureBelow > batch.threshold) {
    throw new UsageError(
      `--unsure-below: ${options.unsureBelow} is above the threshold of run ${batch.runId} (${batch.threshold}); the unsure band runs from it up to the threshold`,
    );
  }
  let status = 0;
  let errors = 0;
  const lines: string[] = [];
  batch.scores.forEach((score, i) => {
    const file = files[i]!;
    if ('error' in score) {
      errors++;
      status = 3;
      const message = `${file}: ${score.error}`;
      if (options.json) lines.push(JSON.stringify({ file, error: message }));
      else process.stderr.write(`spamlab classify: ${message}\n`);
      return;
    }
    const { probability, list } = score;
    const verdict = list ? listVerdict(list) : decide(probability, batch.threshold, options.unsureBelow ?? batch.unsureBelow);
    status = verdict === 'spam' ? 0 : verdict === 'ham' ? 1 : 2;
    lines.push(
      options.json
        ? JSON.stringify({ file, probability, label: verdict, runId: batch.runId, ...(list ? { decidedBy: decidedByList(list) } : {}) })
        : `${file}\t${verdict}\t${probability.toFixed(6)}${list ? `\t${decidedByList(list)}` : ''}`,
    );
  });
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
  return withBackend(values.db, async (api) => {
    let failed = 0;
    for (const input of inputs) {
      try {
        if ('error' in input) throw new Error(input.error);
        const source = input.file === '-' ? 'stdin' : path.resolve(input.file);
        const result = await api.call('labels.setByContent', { raw: base64(input.bytes), label, source });
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
  return withBackend(values.db, async (api) => {
    const written = await api.call('export.labels', { dir: absolute(out) });
    print(
      values.json
        ? { ...written, files: written.files.map(asTyped) }
        : `wrote ${written.spam} spam and ${written.ham} ham messages${written.records ? ` and ${written.records} records` : ''} to ${out}`,
    );
    return 0;
  });
}
