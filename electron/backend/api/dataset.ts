import type { Handlers } from './context';
import { getMessage, listMessages } from '../store/messages';
import { labelCounts } from '../store/labels';
import { nextUnlabeledId, unlabeledCount } from '../store/queue';
import { activeRunId, getRun } from '../store/runs';
import { scoreUnscored } from './scoring';

export const datasetHandlers: Handlers<'dataset.stats' | 'dataset.sources' | 'messages.list' | 'messages.get' | 'queue.next'> = {
  'dataset.stats': (_request, { db }) => {
    const messages = (db.prepare('SELECT count(*) AS n FROM messages').get() as { n: number }).n;
    const counts = labelCounts(db);
    const runs = (db.prepare('SELECT count(*) AS n FROM runs').get() as { n: number }).n;
    return { messages, ...counts, unlabeled: messages - counts.spam - counts.ham, runs, activeRunId: activeRunId(db) };
  },
  'dataset.sources': (_request, { db }) =>
    db.prepare('SELECT source, count(*) AS count FROM messages GROUP BY source ORDER BY count DESC, source').all() as Array<{
      source: string;
      count: number;
    }>,
  'messages.list': (request, { db }) => listMessages(db, request.filter ?? {}, request.offset, request.limit, activeRunId(db)),
  'messages.get': (request, { db }) => getMessage(db, request.id, activeRunId(db)),
  'queue.next': (request, ctx) => {
    const { db } = ctx;
    const runId = activeRunId(db);
    let active: { runId: number; threshold: number } | null = null;
    if (runId !== null && request.order === 'uncertain') {
      scoreUnscored(ctx, runId);
      active = { runId, threshold: getRun(db, runId).threshold };
    }
    const id = nextUnlabeledId(db, request.order, request.skip, active);
    if (id === null) return null;
    return { message: getMessage(db, id, runId), remaining: unlabeledCount(db) };
  },
};
