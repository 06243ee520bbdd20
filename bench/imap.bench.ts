// A first IMAP sync of 5,000 SpamAssassin messages from a local Dovecot,
// against importing the same messages from a Maildir: what the network
// protocol costs over reading files. Both through the command line, each into
// a fresh database. Needs root and dovecot-imapd (as the tests do).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadCorpus } from '../test/support/corpus';
import { appendMessages, IMAP_PASSWORD, IMAP_USER, startDovecot } from '../test/support/dovecot';
import { fmt, loadLine, machine, measured, table } from './common';

const COUNT = Number(process.env.BENCH_COUNT ?? 5000);
const CLI = path.join(__dirname, '..', '..', 'dist', 'cli.js');

async function main(): Promise<void> {
  const messages = loadCorpus().slice(0, COUNT);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'spamlab-bench-imap-'));
  const server = await startDovecot();
  try {
    console.log(`${machine()}; ${loadLine()}`);
    await appendMessages(
      server,
      'INBOX',
      messages.map((m) => m.bytes),
    );
    const maildir = path.join(dir, 'Maildir');
    for (const sub of ['cur', 'new', 'tmp']) fs.mkdirSync(path.join(maildir, sub), { recursive: true });
    messages.forEach((m, i) => fs.writeFileSync(path.join(maildir, 'cur', `${i}.bench:2,S`), m.bytes));

    const imapDb = path.join(dir, 'imap.db');
    measured(process.execPath, [
      CLI,
      'imap',
      'add',
      'bench',
      '--host',
      server.host,
      '--port',
      String(server.port),
      '--plain',
      '--user',
      IMAP_USER,
      '--db',
      imapDb,
    ]);
    process.env.SPAMLAB_IMAP_PASSWORD = IMAP_PASSWORD;
    const sync = measured(process.execPath, [CLI, 'imap', 'sync', 'bench', '--folder', 'INBOX=unlabeled', '--db', imapDb, '--json']);
    const synced = JSON.parse(sync.stdout) as { folders: Array<{ fetched: number; imported: number }> };
    const fileImport = measured(process.execPath, [CLI, 'import', maildir, '--db', path.join(dir, 'maildir.db'), '--json']);
    const imported = JSON.parse(fileImport.stdout) as { imported: number };
    table([
      {
        source: 'IMAP (local Dovecot, plain)',
        messages: synced.folders[0]!.fetched,
        stored: synced.folders[0]!.imported,
        seconds: fmt(sync.seconds, 2),
        'msgs/s': fmt(COUNT / sync.seconds),
        'peak MB': fmt(sync.peakRssMb),
      },
      {
        source: 'Maildir (same messages)',
        messages: COUNT,
        stored: imported.imported,
        seconds: fmt(fileImport.seconds, 2),
        'msgs/s': fmt(COUNT / fileImport.seconds),
        'peak MB': fmt(fileImport.peakRssMb),
      },
    ]);
  } finally {
    server.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

void main();
