import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { findOrInstallChromium } from '../test/support/browser';
import { CorpusMessage, stratifiedSplit, writeEmlFolder, writeMbox } from '../test/support/corpus';

export interface SplitOnDisk {
  dir: string;
  train: CorpusMessage[];
  test: CorpusMessage[];
  trainSpamMbox: string;
  trainHamMbox: string;
  testDir: string;
  testFiles: string[];
  /** The training messages as .eml files too: with `testFiles`, the whole corpus, for throughput. */
  trainFiles: string[];
  trainBytes: number;
}

/** The SpamAssassin corpus, split 80/20 stratified (seed 42). */
export function randomSplit<T extends CorpusMessage>(corpus: T[], seed = 42): { train: T[]; test: T[] } {
  return stratifiedSplit(corpus, 0.2, seed);
}

/** A split written as files, so every tool reads the same bytes. */
export function splitOnDisk(train: CorpusMessage[], test: CorpusMessage[]): SplitOnDisk {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'spamlab-bench-'));
  const trainSpamMbox = path.join(dir, 'train-spam.mbox');
  const trainHamMbox = path.join(dir, 'train-ham.mbox');
  writeMbox(
    trainSpamMbox,
    train.filter((m) => m.label === 'spam'),
  );
  writeMbox(
    trainHamMbox,
    train.filter((m) => m.label === 'ham'),
  );
  const testDir = path.join(dir, 'test');
  fs.mkdirSync(testDir);
  writeEmlFolder(testDir, test);
  const testFiles = test.map((m) => path.join(testDir, `${m.name}.eml`));
  const trainDir = path.join(dir, 'train');
  writeEmlFolder(trainDir, train);
  const trainFiles = train.map((m) => path.join(trainDir, `${m.name}.eml`));
  const trainBytes = train.reduce((sum, m) => sum + m.bytes.length, 0);
  return { dir, train, test, trainSpamMbox, trainHamMbox, testDir, testFiles, trainFiles, trainBytes };
}

export async function timed<T>(work: () => Promise<T> | T): Promise<{ value: T; seconds: number }> {
  const started = performance.now();
  const value = await work();
  return { value, seconds: (performance.now() - started) / 1000 };
}

export function hasCommand(name: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** The Python the filter bench runs scikit-learn with (bench/filter.bench.ts). */
export const PEER_PYTHON = '/usr/bin/python3';

/** A program a benchmark compares with or needs: null when it is here, else what is missing and how to get it. */
type PeerCheck = () => string | null;

const command =
  (name: string, pkg = name): PeerCheck =>
  () =>
    hasCommand(name) ? null : `${name}, which is not on PATH: apt-get install -y ${pkg}`;

const sklearn: PeerCheck = () => {
  if (!isExecutable(PEER_PYTHON)) return `python3 with scikit-learn, and there is no ${PEER_PYTHON}: apt-get install -y python3-sklearn`;
  const probe = spawnSync(PEER_PYTHON, ['-c', 'import numpy, sklearn'], { encoding: 'utf8' });
  return probe.status === 0 ? null : `scikit-learn, which ${PEER_PYTHON} cannot import: apt-get install -y python3-sklearn`;
};

const isExecutable = (file: string) => {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
};

const dovecot: PeerCheck = () =>
  process.platform !== 'linux'
    ? `Linux, to run Dovecot (this is ${process.platform})`
    : !isExecutable('/usr/sbin/dovecot')
      ? 'dovecot, and there is no /usr/sbin/dovecot: apt-get install -y dovecot-imapd'
      : process.getuid?.() !== 0
        ? 'root, to start Dovecot: run it as root'
        : null;

/** Finds the browser (or installs one, with SPAMLAB_INSTALL_BROWSER=1) and hands it on as CHROMIUM_PATH. */
const browser: PeerCheck = () => {
  const found = findOrInstallChromium();
  if (!found.ok) return `a browser: ${found.message}`;
  process.env['CHROMIUM_PATH'] = found.path;
  return null;
};

/** What each benchmark needs besides spamlab; a bench not listed needs nothing more. */
export const BENCH_PEERS: Record<string, PeerCheck[]> = {
  filter: [command('bogofilter'), command('spamprobe'), sklearn],
  pipe: [command('bogofilter')],
  imap: [dovecot],
  ui: [browser],
};

/** One line per peer the benches NAMES need and this machine lacks, each saying how to get it. */
export function missingPeers(names: string[]): string[] {
  return [
    ...new Set(
      names.flatMap((name) =>
        (BENCH_PEERS[name] ?? []).map((check) => check()).flatMap((why) => (why ? [`bench ${name} needs ${why}`] : [])),
      ),
    ),
  ];
}

export const peakRssMb = () => process.resourceUsage().maxRSS / 1024;

export function machine(): string {
  return `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`;
}

/** The 1-minute load average at the start: the machine is shared, and figures move with it. */
export const loadLine = () =>
  `load average ${os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')} on ${os.cpus().length} cores`;

export const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

export function table(rows: Array<Record<string, string | number>>): void {
  const keys = Object.keys(rows[0] ?? {});
  const widths = keys.map((k) => Math.max(k.length, ...rows.map((r) => String(r[k]).length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ');
  console.log(line(keys));
  console.log(line(widths.map((w) => '-'.repeat(w))));
  for (const row of rows) console.log(line(keys.map((k) => String(row[k]))));
}

const TIME = '/usr/bin/time';

export interface Measured {
  stdout: string;
  stderr: string;
  seconds: number;
  /** Peak resident set of the child, from /usr/bin/time; NaN without it. */
  peakRssMb: number;
}

/** Runs a command to its end; wall time and the child's peak memory. */
export function measured(cmd: string, args: string[], okStatus: number[] = [0]): Measured {
  const timeFile = path.join(os.tmpdir(), `spamlab-bench-time-${process.pid}`);
  const viaTime = fs.existsSync(TIME);
  const started = performance.now();
  const result = viaTime
    ? spawnSync(TIME, ['-f', '%M', '-o', timeFile, cmd, ...args], { maxBuffer: 256 * 1024 * 1024 })
    : spawnSync(cmd, args, { maxBuffer: 256 * 1024 * 1024 });
  const seconds = (performance.now() - started) / 1000;
  const stdout = result.stdout?.toString() ?? '';
  const stderr = result.stderr?.toString() ?? '';
  if (result.error || !okStatus.includes(result.status ?? -1))
    throw new Error(`${cmd} ${args.slice(0, 4).join(' ')} … exited ${result.status}: ${result.error ?? stderr.slice(-2000)}`);
  let peakRssMb = NaN;
  if (viaTime) {
    const lines = fs.readFileSync(timeFile, 'utf8').trim().split('\n');
    peakRssMb = Number(lines[lines.length - 1]) / 1024;
    fs.rmSync(timeFile, { force: true });
  }
  return { stdout, stderr, seconds, peakRssMb };
}

export const jsonLines = (text: string) =>
  text
    .trim()
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, unknown>);
