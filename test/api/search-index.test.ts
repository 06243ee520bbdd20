import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Backend } from '../../electron/backend/api';
import { openApiWithInternals as openApi } from '../../electron/backend/api/backend';
import type { Method, ResponseOf } from '../../shared/contract';
import { pendingSearchCount } from '../../electron/backend/store/search-index';
import { loadCorpus, writeMbox } from '../support/corpus';
import { tempDir } from '../support/cli';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

async function call<M extends Method>(backend: Backend, method: M, body: unknown): Promise<ResponseOf<M>> {
  const result = await backend.handle(method, body);
  if (!result.ok) throw new Error(`${method}: ${result.error.message}`);
  return result.value as ResponseOf<M>;
}

async function until(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('full-text index after import', () => {
  it('is built in the background after an import through the API, and searches find the new mail', async () => {
    const dir = tempDir('search');
    dirs.push(dir);
    const mbox = path.join(dir, 'mail.mbox');
    writeMbox(mbox, loadCorpus({ perGroup: 60 }));
    const backend = await openApi({ dbPath: path.join(dir, 'spamlab.db') });
    try {
      const imported = await call(backend, 'import.paths', { paths: [mbox], label: null });
      expect(imported.imported).toBe(300);
      // Nobody searched: the backlog drains between requests on its own.
      await until(() => pendingSearchCount(backend.context.db) === 0, 20_000);
      const found = await call(backend, 'messages.list', { filter: { search: 'the' }, offset: 0, limit: 5 });
      expect(found.total).toBeGreaterThan(0);
    } finally {
      await backend.close();
    }
  });

  it('waits for a command-line import: a search indexes what it needs first', async () => {
    const dir = tempDir('search');
    dirs.push(dir);
    const mbox = path.join(dir, 'mail.mbox');
    const corpus = loadCorpus({ perGroup: 10 });
    writeMbox(mbox, corpus);
    const backend = await openApi({ dbPath: path.join(dir, 'spamlab.db'), indexSearchInBackground: false });
    try {
      await call(backend, 'import.paths', { paths: [mbox], label: null });
      expect(pendingSearchCount(backend.context.db)).toBe(50);
      const found = await call(backend, 'messages.list', { filter: { search: 'the' }, offset: 0, limit: 5 });
      expect(found.total).toBeGreaterThan(0);
      expect(pendingSearchCount(backend.context.db)).toBe(0);
    } finally {
      await backend.close();
    }
  });

  it('is built in the background when the command line imports while the app runs, and the stats say how much waits', async () => {
    const dir = tempDir('search');
    dirs.push(dir);
    const mbox = path.join(dir, 'mail.mbox');
    writeMbox(mbox, loadCorpus({ perGroup: 20 }));
    const dbPath = path.join(dir, 'spamlab.db');
    const app = await openApi({ dbPath });
    const cli = await openApi({ dbPath, indexSearchInBackground: false, host: 'cli' });
    try {
      await call(cli, 'import.paths', { paths: [mbox], label: null });
      expect((await call(app, 'dataset.stats', {})).searchBacklog).toBe(100);
      // Nobody searches in the app: it notices the other process's import and indexes it on its own.
      await until(() => pendingSearchCount(app.context.db) === 0, 15_000);
      expect((await call(app, 'dataset.stats', {})).searchBacklog).toBe(0);
    } finally {
      await cli.close();
      await app.close();
    }
  });
});
