import type { Handlers } from './context';
import { setLabel, undoLastLabel } from '../store/labels';
import { labelMail } from '../ingest/label-mail';
import { parseMail } from '../ingest/parse';

export const labelHandlers: Handlers<'labels.set' | 'labels.undo' | 'labels.setByContent'> = {
  'labels.set': (request, { db, events }) => {
    const change = setLabel(db, request.id, request.label, 'user');
    events.emit('labels.changed', change);
    return change;
  },
  'labels.undo': (_request, { db, events }) => {
    const change = undoLastLabel(db);
    if (change) events.emit('labels.changed', change);
    return change;
  },
  'labels.setByContent': async (request, { db, events, host }) => {
    const raw = Buffer.from(request.raw, 'base64');
    const mail = await parseMail(raw);
    const result = labelMail(db, { mail, source: request.source, sourceRef: null, raw }, request.label, host === 'cli' ? 'cli' : 'user');
    events.emit('labels.changed', { messageId: result.messageId, label: result.label, previous: result.previous });
    return result;
  },
};
