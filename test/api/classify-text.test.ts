// Pasted text in the Test view: a first line like "URGENT: …" is text, not a
// header; only a real header block (known mail fields, then an empty line or
// the end) is read as a message.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClassifyResult } from '../../shared/contract';
import { DEFAULT_TRAIN_SETTINGS } from '../../shared/types';
import type { BackendInternals } from '../../electron/backend/api/backend';
import { looksLikeMail } from '../../electron/backend/api/classify';
import { corpusBackend } from '../support/backend';

let backend: BackendInternals;
let cleanUp: () => Promise<void>;
let runId: number;
beforeAll(async () => {
  ({ backend, cleanUp } = await corpusBackend(20));
  runId = (await backend.training.start({ ...DEFAULT_TRAIN_SETTINGS, epochs: 3 }).finished).id;
});
afterAll(() => cleanUp());

async function classifyText(raw: string): Promise<ClassifyResult> {
  const result = await backend.handle('classify.text', { raw, runId });
  if (!result.ok) throw new Error(result.error.message);
  return result.value as ClassifyResult;
}

const tokensOf = (result: ClassifyResult) => result.contributions.flatMap((c) => c.token.split(' | '));

describe('classify.text reads pasted text', () => {
  it('keeps a first line that only looks like a header field in the text', async () => {
    const raw = 'URGENT: claim your FREE prize now\n\nYou have been selected. Send your bank details today to receive the money.';
    const result = await classifyText(raw);
    expect(result.parsed?.subject).toBe('');
    expect(result.parsed?.text).toContain('URGENT: claim your FREE prize now');
    expect(result.parsed?.text).toContain('Send your bank details today');
    const tokens = tokensOf(result);
    expect(tokens).toContain('prize');
    expect(tokens).toContain('bank');
    expect(tokens.some((t) => t.startsWith('hn:'))).toBe(false);
  });

  it('still reads a real header block as mail', async () => {
    const raw =
      'From: Alice <alice@example.org>\nTo: bob@example.org\nSubject: Lunch on Friday\nDate: Tue, 8 Oct 2002 10:00:00 +0000\n\nShall we meet at noon?\n';
    const result = await classifyText(raw);
    expect(result.parsed).toEqual({ subject: 'Lunch on Friday', text: expect.stringContaining('Shall we meet at noon?') });
    expect(result.parsed?.text).not.toContain('From:');
    expect(tokensOf(result)).toContain('hn:from');
  });

  it('needs every line of the block to be a field, and one a known mail header', () => {
    expect(looksLikeMail('Subject: hi\n\nbody')).toBe(true);
    expect(looksLikeMail('Subject: hi')).toBe(true);
    expect(looksLikeMail('From sender@example.org Tue Oct  8 10:00:00 2002\nSubject: hi\n\nbody')).toBe(true);
    expect(looksLikeMail('Received: from a\n\tby b\nSubject: folded\r\n\r\nbody')).toBe(true);
    expect(looksLikeMail('URGENT: claim your FREE prize now\n\nbody')).toBe(false);
    expect(looksLikeMail('Subject: hi\nthis line is text, not a field\n\nbody')).toBe(false);
    expect(looksLikeMail('Note: one\nTodo: two\n\nbody')).toBe(false);
    expect(looksLikeMail('\nSubject: hi')).toBe(false);
    expect(looksLikeMail('Dear friend, hello')).toBe(false);
  });
});
