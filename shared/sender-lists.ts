// Allow and block lists of senders: addresses and domains that decide a message before the model does.

export const SENDER_LISTS = ['allow', 'block'] as const;
export type SenderList = (typeof SENDER_LISTS)[number];

/** What decided a message when a list did, as explanations say it. */
export const decidedByList = (list: SenderList) => `decided by your ${list} list`;

const ADDRESS = /^[^\s@<>"(),;:]+@([a-z0-9-]+(?:\.[a-z0-9-]+)+)$/;
const DOMAIN = /^[a-z0-9-]+(?:\.[a-z0-9-]+)+$/;

/** An entry as stored: a lower-case address (a@example.com) or domain (example.com; "@example.com" is read so too); null when it is neither. */
export function normalizeEntry(typed: string): string | null {
  const entry = typed.trim().toLowerCase().replace(/^@/, '');
  return ADDRESS.test(entry) || DOMAIN.test(entry) ? entry : null;
}

/** Allowed senders' mail is ham, blocked senders' spam, whatever the model says. */
export const listVerdict = (list: SenderList): 'spam' | 'ham' => (list === 'allow' ? 'ham' : 'spam');
