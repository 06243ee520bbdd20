// The user's allow and block lists of senders.
import { ApiError } from '../../../shared/errors';
import { normalizeEntry } from '../../../shared/sender-lists';
import type { Handlers } from './context';
import { listEntries, putEntries, removeEntries } from '../store/sender-lists';

/** Entries as stored; one that is neither an address nor a domain is refused by its place in the request, storing nothing. */
function normalized(entries: string[]): string[] {
  return entries.map((typed, i) => {
    const entry = normalizeEntry(typed);
    if (!entry)
      throw new ApiError('bad-input', `entries[${i}]: "${typed}" is neither an address (a@example.com) nor a domain (example.com)`);
    return entry;
  });
}

export const listHandlers: Handlers<'lists.get' | 'lists.add' | 'lists.remove'> = {
  'lists.get': (_request, { db }) => listEntries(db),
  'lists.add': (request, { db }) => {
    putEntries(db, request.list, normalized(request.entries));
    return listEntries(db);
  },
  'lists.remove': (request, { db }) => {
    const removed = removeEntries(db, normalized(request.entries));
    return { ...listEntries(db), removed };
  },
};
