import fs from 'node:fs';
import { afterAll, beforeAll } from 'vitest';
import { DEFAULT_TRAIN_SETTINGS, TrainSettings } from '../../shared/types';
import path from 'node:path';
import { openApiWithInternals, BackendInternals } from '../../electron/backend/api/backend';
import { importPaths } from '../../electron/backend/ingest/importer';
import { CorpusMessage, loadCorpus, writeMbox } from './corpus';
import { tempDir } from './cli';

/** A real backend on a temp database holding labeled SpamAssassin messages. */
export async function corpusBackend(
  perGroup: number,
): Promise<{ backend: BackendInternals; corpus: CorpusMessage[]; cleanUp(): Promise<void> }> {
  const dir = tempDir('corpus');
  const corpus = loadCorpus({ perGroup });
  const backend = await openApiWithInternals({ dbPath: path.join(dir, 'spamlab.db') });
  for (const label of ['spam', 'ham'] as const) {
    const file = path.join(dir, `${label}.mbox`);
    writeMbox(
      file,
      corpus.filter((m) => m.label === label),
    );
    await importPaths(backend.context.db, [file], { label, origin: 'import' });
  }
  return {
    backend,
    corpus,
    async cleanUp() {
      await backend.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** For a test file: a corpus backend opened before its tests and closed after, and a way to train on it with some settings changed. */
export function corpusTraining(perGroup: number) {
  let backend: BackendInternals;
  let cleanUp: () => Promise<void>;
  beforeAll(async () => {
    ({ backend, cleanUp } = await corpusBackend(perGroup));
  });
  afterAll(() => cleanUp());
  return {
    backend: () => backend,
    train: (settings: Partial<TrainSettings>) => backend.training.start({ ...DEFAULT_TRAIN_SETTINGS, ...settings }).finished,
  };
}
