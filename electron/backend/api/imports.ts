// Import history: each import is a batch that can be listed and undone; and
// messages deleted by id or by source, with everything stored about them.
import type { RemovedMessages } from '../../../shared/contract';
import { ApiError } from '../../../shared/errors';
import type { ApiContext, Handlers } from './context';
import { listImports, undoImport } from '../store/imports';
import { deleteMessages } from '../store/messages';
import { importRunning } from '../ingest/importer';
import { liveOf } from '../live/service';

/** Labels went with the messages: the live copy learns again from the label history that is left; every window refreshes. */
function afterRemoval(ctx: ApiContext, removed: RemovedMessages): RemovedMessages {
  if (removed.labels > 0) liveOf(ctx).undone();
  ctx.events.emit('messages.removed', removed);
  return removed;
}

export const importHistoryHandlers: Handlers<'imports.list' | 'imports.undo' | 'messages.delete'> = {
  'imports.list': (_request, { db }) => listImports(db),
  'imports.undo': (request, ctx) => {
    if (importRunning(request.id)) throw new ApiError('conflict', `import ${request.id} is still running; undo it when it has finished`);
    return afterRemoval(ctx, undoImport(ctx.db, request.id));
  },
  'messages.delete': (request, ctx) => {
    if ((request.ids === undefined) === (request.source === undefined))
      throw new ApiError('invalid-request', 'messages.delete: give exactly one of ids and source');
    return afterRemoval(ctx, deleteMessages(ctx.db, request.ids !== undefined ? { ids: request.ids } : { source: request.source! }));
  },
};
