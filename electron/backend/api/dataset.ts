import type { Handlers } from './context';
import { getMessage, listMessages, messageCount, sourceCounts } from '../store/messages';
import { labelCounts } from '../store/labels';
import { nextUnlabeledId } from '../store/queue';
import { activeRunId, getRun, runCount } from '../store/runs';
import { scoreUnscored } from './scoring';
import { pendingSearchCount } from '../store/search-index';
import { liveOf } from '../live/service';

export const datasetHandlers: Handlers<'dataset.stats' | 'dataset.sources' | 'messages.list' | 'messages.get' | 'queue.next'> = {
  'dataset.stats': (_request, { db }) => {
    const messages = messageCount(db);
    const counts = labelCounts(db);
    return {
      messages,
      ...counts,
      unlabeled: messages - counts.spam - counts.ham,
      runs: runCount(db),
      activeRunId: activeRunId(db),
      searchBacklog: pendingSearchCount(db),
    };
  },
  'dataset.sources': (_request, { db }) => sourceCounts(db),
  'messages.list': (request, { db }) => listMessages(db, request.filter ?? {}, request.offset, request.limit, activeRunId(db)),
  'messages.get': (request, { db }) => getMessage(db, request.id, activeRunId(db)),
  'queue.next': (request, ctx) => {
    const { db } = ctx;
    const runId = activeRunId(db);
    // Least sure first: from the live copy's order, re-ranked after each label, while it has one; else from the stored scores.
    let id = request.order === 'uncertain' && runId !== null ? liveOf(ctx).nextUncertain(request.skip) : null;
    if (id === null) {
      let active: { runId: number; threshold: number } | null = null;
      if (runId !== null && request.order === 'uncertain') {
        scoreUnscored(ctx, runId);
        active = { runId, threshold: getRun(db, runId).threshold };
      }
      id = nextUnlabeledId(db, request.order, request.skip, active);
    }
    if (id === null) return null;
    return { message: getMessage(db, id, runId) };
  },
};
