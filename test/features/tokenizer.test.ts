import { describe, expect, it } from 'vitest';
import { tokenize } from '../../electron/backend/features/tokenizer';
import type { MailContent } from '../../shared/types';
import { countTokens, hashToken, toSparse } from '../../electron/backend/features/vectorize';

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

  it('tags header tokens by field and keeps subject words apart from body words', () => {
    expect(tokens).toContain('subject:free');
    expect(tokens).toContain('subject:UPPER:free');
    expect(tokens).toContain('subject:shouty');
    expect(tokens).toContain('h:x-mailer:mailer');
    expect(tokens).toContain('h:from:domain:cheap-pills.example');
    expect(tokens).toContain('hn:received');
    expect(tokens.some((t) => t.startsWith('h:received:'))).toBe(false);
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
});
