// spamlab's default training on 100,000 messages, through the command line:
// real SpamAssassin messages as templates (as the UI bench makes them), each
// copy's Subject numbered so every stored message is distinct, written as one
// spam and one ham mbox, imported, then `spamlab train` with no flags. Prints
// wall time and peak memory of the training process against issue 12's
// targets (≤ 60 s, ≤ 1 GB). BENCH_QUICK=1 uses 10,000 messages.
import fs from 'node:fs';
import path from 'node:path';
import { loadCorpus, type CorpusMessage } from '../test/support/corpus';
import { fmt, jsonLines, loadLine, machine, measured } from './common';

const QUICK = process.env.BENCH_QUICK === '1';
const COUNT = QUICK ? 10_000 : 100_000;
const CLI = path.join(__dirname, '..', 'cli.js');

/** The template with its Subject (or, lacking one, a new first header) numbered `i`. */
function variant(template: CorpusMessage, i: number): Buffer {
  const text = template.bytes.toString('latin1');
  const headerEnd = text.search(/\r?\n\r?\n/);
  const head = headerEnd < 0 ? text : text.slice(0, headerEnd);
  const subject = /^Subject:[^\n]*/im.exec(head);
  const varied = subject
    ? `${text.slice(0, subject.index)}${subject[0].replace(/\r$/, '')} #${i}${text.slice(subject.index + subject[0].replace(/\r$/, '').length)}`
    : `Subject: #${i}\n${text}`;
  return Buffer.from(varied.replace(/^(>*From )/gm, '>$1'), 'latin1');
}

function writeMboxes(dir: string): { spam: string; ham: string; spamCount: number; hamCount: number; bytes: number } {
  const templates = loadCorpus({ perGroup: 40 });
  const files = { spam: path.join(dir, 'spam.mbox'), ham: path.join(dir, 'ham.mbox') };
  const fds = { spam: fs.openSync(files.spam, 'w'), ham: fs.openSync(files.ham, 'w') };
  const envelope = Buffer.from('From spamlab@localhost Thu Jan  1 00:00:00 1970\n', 'latin1');
  let spamCount = 0;
  let bytes = 0;
  for (let i = 0; i < COUNT; i++) {
    const t = templates[i % templates.length]!;
    const body = variant(t, i);
    fs.writeSync(fds[t.label], envelope);
    fs.writeSync(fds[t.label], body);
    fs.writeSync(fds[t.label], body[body.length - 1] === 0x0a ? '\n' : '\n\n');
    bytes += body.length;
    if (t.label === 'spam') spamCount++;
  }
  fs.closeSync(fds.spam);
  fs.closeSync(fds.ham);
  return { ...files, spamCount, hamCount: COUNT - spamCount, bytes };
}

function main() {
  console.log(
    `spamlab training on ${fmt(COUNT)} messages — ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC — ${machine()} — ${loadLine()}\n`,
  );
  const dir = fs.mkdtempSync(path.join(fs.realpathSync(process.env.TMPDIR ?? '/tmp'), 'spamlab-scale-'));
  try {
    const mail = writeMboxes(dir);
    console.log(
      `wrote ${fmt(mail.spamCount)} spam and ${fmt(mail.hamCount)} ham (${fmt(mail.bytes / 1e6)} MB) from 200 SpamAssassin templates, Subject numbered per copy`,
    );
    const db = path.join(dir, 'spamlab.db');
    const imports = [
      measured(process.execPath, [CLI, 'import', mail.spam, '--label', 'spam', '--db', db, '--json']),
      measured(process.execPath, [CLI, 'import', mail.ham, '--label', 'ham', '--db', db, '--json']),
    ];
    const stored = imports.map((m) => jsonLines(m.stdout).pop() as { imported: number; duplicates: number });
    const importSeconds = imports[0]!.seconds + imports[1]!.seconds;
    console.log(
      `import: ${fmt(importSeconds, 1)} s (${fmt(COUNT / importSeconds)} msg/s), ${fmt(stored[0]!.imported + stored[1]!.imported)} stored, ` +
        `${fmt(stored[0]!.duplicates + stored[1]!.duplicates)} duplicates; peak RSS ${fmt(Math.max(imports[0]!.peakRssMb, imports[1]!.peakRssMb))} MB`,
    );
    const train = measured(process.execPath, [CLI, 'train', '--db', db, '--json']);
    const run = jsonLines(train.stdout).pop() as {
      status: string;
      backend: string;
      trainCount: number;
      settings: { model: string; epochs: number };
    };
    if (run.status !== 'completed') throw new Error(`training ${run.status}`);
    console.log(
      `train (\`spamlab train\`, no flags: ${run.settings.model}, ${run.backend}, ${fmt(run.trainCount)} training examples, up to ${run.settings.epochs} epochs):`,
    );
    const verdict = (met: boolean) => (met ? 'MET' : 'MISSED');
    console.log(`  wall time ${fmt(train.seconds, 1)} s   (target ≤ 60 s: ${verdict(train.seconds <= 60)})`);
    console.log(`  peak RSS  ${fmt(train.peakRssMb)} MB   (target ≤ 1,024 MB: ${verdict(train.peakRssMb <= 1024)})`);
    if (process.env.BENCH_JSON)
      fs.writeFileSync(
        process.env.BENCH_JSON,
        `${JSON.stringify({ date: new Date().toISOString(), machine: machine(), count: COUNT, importSeconds, trainSeconds: train.seconds, trainPeakRssMb: train.peakRssMb, run }, null, 2)}\n`,
      );
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

try {
  main();
} catch (err) {
  console.error(err);
  process.exit(1);
}
