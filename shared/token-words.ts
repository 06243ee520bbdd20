// A token as a person reads it: `h:*:oct`, `hn:subject` or `body:words:3` are
// how the tokenizer (electron/backend/features/tokenizer.ts) names evidence,
// not what a person calls it. Each token gets a sentence, and tokens that say
// where the mail came from (relays, lists, ids) rather than what it says are
// marked: a model leaning on them learns the way a corpus was collected.
// Pure TypeScript: used by the renderer and checked against the tokenizer.

export type TokenKind =
  | 'word'
  | 'shouted-word'
  | 'word-pair'
  | 'length'
  | 'subject-word'
  | 'subject-shouted-word'
  | 'subject-empty'
  | 'subject-shouty'
  | 'header-present'
  | 'header-word'
  | 'header-address'
  | 'header-domain'
  | 'other-header-word'
  | 'relay'
  | 'link'
  | 'link-ip'
  | 'html'
  | 'html-tag'
  | 'html-images'
  | 'html-hidden'
  | 'html-white'
  | 'attachment-type'
  | 'attachment-extension'
  | 'collision'
  | 'unknown';

export interface TokenWords {
  /** The raw token, as the model and the tokenizer name it. */
  token: string;
  /** What it means, in words. */
  text: string;
  kind: TokenKind;
  /** It says where the mail came from (relays, lists, message ids), not what it says: likely an artifact of how the mail was collected. */
  origin: boolean;
}

/** Why a token is marked as about where the mail came from. */
export const ORIGIN_NOTE = 'where it came from, not what it says';

/**
 * The literal parts the tokenizer builds tokens from (first and later parts of
 * its `sink.add` and `caseTokens` calls; `h:${name}:` stands for a named header's
 * prefix). The unit test reads the tokenizer and fails on a part missing here.
 */
export const TOKEN_PARTS = [
  '',
  ' ',
  'UPPER:',
  'body:words:',
  'subject:',
  'subject:(empty)',
  'subject:shouty',
  'hn:',
  'h:*:',
  'h:${name}:',
  'h:received:domain:',
  'addr:',
  'domain:',
  'url:',
  'url:numeric-ip',
  'html:present',
  'html:tag:',
  'html:img:',
  'html:hidden-text',
  'html:white-font',
  'attach:',
  'attach:ext:',
] as const;

/** The tokenizer's count buckets (body words, images): a handful of orders of magnitude. */
export function magnitudeBucket(n: number): number {
  if (n === 0) return 0;
  return Math.min(6, Math.floor(Math.log2(n + 1) / 1.5));
}

/** The counts a bucket stands for, as words: "7–21", "512 or more". */
export function bucketRange(bucket: number): string {
  let low = -1;
  let high = -1;
  for (let n = 0; n <= 4096; n++) {
    if (magnitudeBucket(n) !== bucket) continue;
    if (low < 0) low = n;
    high = n;
  }
  if (low < 0) return `bucket ${bucket}`;
  if (bucket >= 6) return `${low} or more`;
  return low === high ? String(low) : `${low}–${high}`;
}

/** Header names as mail clients show them: content-type → Content-Type, message-id → Message-ID. */
export function headerName(name: string): string {
  const special: Record<string, string> = { 'message-id': 'Message-ID', 'mime-version': 'MIME-Version', 'list-id': 'List-Id' };
  return special[name] ?? name.replace(/(^|-)([a-z])/g, (_, dash: string, letter: string) => dash + letter.toUpperCase());
}

/** Fields that relays, list servers and filters add on the way: they tell how the mail travelled. */
const ORIGIN_HEADER =
  /^(received|message-id|in-reply-to|references|return-path|delivered-to|envelope-to|sender|errors-to|precedence|list-[\w-]+|mailing-list|dkim-signature|domainkey-signature|authentication-results|received-spf|arc-[\w-]+|resent-[\w-]+|x-(?!mailer$|priority$|msmail-priority$|mimeole$)[\w.+/-]+)$/;
/** An address or a word of one that looks like a mailing list's. */
const LIST_ADDRESS =
  /(^|[@.\-_])(lists?|listserv|mailman|majordomo|egroups|yahoogroups|groups|owner|request|bounces?|talk|users|devel|announce)([@.\-_]|$)/;
/** Words of dates, times and relay software: what an unnamed header's words mostly are when they are not the subject's. */
const ROUTING_WORD =
  /^(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec|mon|tue|wed|thu|fri|sat|sun|gmt|utc|ut|est|edt|pst|pdt|cst|cdt|mst|mdt|cet|cest|bst|esmtp|smtp|esmtps|lmtp|smtpd|postfix|qmail|sendmail|exim|localhost|localdomain|mailman|majordomo|listserv|beenthere|list|lists|bounce|bounces|request|unsubscribe|subscribe|owner|envelope|helo|ehlo|id|via|with|by|for)$|\./;

const quote = (word: string) => `“${word}”`;

