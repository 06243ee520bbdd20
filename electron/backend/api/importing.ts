import fs from 'node:fs';
import path from 'node:path';
import { ApiError } from '../../../shared/errors';
import type { Label } from '../../../shared/types';
import type { ApiContext, Handlers } from './context';
import { importPaths } from '../ingest/importer';
import { exportLabeledMail } from '../export/labeled-mail';
import { absolutePath } from './absolute-path';

async function importWithProgress(ctx: ApiContext, paths: string[], label: Label | null, sourceName?: string) {
  const release = ctx.searchIndex.hold();
  try {
    return await importPaths(ctx.db, paths, {
      label,
      sourceName,
      origin: ctx.host === 'cli' ? 'cli' : 'import',
      onProgress: (p) => ctx.events.emit('import.progress', p),
    });
  } finally {
    release();
  }
}

const SAMPLE_EXERCISE_SOURCE = 'sample mailbox';

export const importHandlers: Handlers<'import.paths' | 'import.sample' | 'import.request' | 'export.labels'> = {
  'export.labels': (request, { db }) => exportLabeledMail(db, absolutePath('dir', request.dir, 'folder path')),
  'import.paths': (request, ctx) => importWithProgress(ctx, request.paths, request.label),
  'import.request': (request, { events }) => {
    events.emit('import.requested', { paths: request.paths });
    return null;
  },
  'import.sample': async (request, ctx) => {
    const dir = ctx.sampleDir;
    if (!dir || !fs.existsSync(dir)) throw new ApiError('not-found', `the sample mailbox folder ${dir ?? '(none)'} is missing`);
    const files = [path.join(dir, 'spam.mbox'), path.join(dir, 'ham.mbox')];
    // Unlabeled, it is an exercise: one import under one source name, or the source filter would give the answers away.
    if (request.label === false) return importWithProgress(ctx, files, null, SAMPLE_EXERCISE_SOURCE);
    const spam = await importWithProgress(ctx, [files[0]!], 'spam');
    const ham = await importWithProgress(ctx, [files[1]!], 'ham');
    return {
      imported: spam.imported + ham.imported,
      duplicates: spam.duplicates + ham.duplicates,
      failed: spam.failed + ham.failed,
      labeled: spam.labeled + ham.labeled,
      failures: [...spam.failures, ...ham.failures],
      bytes: spam.bytes + ham.bytes,
      seconds: spam.seconds + ham.seconds,
    };
  },
};
