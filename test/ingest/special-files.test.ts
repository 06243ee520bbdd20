// Paths that are not regular files or folders: a FIFO blocks whoever opens it,
// /dev/zero never ends, and Node's recursive mkdir never returns under /proc.
// Each is refused, quickly, with a message naming it.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openApi } from '../../electron/backend/api';
import { exportLabeledMail } from '../../electron/backend/export/labeled-mail';
import { readSources, SourceItem } from '../../electron/backend/ingest/sources';
import { openStore } from '../../electron/backend/store/open';
import { spamlab, tempDir } from '../support/cli';
import { loadCorpus, writeEmlFolder } from '../support/corpus';

const dir = tempDir('special');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const fifo = path.join(dir, 'pipe.eml');
execFileSync('mkfifo', [fifo]);

async function collect(paths: string[]): Promise<SourceItem[]> {
  const items: SourceItem[] = [];
  for await (const item of readSources(paths, { labelGiven: true })) items.push(item);
  return items;
}

describe('import of special files', () => {
  it('refuses a FIFO and /dev/zero without opening them', async () => {
    expect(await collect([fifo, '/dev/zero'])).toEqual([
      { kind: 'error', file: fifo, offset: null, error: 'a named pipe (FIFO), not a regular file or folder' },
      { kind: 'error', file: '/dev/zero', offset: null, error: 'a character device, not a regular file or folder' },
    ]);
  });

  it('skips a FIFO inside a folder of mail and imports the rest', async () => {
    const folder = path.join(dir, 'folder');
    writeEmlFolder(folder, loadCorpus({ perGroup: 1 }).slice(0, 2));
    execFileSync('mkfifo', [path.join(folder, 'zz-pipe.eml')]);
    const items = await collect([folder]);
    expect(items.map((item) => item.kind)).toEqual(['mail', 'mail']);
  });

  it('answers an import of a FIFO through the API instead of freezing the host', async () => {
    const backend = await openApi({ dbPath: path.join(dir, 'api.db') });
    try {
      const result = await backend.handle('import.paths', { paths: [fifo], label: 'spam' });
      expect(result).toMatchObject({ ok: true, value: expect.objectContaining({ failed: 1, imported: 0 }) });
      expect((await backend.handle('dataset.stats', {})).ok).toBe(true);
    } finally {
      await backend.close();
    }
  });
});

describe('the command line on special files', () => {
  const db = path.join(dir, 'cli.db');

  it('label refuses /dev/zero and a FIFO by name, in bounded time and memory', () => {
    for (const [file, kind] of [
      ['/dev/zero', 'a character device'],
      [fifo, 'a named pipe (FIFO)'],
    ]) {
      const result = spamlab(['label', '--as', 'spam', file, '--db', db]);
      expect(result.status).toBe(2);
      expect(result.stderr).toBe(`spamlab label: ${file}: ${kind}, not a regular file\n`);
    }
  });

  it('stops reading an endless stdin at the limit for one message', () => {
    const script = `head -c 70000000 /dev/zero | "${process.execPath}" bin/spamlab.js label --as spam --db "${db}" 2>&1; true`;
    expect(execFileSync('sh', ['-c', script], { encoding: 'utf8' })).toMatch(
      /^spamlab label: -: more than the \d+-byte limit for one message\n$/,
    );
  });
});

describe('databases and export folders in odd places', () => {
  it('refuses a FIFO, a device and a folder as the database', () => {
    expect(() => openStore(fifo)).toThrow(`${fifo}: a named pipe (FIFO), not a database file`);
    expect(() => openStore('/dev/zero')).toThrow('/dev/zero: a character device, not a database file');
    expect(() => openStore(dir)).toThrow(`${dir}: a folder, not a database file`);
  });

  it('refuses a database or an export folder under /proc or /sys at once', () => {
    expect(() => openStore('/proc/spamlab-test/spamlab.db')).toThrow(
      "/proc/spamlab-test/spamlab.db: under /proc, which holds no files of spamlab's",
    );
    const db = openStore(path.join(dir, 'export.db'));
    try {
      expect(() => exportLabeledMail(db, '/proc/spamlab-test/out')).toThrow(
        "/proc/spamlab-test/out: under /proc, which holds no files of spamlab's",
      );
      expect(() => exportLabeledMail(db, '/sys/spamlab-test')).toThrow(/under \/sys/);
    } finally {
      db.close();
    }
  });
});
