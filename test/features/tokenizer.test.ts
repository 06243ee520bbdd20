import { describe, expect, it } from 'vitest';
import { tokenCounts, tokenHashes, tokenize } from '../../electron/backend/features/tokenizer';
import type { MailContent } from '../../shared/types';
import { countHashes, countTokens, hashToken, sparseFromHashes, TokenCounts, toSparse } from '../../electron/backend/features/vectorize';
import { parseMail } from '../../electron/backend/ingest/parse';
import { loadCorpus } from '../support/corpus';

/** toSparse written the obvious way: per bucket, the weights summed in token order, then normalised. */
function referenceSparse(tokens: TokenCounts, buckets: number) {
  const sums = new Map<number, number>();
  tokens.hashes.forEach((hash, i) => sums.set(hash % buckets, (sums.get(hash % buckets) ?? 0) + 1 + Math.log(tokens.counts[i]!)));
  const ids = [...sums.keys()].sort((a, b) => a - b);
  const values = Float32Array.from(ids, (id) => sums.get(id)!);
  const norm = Math.sqrt(values.reduce((s, v) => s + v * v, 0));
  return { ids, values: [...values.map((v) => v * (1 / norm))] };
}

const base: MailContent = {
  subject: 'FREE Viagra!!!',
  from: 'Deals <deals@cheap-pills.example>',
  to: 'me@example.org',
  headers: [
    ['from', 'Deals <deals@cheap-pills.example>'],
    ['x-mailer', 'Mass Mailer 3.0'],
    ['received', 'from mx.example by relay'],
  ],
  text: 'Click here: http://www.cheap-pills.example/buy now. Click here!',
  html: '<html><body><img src="http://tracker.example/p.gif"><font color="#ffffff">hidden</font></body></html>',
  attachments: [{ filename: 'invoice.pdf.exe', mimeType: 'application/octet-stream', size: 10 }],
};

describe('tokenizer', () => {
  const tokens = tokenize(base);

  it('leaves out what goes stale: dates, message ids, relay queue ids; keeps the domains mail passed through', () => {
    const relayed = tokenize({
      ...base,
      headers: [
        [
          'received',
          'from mail.cheap-pills.example (10.0.0.7) by mx1.isp.example.net with ESMTP id 8F3A2C1B; Tue, 1 Oct 2002 10:00:00 +0100',
        ],
        ['date', 'Tue, 1 Oct 2002 10:00:00 +0100'],
        ['message-id', '<20021001100000.8F3A2C1B@cheap-pills.example>'],
        ['x-tracking', 'campaign a9f3e1 ref'],
      ],
    });
    expect(relayed).toContain('h:received:domain:cheap-pills.example');
    expect(relayed).toContain('h:received:domain:example.net');
    expect(relayed).toContain('hn:date');
    expect(relayed.filter((t) => /8f3a2c1b|2002|10\.0\.0\.7|a9f3e1/i.test(t))).toEqual([]);
    expect(relayed).toContain('h:*:campaign');
  });

  it('tags header tokens by field and keeps subject words apart from body words', () => {
    expect(tokens).toContain('subject:free');
    expect(tokens).toContain('subject:UPPER:free');
    expect(tokens).toContain('subject:shouty');
    expect(tokens).toContain('h:x-mailer:mailer');
    expect(tokens).toContain('h:from:domain:cheap-pills.example');
    expect(tokens).toContain('hn:received');
    expect(tokens.filter((t) => t.startsWith('h:received:'))).toEqual(['h:received:domain:mx.example']);
  });

  it('emits body words, bigrams, URL hosts and HTML hints', () => {
    expect(tokens).toContain('click');
    expect(tokens).toContain('click here');
    expect(tokens).toContain('url:www.cheap-pills.example');
    expect(tokens).toContain('url:cheap-pills.example');
    expect(tokens).toContain('url:tracker.example');
    expect(tokens).toContain('html:tag:img');
    expect(tokens).toContain('html:white-font');
    expect(tokens).toContain('attach:ext:exe');
  });

  it('hashes deterministically into an L2-normalised sparse vector with sorted unique ids', () => {
    expect(hashToken('click')).toBe(hashToken('click'));
    expect(hashToken('click')).not.toBe(hashToken('Click'));
    const vector = toSparse(countTokens(tokens), 2 ** 18);
    const sorted = [...vector.ids].sort((a, b) => a - b);
    expect([...vector.ids]).toEqual(sorted);
    expect(new Set(vector.ids).size).toBe(vector.ids.length);
    const norm = Math.sqrt(vector.values.reduce((s, v) => s + v * v, 0));
    expect(norm).toBeCloseTo(1, 5);
    expect(Math.max(...vector.ids)).toBeLessThan(2 ** 18);
  });

  it('weighs repeated tokens sublinearly', () => {
    const counts = countTokens(['a', 'a', 'a', 'a', 'b']);
    const vector = toSparse(counts, 1 << 20);
    const [va, vb] = [hashToken('a') % (1 << 20), hashToken('b') % (1 << 20)].map((id) => vector.values[vector.ids.indexOf(id)]!);
    expect(va! / vb!).toBeCloseTo(1 + Math.log(4), 5);
  });

  it('handles an empty message', () => {
    const empty = tokenize({ subject: '', from: '', to: '', headers: [], text: '', html: null, attachments: [] });
    expect(empty).toContain('subject:(empty)');
    expect(toSparse(countTokens([]), 16).ids.length).toBe(0);
  });

  it('counts the same hashes whether tokens are hashed as found or built as strings first, on real mail', async () => {
    const messages = loadCorpus({ perGroup: 40 });
    for (const message of messages) {
      const mail = await parseMail(message.bytes);
      const direct = tokenCounts(mail);
      const viaStrings = countTokens(tokenize(mail));
      expect([...direct.hashes], message.name).toEqual([...viaStrings.hashes]);
      expect([...direct.counts], message.name).toEqual([...viaStrings.counts]);
    }
  });

  it('folds hashes into any table size exactly as summing per bucket in token order does', async () => {
    const mail = await parseMail(loadCorpus({ perGroup: 1 }).find((m) => m.label === 'spam')!.bytes);
    const counts = tokenCounts(mail);
    expect(counts.hashes.length).toBeGreaterThan(300);
    // Small tables share buckets; 2^24 × several hundred tokens takes the 64-bit sort path.
    for (const buckets of [7, 64, 2 ** 18, 2 ** 24]) {
      const vector = toSparse(counts, buckets);
      const reference = referenceSparse(counts, buckets);
      expect([...vector.ids], `${buckets} buckets`).toEqual(reference.ids);
      expect([...vector.values], `${buckets} buckets`).toEqual(reference.values);
    }
  });

  it('makes the same vector from hashes as found, in one sort, as counting then folding does, on real mail', async () => {
    const messages = loadCorpus({ perGroup: 40 });
    // Powers of two take the one-sort path (2^1 puts nearly everything in shared buckets); 1000 falls back.
    for (const buckets of [2, 2 ** 10, 2 ** 18, 2 ** 24, 1000]) {
      for (const message of messages) {
        const hashes = tokenHashes(await parseMail(message.bytes));
        const twoSteps = toSparse(countHashes(hashes.slice()), buckets);
        const oneSort = sparseFromHashes(hashes, buckets);
        expect([...oneSort.ids], `${message.name}, ${buckets} buckets`).toEqual([...twoSteps.ids]);
        expect([...oneSort.values], `${message.name}, ${buckets} buckets`).toEqual([...twoSteps.values]);
      }
    }
  });
});
