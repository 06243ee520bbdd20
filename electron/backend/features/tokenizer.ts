// Turns a parsed message into tokens a spam filter can learn from. Header
// tokens carry their field's name, so "free" in a subject and "free" in a body
// are different evidence, as bogofilter and SpamAssassin's Bayes do.

import type { MailContent } from '../../../shared/types';
import { words } from '../../../shared/words';
import { magnitudeBucket } from '../../../shared/token-words';
import { countHashes, sparseFromHashes, SparseVector, TokenCounts, TokenHashes } from './vectorize';

/** Bump whenever the tokens produced for the same mail change: cached features are rebuilt. */
export const TOKENIZER_VERSION = 5;

export const MAX_BODY_WORDS = 3000;
export const MAX_SUBJECT_WORDS = 60;
const MAX_HEADER_VALUE = 2000;
const URL_HOST = /\b(?:https?|ftp):\/\/([a-z0-9.-]+)/gi;

/** Headers whose words are evidence under their own name; words of other headers (Received chains…) share one prefix. */
const WORD_HEADERS = new Set([
  'from',
  'to',
  'cc',
  'reply-to',
  'return-path',
  'sender',
  'x-mailer',
  'user-agent',
  'content-type',
  'content-transfer-encoding',
  'mime-version',
  'x-priority',
  'x-msmail-priority',
  'organization',
  'list-id',
  'precedence',
  'importance',
]);

/**
 * Header fields whose words go stale: dates, message ids and the relays' queue
 * ids in Received chains describe one day's mail, not next month's. Received
 * keeps only the domains mail passed through.
 */
const VOLATILE_HEADERS = new Set(['date', 'message-id', 'received']);
const RELAY_HOST = /\b(?:from|by)\s+([a-z0-9-]+(?:\.[a-z0-9-]+)+)/gi;
/** A word with a digit in an unnamed header is an id, a time or an address, rarely evidence that lasts. */
const HAS_DIGIT = /\d/;

/**
 * Where tokens go. A token is the concatenation of up to three parts; the
 * strings sink joins them (for explanations), the hash sink hashes the parts
 * in a row without ever building the token (for counting, the hot path).
 */
interface TokenSink {
  add(a: string, b?: string, c?: string): void;
}

/** A word and, when it differs, its lower-case form: SHOUTING is evidence too. Returns the lower-case form. */
function caseTokens(prefix: string, word: string, sink: TokenSink): string {
  const lower = word.toLowerCase();
  sink.add(prefix, lower);
  if (word.length > 2 && word !== lower && word === word.toUpperCase()) sink.add(prefix, 'UPPER:', lower);
  return lower;
}

function bodyTokens(text: string, sink: TokenSink): void {
  const bodyWords = words(text, MAX_BODY_WORDS);
  let previous: string | null = null;
  for (const word of bodyWords) {
    const lower = caseTokens('', word, sink);
    if (previous !== null) sink.add(previous, ' ', lower);
    previous = lower;
  }
  sink.add('body:words:', magnitude(bodyWords.length));
}

function hostTokens(text: string, sink: TokenSink): void {
  for (const match of text.matchAll(URL_HOST)) {
    const host = match[1]!.toLowerCase().replace(/\.$/, '');
    sink.add('url:', host);
    const parts = host.split('.');
    if (parts.length > 2) sink.add('url:', parts.slice(-2).join('.'));
    if (/^\d+\.\d+\.\d+\.\d+$/.test(host)) sink.add('url:numeric-ip');
  }
}

