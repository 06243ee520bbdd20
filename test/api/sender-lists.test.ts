// Allow and block lists on a real trained run and real mail: they decide
// before the model in classify, the batch path and the filter alike, and only
// the parsed From address counts, never a display name that looks like one.
import { describe, expect, it } from 'vitest';
import type { ClassifiedBatch, ClassifyResult, FilteredMessage } from '../../shared/contract';
import { FILTER_HEADERS } from '../../shared/pass-through';
import { corpusTraining } from '../support/backend';
import { loadCorpus } from '../support/corpus';
import { spamlab } from '../support/cli';

const { backend, train } = corpusTraining(40);
const corpus = loadCorpus({ perGroup: 40 });

async function call<T>(method: Parameters<ReturnType<typeof backend>['handle']>[0], request: unknown): Promise<T> {
  const result = await backend().handle(method, request);
  if (!result.ok) throw new Error(`${result.error.kind}: ${result.error.message}`);
  return result.value as T;
}

/** The message with its From field (folded lines included) replaced by these lines. */
const withFrom = (message: Buffer, ...from: string[]) =>
  Buffer.from(message.toString('latin1').replace(/^From:.*(\n[ \t].*)*\n/im, from.map((f) => `From: ${f}\n`).join('')), 'latin1');

/** The verdicts and deciding list of a message by every path that scores one. */
async function judged(message: Buffer) {
  const text = await call<ClassifyResult>('classify.text', { raw: message.toString('latin1') });
  const batch = await call<ClassifiedBatch>('classify.bytes', { messages: [message.toString('base64')] });
  const filtered = await call<FilteredMessage>('filter.message', { message: message.toString('base64') });
  const score = batch.scores[0] as { probability: number; list: string | null };
  const output = Buffer.from(filtered.output, 'base64').toString('latin1');
  const decidedBy = new RegExp(`^${FILTER_HEADERS.decidedBy}: (.*)$`, 'm').exec(output)?.[1] ?? null;
  return { verdicts: [text.verdict, filtered.status], decidedBy: [text.decidedBy, decidedBy], list: score.list };
}

describe('allow and block lists', () => {
  it('call a blocked sender spam and an allowed one ham, whatever the model says', async () => {
    await train({ epochs: 5 });
    const spam = corpus.filter((m) => m.label === 'spam').map((m) => withFrom(m.bytes, 'Friend <Friend@Allowed.example>'));
    const ham = corpus.filter((m) => m.group === 'easy-ham-1').map((m) => withFrom(m.bytes, 'Alice <alice@mail.blocked.example>'));
    const isModel = async (message: Buffer, verdict: string) =>
      (await call<ClassifyResult>('classify.text', { raw: message.toString('latin1') })).verdict === verdict;
    const modelSpam = (await Promise.all(spam.map(async (m) => ((await isModel(m, 'spam')) ? m : null)))).find(Boolean)!;
    const modelHam = (await Promise.all(ham.map(async (m) => ((await isModel(m, 'ham')) ? m : null)))).find(Boolean)!;

    await call('lists.add', { list: 'allow', entries: ['friend@allowed.example'] });
    await call('lists.add', { list: 'block', entries: ['@mail.blocked.example'] });
    expect(await call('lists.get', {})).toEqual({ allow: ['friend@allowed.example'], block: ['mail.blocked.example'] });
    expect(await judged(modelSpam)).toEqual({
      verdicts: ['ham', 'ham'],
      decidedBy: ['decided by your allow list', 'decided by your allow list'],
      list: 'allow',
    });
    expect(await judged(modelHam)).toEqual({
      verdicts: ['spam', 'spam'],
      decidedBy: ['decided by your block list', 'decided by your block list'],
      list: 'block',
    });
    // An address entry beats its domain's: one trusted person at a blocked domain.
    await call('lists.add', { list: 'allow', entries: ['alice@mail.blocked.example'] });
    expect((await judged(modelHam)).verdicts).toEqual(['ham', 'ham']);
    await call('lists.remove', { entries: ['alice@mail.blocked.example'] });

    // The allowed address in a display name (quoted, bare or encoded), beside a second address or in a second From field: the model decides.
    for (const from of [
      ['"friend@allowed.example" <spammer@evil.example>'],
      ['friend@allowed.example <spammer@evil.example>'],
      ['=?utf-8?q?friend=40allowed.example?= <spammer@evil.example>'],
      ['<friend@allowed.example> <spammer@evil.example>'],
      ['friend@allowed.example, spammer@evil.example'],
      ['friend@allowed.example', 'spammer@evil.example'],
    ]) {
      const forged = await judged(withFrom(modelSpam, ...from));
      expect(forged, from.join(' / ')).toEqual({ verdicts: ['spam', 'spam'], decidedBy: [null, null], list: null });
    }
  });

  it('refuse an entry that is neither an address nor a domain, storing none of the request', async () => {
    const before = await call('lists.get', {});
    await expect(call('lists.add', { list: 'block', entries: ['ok.example', 'Name <a@b.example>'] })).rejects.toThrow(
      'bad-input: entries[1]: "Name <a@b.example>" is neither an address (a@example.com) nor a domain (example.com)',
    );
    expect(await call('lists.get', {})).toEqual(before);
  });

  it('are managed from the command line, and classify says when a list decided', () => {
    const db = backend().context.db.name;
    const added = spamlab(['lists', 'block', 'Spammer@Evil.example', '--db', db, '--json']);
    expect(added.status, added.stderr).toBe(0);
    expect(JSON.parse(added.stdout).block).toContain('spammer@evil.example');
    const ham = withFrom(corpus.find((m) => m.group === 'easy-ham-1')!.bytes, 'spammer@evil.example');
    const classified = spamlab(['classify', '--db', db, '--json'], { input: ham });
    expect(JSON.parse(classified.stdout)).toMatchObject({ label: 'spam', decidedBy: 'decided by your block list' });
    const shown = spamlab(['lists', '--db', db]);
    expect(shown.stdout).toMatch(
      /^allow \(1\):\n {2}friend@allowed\.example\nblock \(2\):\n {2}mail\.blocked\.example\n {2}spammer@evil\.example$/m,
    );
    expect(spamlab(['lists', 'remove', '--db', db]).status).toBe(2);
  });
});
