// `spamlab imports`: the import history, and taking one import back.
import type { ImportBatch, ImportHistory } from '../../shared/contract';
import { ApiError } from '../../shared/errors';
import { parse, print, UsageError, withBackend } from './common';

const when = (ms: number) => new Date(ms).toLocaleString('sv-SE', { dateStyle: 'short', timeStyle: 'short' });
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

function describeBatch(b: ImportBatch): string {
  const state = b.undoneAt !== null ? `undone ${when(b.undoneAt)}` : b.finishedAt === null ? 'not finished' : '';
  const did = `added ${b.imported}${b.duplicates ? `, ${b.duplicates} duplicates` : ''}${b.failed ? `, ${b.failed} failed` : ''}`;
  const now = b.undoneAt !== null ? '' : `; ${plural(b.messages, 'message')} stored, ${b.labeled} labeled`;
  return `${String(b.id).padStart(4)}  ${when(b.startedAt)}  ${b.origin.padEnd(7)}  ${did}${now}${state ? `  (${state})` : ''}\n      ${b.paths.join('\n      ')}`;
}

function describe(history: ImportHistory): string {
  const lines = history.batches.map(describeBatch);
  if (history.before.messages > 0) {
    lines.push(
      `before import history: ${plural(history.before.messages, 'message')}, ${history.before.labeled} labeled, from ${plural(history.before.sources.length, 'source')}`,
    );
  }
  return lines.length ? lines.join('\n') : 'no imports yet';
}

function importId(value: string | undefined): number {
  const id = Number(value);
  if (value === undefined || !Number.isInteger(id) || id < 1)
    throw new UsageError(`imports undo: expected an import id (see \`spamlab imports\`), got "${value ?? ''}"`);
  return id;
}

export async function importsCommand(args: string[]): Promise<number> {
  const { values, positionals } = parse(args, { yes: { type: 'boolean' } }, true);
  const [action, id, ...rest] = positionals;
  if (action !== undefined && action !== 'undo') throw new UsageError(`imports: expected nothing or undo ID, got "${action}"`);
  if (rest.length) throw new UsageError(`imports undo: one import at a time, got "${rest.join(' ')}" too`);
  if (action === undefined) {
    if (values.yes) throw new UsageError('imports: --yes goes with `imports undo ID`');
    return withBackend(values.db, async (api) => {
      const history = await api.call('imports.list', {});
      print(values.json ? history : describe(history));
      return 0;
    });
  }
  const target = importId(id);
  return withBackend(values.db, async (api) => {
    if (!values.yes) {
      const batch = (await api.call('imports.list', {})).batches.find((b) => b.id === target);
      if (!batch) throw new ApiError('not-found', `import ${target} does not exist (see \`spamlab imports\`)`);
      if (batch.undoneAt !== null) throw new ApiError('conflict', `import ${target} was undone already, on ${when(batch.undoneAt)}`);
      print(
        `import ${target} (${when(batch.startedAt)}, ${batch.paths.join(', ')}) would remove ${plural(batch.messages, 'message')} and their ${plural(batch.labeled, 'label')}.`,
      );
      print(`Nothing was removed: add --yes to remove them.`);
      return 2;
    }
    const removed = await api.call('imports.undo', { id: target });
    print(
      values.json
        ? removed
        : `removed ${plural(removed.removed, 'message')} and their ${plural(removed.labels, 'label')} (import ${target})`,
    );
    return 0;
  });
}
