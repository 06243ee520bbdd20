import type { Handlers } from './context';
import { setLabel, undoLastLabel } from '../store/labels';
import { labelMail } from '../ingest/label-mail';
import { parseMail } from '../ingest/parse';
import { liveOf } from '../live/service';

// A person's label first records the probability the current model gave the message (the live copy's when one
// learns, else the active run's), then is stored, then is handed to the live copy to learn: never waited for.
export const labelHandlers: Handlers<'labels.set' | 'labels.undo' | 'labels.setByContent'> = {
  'labels.set': (request, ctx) => {
    const live = liveOf(ctx);
    const change = setLabel(ctx.db, request.id, request.label, 'user', request.label === null ? null : live.scoreBefore(request.id));
    live.labeled();
    ctx.events.emit('labels.changed', change);
    return change;
  },
  'labels.undo': (request, ctx) => {
    const change = undoLastLabel(ctx.db, request.messageIds);
    if (change) {
      liveOf(ctx).undone();
      ctx.events.emit('labels.changed', change);
    }
    return change;
  },
  'labels.setByContent': async (request, ctx) => {
    const { db, events, host } = ctx;
    const raw = Buffer.from(request.raw, 'base64');
    const mail = await parseMail(raw);
    const live = liveOf(ctx);
    const origin = host === 'cli' ? 'cli' : 'user';
    const result = labelMail(db, { mail, source: request.source, sourceRef: null, raw }, request.label, origin, live.scoreBefore);
    live.labeled();
    events.emit('labels.changed', { messageId: result.messageId, label: result.label, previous: result.previous });
    return result;
  },
};
