// The user's allow and block lists of senders.
import { ApiError } from '../../../shared/errors';
import { normalizeEntry } from '../../../shared/sender-lists';
import type { Handlers } from './context';
import { listEntries, putEntries, removeEntries } from '../store/sender-lists';
import { messageRaw } from '../store/messages';
import { singleSender } from './sender-check';

/** Entries as stored; one that is neither an address nor a domain is refused by its place in the request, storing nothing. */
function normalized(entries: string[]): string[] {
  return entries.map((typed, i) => {
    const entry = normalizeEntry(typed);
    if (!entry)
      throw new ApiError('bad-input', `entries[${i}]: "${typed}" is neither an address (a@example.com) nor a domain (example.com)`);
    return entry;
  });
}

export const listHandlers: Handlers<'lists.get' | 'lists.add' | 'lists.remove' | 'lists.addSender'> = {
  'lists.get': (_request, { db }) => listEntries(db),
  'lists.add': (request, { db }) => {
    putEntries(db, request.list, normalized(request.entries));
    return listEntries(db);
  },
  'lists.addSender': (request, { db }) => {
    const raw = messageRaw(db, request.messageId);
    if (!raw) throw new ApiError('not-found', `message ${request.messageId} does not exist or has no original bytes (a CSV or JSONL row)`);
    const sender = singleSender(raw);
    const entry = sender && normalizeEntry(sender);
    if (!entry) throw new ApiError('bad-input', `message ${request.messageId}: its From field does not name exactly one sender address`);
    putEntries(db, request.list, [entry]);
    return { ...listEntries(db), entry };
  },
  'lists.remove': (request, { db }) => {
    const removed = removeEntries(db, normalized(request.entries));
    return { ...listEntries(db), removed };
  },
};
