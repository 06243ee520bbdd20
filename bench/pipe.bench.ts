// Messages per second through `spamlab filter` as a mail server runs it: one
// process per message, the whole message in on stdin and out on stdout, one
// delivery at a time and as many at once as there are cores; against
// `bogofilter -p -e` (pass-through, the same job) on the same held-out mail.
// BENCH_QUICK=1 runs on fewer messages.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadCorpus } from '../test/support/corpus';
import { fmt, hasCommand, loadLine, machine, measured, randomSplit, splitOnDisk, table } from './common';

const QUICK = process.env.BENCH_QUICK === '1';
const ROOT = path.join(__dirname, '..', '..');
const CLI = path.join(ROOT, 'dist', 'cli.js');
const MESSAGES = QUICK ? 40 : 300;

type Command = [cmd: string, args: string[]];

/** Pipes each message through its own process of the command, `parallel` at a time; messages per second. */
async function throughput([cmd, args]: Command, messages: Buffer[], parallel: number): Promise<number> {
  const started = performance.now();
  let next = 0;
  const worker = async () => {
    while (next < messages.length) {
      const message = messages[next++]!;
      await new Promise<void>((resolve, reject) => {
        const child = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'ignore'] });
        let out = 0;
        child.stdout.on('data', (chunk: Buffer) => (out += chunk.length));
        child.on('error', reject);
        child.on('close', (status) =>
          // bogofilter -e exits 0 for spam, ham and unsure alike; both tools must have passed the whole message on.
          status === 0 && out >= message.length ? resolve() : reject(new Error(`${cmd} exited ${status} after ${out} bytes`)),
        );
        child.stdin.end(message);
      });
    }
  };
  await Promise.all(Array.from({ length: parallel }, worker));
  return messages.length / ((performance.now() - started) / 1000);
}

async function main() {
  const { train, test } = randomSplit(loadCorpus());
  const split = splitOnDisk(train, test);
  const messages = test.slice(0, MESSAGES).map((m) => m.bytes);
  const db = path.join(split.dir, 'spamlab.db');
  const node = process.execPath;
  measured(node, [CLI, 'import', split.trainSpamMbox, '--label', 'spam', '--db', db]);
  measured(node, [CLI, 'import', split.trainHamMbox, '--label', 'ham', '--db', db]);
  measured(node, [CLI, 'train', '--db', db]);
  const tools: Array<[string, Command]> = [['spamlab filter', [node, [CLI, 'filter', '--db', db]]]];
  if (hasCommand('bogofilter')) {
    const wordlist = path.join(split.dir, 'bogofilter');
    fs.mkdirSync(wordlist);
    measured('bogofilter', ['-d', wordlist, '-s', '-M', '-I', split.trainSpamMbox]);
    measured('bogofilter', ['-d', wordlist, '-n', '-M', '-I', split.trainHamMbox]);
    tools.push(['bogofilter -p -e', ['bogofilter', ['-d', wordlist, '-p', '-e']]]);
  } else console.log('bogofilter is not installed (apt-get install -y bogofilter): spamlab alone');
  const version = spawnSync('bogofilter', ['-V']).stdout?.toString().split('\n')[0] ?? '';
  console.log(`pipe bench: ${messages.length} held-out messages, one process each; ${machine()}; ${loadLine()}`);
  if (version) console.log(version);
  const cores = os.cpus().length;
  const rows = [];
  for (const [tool, command] of tools) {
    const one = await throughput(command, messages, 1);
    const many = await throughput(command, messages, cores);
    rows.push({
      tool,
      'msgs/s, one at a time': fmt(one, 1),
      [`msgs/s, ${cores} at once`]: fmt(many, 1),
      'ms per message': fmt(1000 / one, 0),
    });
  }
  table(rows);
  fs.rmSync(split.dir, { recursive: true, force: true });
}

void main();
