// Every token the tokenizer makes has words: the parts are read from the
// tokenizer's own source, so a new prefix without words fails here.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tokenize } from '../../electron/backend/features/tokenizer';
import type { MailContent } from '../../shared/types';
import { bucketRange, contributionWords, magnitudeBucket, TOKEN_PARTS, tokenWords } from '../../shared/token-words';

const TOKENIZER = path.join(__dirname, '../../electron/backend/features/tokenizer.ts');

/** The literal token parts in the tokenizer: every string argument of sink.add(…) and caseTokens(…), and prefix templates. */
function literalParts(source: string): Set<string> {
  const parts = new Set<string>();
  for (const call of source.matchAll(/\b(?:sink\.add|caseTokens)\(([^)]*)\)/g)) {
    for (const literal of call[1]!.matchAll(/'([^']*)'|`([^`]*)`/g)) parts.add(literal[1] ?? literal[2]!);
  }
  for (const template of source.matchAll(/const prefix = `([^`]*)`/g)) parts.add(template[1]!);
  return parts;
}

/** A message that takes every road through the tokenizer. */
const everything: MailContent = {
  subject: 'FREE money!!! for you',
  from: 'Deals <deals@cheap-pills.example>',
  to: 'spamassassin-talk@lists.sourceforge.net',
  headers: [
    ['from', 'Deals <deals@cheap-pills.example>'],
    ['to', 'spamassassin-talk@lists.sourceforge.net'],
    ['subject', 'FREE money!!! for you'],
    ['received', 'from mail.relay.example.com (mail.relay.example.com [10.0.0.1]) by mx.example.org; Tue, 8 Oct 2002 10:00:00'],
    ['message-id', '<123@relay.example.com>'],
    ['list-id', '<spamassassin-talk.lists.sourceforge.net>'],
    ['x-spam-status', 'No, hits=-2.0 on Oct'],
    ['x-mailer', 'Mass Mailer 3.0'],
  ],
  text: 'CLICK here now: http://www.cheap-pills.example/buy and http://10.1.2.3/x for cheap pills today',
  html: '<html><body><img src="a"><font color="#ffffff" style="display:none">hidden</font></body></html>',
  attachments: [{ filename: 'invoice.pdf', mimeType: 'application/pdf', size: 10 }],
};

describe('tokens in words', () => {
  it('knows every literal part the tokenizer builds tokens from', () => {
    const parts = literalParts(fs.readFileSync(TOKENIZER, 'utf8'));
    // The reader must see the tokenizer's calls at all, or this test checks nothing.
    expect(parts.size).toBeGreaterThan(15);
    const known = new Set<string>(TOKEN_PARTS);
    expect([...parts].filter((part) => !known.has(part))).toEqual([]);
  });

  it('describes every token of a message that takes every road, none as unknown', () => {
    // An empty subject is the one road this message cannot take at the same time.
    const tokens = [...tokenize(everything), ...tokenize({ ...everything, subject: '' })];
    const unknown = tokens.filter((t) => tokenWords(t).kind === 'unknown');
    expect(unknown).toEqual([]);
    // Each literal part shows up in some token of this message, so the line above covers it.
    for (const part of TOKEN_PARTS) {
      if (part === '' || part === 'h:${name}:') continue;
      expect(
        tokens.some((t) => t.includes(part)),
        part,
      ).toBe(true);
    }
    for (const token of tokens) expect(tokenWords(token).text, token).not.toBe(token);
  });

  it('says what the cryptic ones mean', () => {
    expect(tokenWords('h:*:oct')).toMatchObject({ text: expect.stringContaining('mentions “oct”'), origin: true });
    expect(tokenWords('hn:subject')).toMatchObject({ text: 'has a Subject header field', origin: false });
    expect(tokenWords('hn:message-id')).toMatchObject({ text: 'has a Message-ID header field', origin: true });
    expect(tokenWords('hn:received').origin).toBe(true);
    expect(tokenWords('body:words:0').text).toBe('the text is 0–1 words long');
    expect(tokenWords('h:received:domain:sourceforge.net')).toMatchObject({
      text: 'relayed through sourceforge.net (Received)',
      origin: true,
    });
    expect(tokenWords('h:list-id:spamassassin').origin).toBe(true);
    expect(tokenWords('h:to:addr:spamassassin-talk@lists.sourceforge.net').origin).toBe(true);
    expect(tokenWords('h:from:addr:deals@cheap-pills.example')).toMatchObject({
      text: 'From address is deals@cheap-pills.example',
      origin: false,
    });
    expect(tokenWords('h:x-mailer:mass').origin).toBe(false);
    expect(tokenWords('subject:free')).toMatchObject({ text: 'subject line has “free”', origin: false });
    expect(tokenWords('subject:UPPER:free').text).toBe('subject line shouts “FREE” in capitals');
    expect(tokenWords('click here').kind).toBe('word-pair');
    expect(tokenWords('free')).toMatchObject({ text: 'the text has “free”', kind: 'word' });
    expect(tokenWords('url:numeric-ip').kind).toBe('link-ip');
    expect(tokenWords('attach:ext:exe').text).toBe('has an attachment named .exe');
    expect(tokenWords('h:*:free').origin).toBe(false);
  });

  it('gives each length bucket the word counts the tokenizer puts in it', () => {
    for (const n of [0, 1, 2, 6, 7, 21, 22, 100, 600, 2999]) {
      const token = tokenize({ ...everything, html: null, text: Array.from({ length: n }, (_, i) => `w${i}`).join(' ') }).find((t) =>
        t.startsWith('body:words:'),
      )!;
      expect(Number(token.slice('body:words:'.length))).toBe(magnitudeBucket(n));
      const range = bucketRange(magnitudeBucket(n));
      const [low, high] = range.includes('or more') ? [Number(range.split(' ')[0]), Infinity] : range.split('–').map(Number);
      expect(n).toBeGreaterThanOrEqual(low!);
      expect(n).toBeLessThanOrEqual(high ?? low!);
    }
  });

  it('reads a bucket of several tokens as each of them, origin when any is', () => {
    const words = contributionWords('free | hn:received');
    expect(words.parts.map((p) => p.token)).toEqual(['free', 'hn:received']);
    expect(words.origin).toBe(true);
  });
});
