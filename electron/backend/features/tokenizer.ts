// Turns a parsed message into tokens a spam filter can learn from. Header
// tokens carry their field's name, so "free" in a subject and "free" in a body
// are different evidence, as bogofilter and SpamAssassin's Bayes do.

import type { MailContent } from '../../../shared/types';
import { wordSpans } from '../../../shared/words';

/** Bump whenever the tokens produced for the same mail change: cached features are rebuilt. */
export const TOKENIZER_VERSION = 4;

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

const words = (text: string, limit: number) => wordSpans(text, limit).map((span) => span.word);

/** A word and, when it differs, its lower-case form: SHOUTING is evidence too. */
function caseTokens(prefix: string, word: string, out: string[]): void {
  const lower = word.toLowerCase();
  out.push(prefix + lower);
  if (word.length > 2 && word === word.toUpperCase() && word !== lower) out.push(`${prefix}UPPER:${lower}`);
}

function bodyTokens(text: string, out: string[]): void {
  const bodyWords = words(text, MAX_BODY_WORDS);
  let previous: string | null = null;
  for (const word of bodyWords) {
    caseTokens('', word, out);
    const lower = word.toLowerCase();
    if (previous !== null) out.push(`${previous} ${lower}`);
    previous = lower;
  }
  out.push(`body:words:${magnitude(bodyWords.length)}`);
}

function hostTokens(text: string, out: string[]): void {
  for (const match of text.matchAll(URL_HOST)) {
    const host = match[1]!.toLowerCase().replace(/\.$/, '');
    out.push(`url:${host}`);
    const parts = host.split('.');
    if (parts.length > 2) out.push(`url:${parts.slice(-2).join('.')}`);
    if (/^\d+\.\d+\.\d+\.\d+$/.test(host)) out.push('url:numeric-ip');
  }
}

/** Structural hints in HTML: which tags, how many images, hidden text tricks. */
function htmlTokens(html: string, out: string[]): void {
  out.push('html:present');
  const tags = new Set<string>();
  for (const match of html.matchAll(/<([a-z][a-z0-9]*)\b/gi)) tags.add(match[1]!.toLowerCase());
  for (const tag of tags) out.push(`html:tag:${tag}`);
  const images = html.match(/<img\b/gi)?.length ?? 0;
  out.push(`html:img:${magnitude(images)}`);
  if (/font-size\s*:\s*[01]px|display\s*:\s*none|visibility\s*:\s*hidden/i.test(html)) out.push('html:hidden-text');
  if (/color\s*=\s*["']?#?(?:fff|ffffff|white)\b/i.test(html)) out.push('html:white-font');
  hostTokens(html, out);
}

function headerTokens(headers: Array<[string, string]>, out: string[]): void {
  for (const [name, rawValue] of headers) {
    out.push(`hn:${name}`);
    const value = rawValue.slice(0, MAX_HEADER_VALUE);
    if (!WORD_HEADERS.has(name)) {
      for (const word of words(value, 30)) out.push(`h:*:${word.toLowerCase()}`);
      continue;
    }
    for (const word of words(value, 60)) out.push(`h:${name}:${word.toLowerCase()}`);
    if (name === 'from' || name === 'reply-to' || name === 'return-path') addressTokens(name, value, out);
  }
}

function addressTokens(name: string, value: string, out: string[]): void {
  for (const match of value.matchAll(/[\w.+-]+@([\w-]+(?:\.[\w-]+)+)/g)) {
    out.push(`h:${name}:addr:${match[0].toLowerCase()}`);
    out.push(`h:${name}:domain:${match[1]!.toLowerCase()}`);
  }
}

/** Order of magnitude bucket, so counts become a handful of tokens. */
function magnitude(n: number): string {
  if (n === 0) return '0';
  return String(Math.min(6, Math.floor(Math.log2(n + 1) / 1.5)));
}

export function tokenize(mail: MailContent): string[] {
  const out: string[] = [];
  for (const word of words(mail.subject, MAX_SUBJECT_WORDS)) caseTokens('subject:', word, out);
  if (mail.subject.trim() === '') out.push('subject:(empty)');
  if (/!{2,}|\$\$|[A-Z]{6,}/.test(mail.subject)) out.push('subject:shouty');
  headerTokens(mail.headers, out);
  bodyTokens(mail.text, out);
  hostTokens(mail.text, out);
  if (mail.html) htmlTokens(mail.html, out);
  for (const attachment of mail.attachments) {
    out.push(`attach:${attachment.mimeType.toLowerCase()}`);
    const extension = attachment.filename?.match(/\.([a-z0-9]{1,8})$/i)?.[1];
    if (extension) out.push(`attach:ext:${extension.toLowerCase()}`);
  }
  return out;
}