/** Structural hints in HTML: which tags, how many images, hidden text tricks. */
function htmlTokens(html: string, sink: TokenSink): void {
  sink.add('html:present');
  const tags = new Set<string>();
  for (const match of html.matchAll(/<([a-z][a-z0-9]*)\b/gi)) tags.add(match[1]!.toLowerCase());
  for (const tag of tags) sink.add('html:tag:', tag);
  const images = html.match(/<img\b/gi)?.length ?? 0;
  sink.add('html:img:', magnitude(images));
  if (/font-size\s*:\s*[01]px|display\s*:\s*none|visibility\s*:\s*hidden/i.test(html)) sink.add('html:hidden-text');
  if (/color\s*=\s*["']?#?(?:fff|ffffff|white)\b/i.test(html)) sink.add('html:white-font');
  hostTokens(html, sink);
}

function headerTokens(headers: Array<[string, string]>, sink: TokenSink): void {
  for (const [name, rawValue] of headers) {
    sink.add('hn:', name);
    const value = rawValue.slice(0, MAX_HEADER_VALUE);
    if (name === 'received') relayTokens(value, sink);
    if (VOLATILE_HEADERS.has(name)) continue;
    if (!WORD_HEADERS.has(name)) {
      for (const word of words(value, 30)) if (!HAS_DIGIT.test(word)) sink.add('h:*:', word.toLowerCase());
      continue;
    }
    const prefix = `h:${name}:`;
    for (const word of words(value, 60)) sink.add(prefix, word.toLowerCase());
    if (name === 'from' || name === 'reply-to' || name === 'return-path') addressTokens(prefix, value, sink);
  }
}

/** The registered-looking domain (last two labels) of each host a Received line names. */
function relayTokens(value: string, sink: TokenSink): void {
  for (const match of value.matchAll(RELAY_HOST)) {
    const labels = match[1]!.toLowerCase().split('.');
    if (!/^\d+$/.test(labels.at(-1)!)) sink.add('h:received:domain:', labels.slice(-2).join('.'));
  }
}

function addressTokens(prefix: string, value: string, sink: TokenSink): void {
  for (const match of value.matchAll(/[\w.+-]+@([\w-]+(?:\.[\w-]+)+)/g)) {
    sink.add(prefix, 'addr:', match[0].toLowerCase());
    sink.add(prefix, 'domain:', match[1]!.toLowerCase());
  }
}

/** Order of magnitude bucket, so counts become a handful of tokens (token-words.ts says them in words). */
const magnitude = (n: number): string => String(magnitudeBucket(n));

function tokenizeInto(mail: MailContent, sink: TokenSink): void {
  for (const word of words(mail.subject, MAX_SUBJECT_WORDS)) caseTokens('subject:', word, sink);
  if (mail.subject.trim() === '') sink.add('subject:(empty)');
  if (/!{2,}|\$\$|[A-Z]{6,}/.test(mail.subject)) sink.add('subject:shouty');
  headerTokens(mail.headers, sink);
  bodyTokens(mail.text, sink);
  hostTokens(mail.text, sink);
  if (mail.html) htmlTokens(mail.html, sink);
  for (const attachment of mail.attachments) {
    sink.add('attach:', attachment.mimeType.toLowerCase());
    const extension = attachment.filename?.match(/\.([a-z0-9]{1,8})$/i)?.[1];
    if (extension) sink.add('attach:ext:', extension.toLowerCase());
  }
}

/** The message's tokens as strings, for showing which ones weighed. */
export function tokenize(mail: MailContent): string[] {
  const out: string[] = [];
  tokenizeInto(mail, { add: (a, b = '', c = '') => out.push(a + b + c) });
  return out;
}

/** The hash of each of the message's tokens, in the order found: the same as hashing `tokenize(mail)`, without the strings. */
export function tokenHashes(mail: MailContent): Uint32Array {
  const hashes = new TokenHashes();
  tokenizeInto(mail, hashes);
  return hashes.take();
}

/** The message's token counts: the same as `countTokens(tokenize(mail))`. */
export const tokenCounts = (mail: MailContent): TokenCounts => countHashes(tokenHashes(mail));

/** The message as a model of `buckets` buckets sees it: the same as `toSparse(tokenCounts(mail), buckets)`. */
export const featureVector = (mail: MailContent, buckets: number): SparseVector => sparseFromHashes(tokenHashes(mail), buckets);