function headerTokenWords(token: string, name: string, rest: string): TokenWords {
  if (name === '*') {
    return {
      token,
      text: `a header field mentions ${quote(rest)}`,
      kind: 'other-header-word',
      origin: ROUTING_WORD.test(rest) || (/[-_]/.test(rest) && LIST_ADDRESS.test(rest)),
    };
  }
  const field = headerName(name);
  if (name === 'received' && rest.startsWith('domain:')) {
    return { token, text: `relayed through ${rest.slice('domain:'.length)} (Received)`, kind: 'relay', origin: true };
  }
  const originField = ORIGIN_HEADER.test(name);
  if (rest.startsWith('addr:')) {
    const address = rest.slice('addr:'.length);
    return { token, text: `${field} address is ${address}`, kind: 'header-address', origin: originField || LIST_ADDRESS.test(address) };
  }
  if (rest.startsWith('domain:')) {
    const domain = rest.slice('domain:'.length);
    return { token, text: `${field} address is at ${domain}`, kind: 'header-domain', origin: originField || LIST_ADDRESS.test(domain) };
  }
  const listLike = (name === 'to' || name === 'cc' || name === 'from') && LIST_ADDRESS.test(rest);
  return { token, text: `${field} field mentions ${quote(rest)}`, kind: 'header-word', origin: originField || listLike };
}

/** One token in words. */
export function tokenWords(token: string): TokenWords {
  if (token === '')
    return { token, text: 'tokens of other messages that share this weight (hash collision)', kind: 'collision', origin: false };
  const colon = token.indexOf(':');
  if (colon < 0) {
    if (token.includes(' ')) return { token, text: `the text has the word pair ${quote(token)}`, kind: 'word-pair', origin: false };
    return { token, text: `the text has ${quote(token)}`, kind: 'word', origin: false };
  }
  if (token.startsWith('UPPER:')) {
    return { token, text: `the text shouts ${quote(token.slice(6).toUpperCase())} in capitals`, kind: 'shouted-word', origin: false };
  }
  if (token === 'subject:(empty)') return { token, text: 'the subject line is empty', kind: 'subject-empty', origin: false };
  if (token === 'subject:shouty') {
    return { token, text: 'the subject line shouts (!!, $$ or a run of capitals)', kind: 'subject-shouty', origin: false };
  }
  if (token.startsWith('subject:UPPER:')) {
    return {
      token,
      text: `subject line shouts ${quote(token.slice(14).toUpperCase())} in capitals`,
      kind: 'subject-shouted-word',
      origin: false,
    };
  }
  if (token.startsWith('subject:'))
    return { token, text: `subject line has ${quote(token.slice(8))}`, kind: 'subject-word', origin: false };
  if (token.startsWith('body:words:')) {
    return { token, text: `the text is ${bucketRange(Number(token.slice(11)))} words long`, kind: 'length', origin: false };
  }
  if (token.startsWith('hn:')) {
    const name = token.slice(3);
    const field = headerName(name);
    const article = /^([AEIOU]|X-)/.test(field) ? 'an' : 'a';
    return { token, text: `has ${article} ${field} header field`, kind: 'header-present', origin: ORIGIN_HEADER.test(name) };
  }
  const header = /^h:([^:]+):(.*)$/s.exec(token);
  if (header) return headerTokenWords(token, header[1]!, header[2]!);
  if (token === 'url:numeric-ip') return { token, text: 'links to a bare IP address, not a name', kind: 'link-ip', origin: false };
  if (token.startsWith('url:')) return { token, text: `links to ${token.slice(4)}`, kind: 'link', origin: false };
  if (token === 'html:present') return { token, text: 'has an HTML version', kind: 'html', origin: false };
  if (token === 'html:hidden-text') {
    return { token, text: 'HTML hides text (tiny font, display: none or hidden)', kind: 'html-hidden', origin: false };
  }
  if (token === 'html:white-font') return { token, text: 'HTML writes in white', kind: 'html-white', origin: false };
  if (token.startsWith('html:tag:')) return { token, text: `HTML uses the <${token.slice(9)}> tag`, kind: 'html-tag', origin: false };
  if (token.startsWith('html:img:')) {
    const images = bucketRange(Number(token.slice(9)));
    return { token, text: `HTML shows ${images} image${images === '1' ? '' : 's'}`, kind: 'html-images', origin: false };
  }
  if (token.startsWith('attach:ext:')) {
    return { token, text: `has an attachment named .${token.slice(11)}`, kind: 'attachment-extension', origin: false };
  }
  if (token.startsWith('attach:'))
    return { token, text: `has an attachment of type ${token.slice(7)}`, kind: 'attachment-type', origin: false };
  return { token, text: token, kind: 'unknown', origin: false };
}

/**
 * A contribution's name in words: a bucket can hold several tokens (joined with
 * " | "), each described. Origin when any of them is about where the mail came from.
 */
export function contributionWords(name: string): { parts: TokenWords[]; text: string; origin: boolean } {
  const parts = (name === '' ? [''] : name.split(' | ')).map(tokenWords);
  return { parts, text: parts.map((p) => p.text).join('; or '), origin: parts.some((p) => p.origin) };
}
