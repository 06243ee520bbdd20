// The backend's door as a host sees it: handle, on and close, and the
// requests the command line needs, on a real database with real mail.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Events, Method, ResponseOf } from '../../shared/contract';
import { DEFAULT_TRAIN_SETTINGS } from '../../shared/types';
import { Backend, openApi } from '../../electron/backend/api';
import { loadCorpus, writeEmlFolder } from '../support/corpus';
import { tempDir } from '../support/cli';

const dir = tempDir('door');
const corpus = loadCorpus({ perGroup: 12 });
let backend: Backend;

async function call<M extends Method>(method: M, body: unknown): Promise<ResponseOf<M>> {
  const result = await backend.handle(method, body);
  if (!result.ok) throw new Error(`${result.error.kind}: ${result.error.message}`);
  return result.value as ResponseOf<M>;
}

async function refusal(method: Method, body: unknown): Promise<string> {
  const result = await backend.handle(method, body);
  if (result.ok) throw new Error(`${method} was accepted`);
  return `${result.error.kind}: ${result.error.message}`;
}

beforeAll(async () => {
  writeEmlFolder(path.join(dir, 'mail'), corpus);
  backend = await openApi({ dbPath: path.join(dir, 'spamlab.db') });
  for (const label of ['spam', 'ham'] as const) {
    const files = corpus.filter((m) => m.label === label).map((m) => path.join(dir, 'mail', `${m.name}.eml`));
    await call('import.paths', { paths: files, label });
  }
});
afterAll(async () => {
  await backend.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('the one door', () => {
  it('offers handle, on and close, nothing else', () => {
    expect(Object.keys(backend).sort()).toEqual(['close', 'handle', 'on']);
  });

  it('starts training and says when it finished, with the planned epochs on every epoch event', async () => {
    const epochs: Array<Events['training.epoch']> = [];
    const offEpoch = backend.on('training.epoch', (e) => epochs.push(e));
    const finished = new Promise<Events['training.finished']>((resolve) => {
      const off = backend.on('training.finished', (e) => (off(), resolve(e)));
    });
    const { runId } = await call('training.start', { settings: { ...DEFAULT_TRAIN_SETTINGS, epochs: 2, earlyStoppingPatience: 0 } });
    expect(await finished).toEqual({ runId, status: 'completed', error: null });
    offEpoch();
    expect(epochs.map((e) => [e.point.epoch, e.epochs])).toEqual([
      [0, 2],
      [1, 2],
    ]);
  });

  it('classifies files in input order and says which could not be read', async () => {
    const files = corpus.map((m) => path.join(dir, 'mail', `${m.name}.eml`));
    const batch = await call('classify.files', { paths: [...files, path.join(dir, 'missing.eml')] });
    expect(batch.scores).toHaveLength(files.length + 1);
    expect(batch.scores.at(-1)).toEqual({ error: 'cannot read (ENOENT)' });
    const one = await call('classify.bytes', { messages: [corpus[0]!.bytes.toString('base64')] });
    expect(one.scores).toEqual([batch.scores[0]]);
  });

  it('labels a message by its content: relabels a stored one with history, imports a new one', async () => {
    const changes: Array<Events['labels.changed']> = [];
    const off = backend.on('labels.changed', (e) => changes.push(e));
    const stored = corpus.find((m) => m.label === 'ham')!;
    const relabeled = await call('labels.setByContent', { raw: stored.bytes.toString('base64'), label: 'spam', source: '/mail/client' });
    expect(relabeled).toMatchObject({ label: 'spam', previous: 'ham', imported: false });
    const fresh = loadCorpus({ perGroup: 13 }).find((m) => !corpus.some((c) => c.name === m.name))!;
    const imported = await call('labels.setByContent', { raw: fresh.bytes.toString('base64'), label: 'spam', source: '/mail/client' });
    expect(imported).toMatchObject({ label: 'spam', previous: null, imported: true });
    off();
    expect(changes.map((c) => c.messageId)).toEqual([relabeled.messageId, imported.messageId]);
    const detail = await call('messages.get', { id: relabeled.messageId });
    expect(detail.labelHistory.map((h) => [h.label, h.origin])).toContainEqual(['spam', 'user']);
  });

  it('exports the active model and imports it back as a run', async () => {
    const file = path.join(dir, 'model.spamlab');
    const { runId } = await call('models.export', { file });
    expect(fs.statSync(file).size).toBeGreaterThan(1000);
    const imported = await call('models.import', { file, name: 'round trip' });
    expect(imported.runId).toBeGreaterThan(runId);
    const runs = await call('runs.list', {});
    expect(runs.find((r) => r.id === imported.runId)).toMatchObject({ name: 'round trip', status: 'completed' });
  });

  it('refuses relative paths, naming the field, since a host works in another folder than the backend', async () => {
    expect(await refusal('models.export', { file: 'model.spamlab' })).toBe('bad-input: file: give an absolute path, not "model.spamlab"');
    expect(await refusal('models.import', { file: 'model.spamlab' })).toBe('bad-input: file: give an absolute path, not "model.spamlab"');
    expect(await refusal('classify.files', { paths: ['/a.eml', 'b.eml'] })).toBe('bad-input: paths[1]: give an absolute path, not "b.eml"');
    expect(await refusal('export.labels', { dir: 'out' })).toBe('bad-input: dir: give an absolute folder path, not "out"');
  });

  it('answers a message that is not mail as bad input, not as a failure inside', async () => {
    const junk = Buffer.from('no header line here\n').toString('base64');
    expect(await refusal('labels.setByContent', { raw: junk, label: 'spam', source: '/mail/client' })).toMatch(
      /^bad-input: not a mail message: it does not start with a header line/,
    );
    expect(await refusal('labels.setByContent', { raw: '', label: null, source: '/mail/client' })).toBe('bad-input: empty message');
    expect(await refusal('classify.text', { raw: '' })).toBe('bad-input: empty text');
  });

  it('refuses to write a model where it cannot, naming the file', async () => {
    const inMissingFolder = path.join(dir, 'no-such-folder', 'model.spamlab');
    expect(await refusal('models.export', { file: inMissingFolder })).toBe(`bad-input: ${inMissingFolder}: cannot write (ENOENT)`);
    expect(await refusal('models.export', { file: dir })).toBe(`bad-input: ${dir}: a folder, not a regular file`);
  });

  it('replaces an older model file but writes over nothing else', async () => {
    const file = path.join(dir, 'again.spamlab');
    await call('models.export', { file });
    await call('models.export', { file });
    const precious = path.join(dir, 'notes.txt');
    fs.writeFileSync(precious, 'my notes\n');
    expect(await refusal('models.export', { file: precious })).toBe(
      `bad-input: ${precious}: exists and is not a spamlab model file; not overwritten`,
    );
    expect(fs.readFileSync(precious, 'utf8')).toBe('my notes\n');
  });

  it('refuses a model file that is not one, naming it', async () => {
    const file = path.join(dir, 'mail', `${corpus[0]!.name}.eml`);
    expect(await refusal('models.import', { file })).toBe(`bad-input: ${file}: not a spamlab model file`);
  });
});
