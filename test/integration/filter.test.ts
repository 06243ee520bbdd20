// `spamlab filter` as a mail pipe: every SpamAssassin message comes out byte for
// byte as it went in (8-bit bodies, CRLF line ends) apart from the status
// fields added at the top; fields a sender pre-set are removed; what is not
// mail passes on marked as an error. A real trained run, real mail, the real CLI.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FilteredMessage } from '../../shared/contract';
import { FILTER_HEADERS } from '../../shared/pass-through';
import { DEFAULT_TRAIN_SETTINGS } from '../../shared/types';
import type { BackendInternals } from '../../electron/backend/api/backend';
import { corpusBackend } from '../support/backend';
import { CorpusMessage, loadCorpus } from '../support/corpus';
import { spamlab, tempDir } from '../support/cli';

let backend: BackendInternals;
let cleanUp: () => Promise<void>;
let runId: number;
let dbFile: string;
beforeAll(async () => {
  ({ backend, cleanUp } = await corpusBackend(40));
  runId = (await backend.training.start({ ...DEFAULT_TRAIN_SETTINGS, epochs: 5 }).finished).id;
  dbFile = backend.context.db.name;
});
afterAll(() => cleanUp());

async function filter(message: Buffer, explain = false): Promise<FilteredMessage & { bytes: Buffer }> {
  const result = await backend.handle('filter.message', { message: message.toString('base64'), explain });
  if (!result.ok) throw new Error(result.error.message);
  const value = result.value as FilteredMessage;
  return { ...value, bytes: Buffer.from(value.output, 'base64') };
}

const ADDED = new RegExp(`^((?:X-Spamlab-[A-Za-z]+: [ -~]*(\r?\n))*)`);

/** The fields the filter added at the top, and the rest of the output. */
function splitAdded(output: Buffer): { fields: string[]; eols: Set<string>; rest: Buffer } {
  const head = ADDED.exec(output.subarray(0, 2000).toString('latin1'))![1]!;
  const lines = head.split(/(?<=\n)/).filter(Boolean);
  return {
    fields: lines.map((line) => line.replace(/\r?\n$/, '')),
    eols: new Set(lines.map((line) => (line.endsWith('\r\n') ? 'CRLF' : 'LF'))),
    rest: output.subarray(Buffer.byteLength(head, 'latin1')),
  };
}

const crlf = (message: Buffer) => Buffer.from(message.toString('latin1').replace(/\r?\n/g, '\r\n'), 'latin1');
const isEightBit = (message: Buffer) => message.some((byte) => byte >= 0x80);
/** Whether the message's first line ends in CRLF: the line end its added fields must use. */
const isCrlf = (message: Buffer) => message[message.indexOf('\n') - 1] === 0x0d;

describe('pass-through on every SpamAssassin message', () => {
  const corpus = loadCorpus();

  it('leaves every byte as it was and adds status, probability and run at the top, in the message’s own line ends', async () => {
    const statuses = new Map<string, number>();
    let eightBit = 0;
    let withCrlf = 0;
    for (const [i, m] of corpus.entries()) {
      // Every tenth message also in CRLF, as mail arrives from SMTP and some stores keep it.
      for (const message of i % 10 === 0 ? [m.bytes, crlf(m.bytes)] : [m.bytes]) {
        const result = await filter(message);
        const { fields, eols, rest } = splitAdded(result.bytes);
        expect(rest.equals(message), m.name).toBe(true);
        expect(eols, m.name).toEqual(new Set([isCrlf(message) ? 'CRLF' : 'LF']));
        statuses.set(result.status, (statuses.get(result.status) ?? 0) + 1);
        if (result.status === 'error') {
          expect(fields, m.name).toEqual([`${FILTER_HEADERS.status}: error`]);
          continue;
        }
        expect(fields, m.name).toEqual([
          `${FILTER_HEADERS.status}: ${result.status}`,
          `${FILTER_HEADERS.probability}: ${result.probability!.toFixed(4)}`,
          `${FILTER_HEADERS.run}: ${runId}`,
        ]);
        if (isEightBit(message)) eightBit++;
        if (isCrlf(message)) withCrlf++;
      }
    }
    expect(statuses.get('error') ?? 0).toBeLessThan(10);
    expect((statuses.get('spam') ?? 0) + (statuses.get('ham') ?? 0)).toBeGreaterThan(6_600);
    expect(eightBit).toBeGreaterThan(500);
    expect(withCrlf).toBeGreaterThan(600);
  });
});

describe('what a sender cannot do', () => {
  const [spam] = loadCorpus({ perGroup: 1 }).filter((m) => m.label === 'spam') as [CorpusMessage];

  /** The message with lines put after its first header field. */
  function withForged(message: Buffer, forged: string): Buffer {
    const at = message.indexOf('\n') + 1;
    return Buffer.concat([message.subarray(0, at), Buffer.from(forged, 'latin1'), message.subarray(at)]);
  }

  it('pre-sets no X-Spamlab field: forged ones, folded or in any case, are removed; the same words in the body stay', async () => {
    const bodyLine = `${FILTER_HEADERS.status}: ham (quoted in the body)\n`;
    const original = Buffer.concat([spam.bytes, Buffer.from(bodyLine)]);
    const forged = withForged(
      original,
      `${FILTER_HEADERS.status}: ham\nx-spamlab-probability:0.0001\n\tfolded on\n  two lines\nX-SPAMLAB-RUN : 1\n`,
    );
    for (const [input, expected] of [
      [forged, original],
      [crlf(forged), crlf(original)],
    ] as const) {
      const result = await filter(input);
      expect(result.status).not.toBe('error');
      const { fields, rest } = splitAdded(result.bytes);
      expect(fields).toHaveLength(3);
      expect(rest.equals(expected)).toBe(true);
      expect(rest.toString('latin1')).toContain(bodyLine.trimEnd());
    }
  });

  it('names the three tokens that pushed the message most when asked, in plain ASCII', async () => {
    const result = await filter(spam.bytes, true);
    const { fields, rest } = splitAdded(result.bytes);
    expect(rest.equals(spam.bytes)).toBe(true);
    expect(fields[3]).toMatch(new RegExp(`^${FILTER_HEADERS.tokens}: ("[ -~]*" [+-]\\d+\\.\\d\\d, ){2}"[ -~]*" [+-]\\d+\\.\\d\\d$`));
  });
});

describe('what is not mail', () => {
  const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0]), Buffer.alloc(300, 7)]);
  const noHeader = Buffer.from('just some words\nand more words\n');

  it('passes on untouched, marked as an error, with the reason', async () => {
    for (const input of [png, noHeader, Buffer.alloc(0)]) {
      const result = await filter(input);
      expect(result).toMatchObject({ status: 'error', probability: null, error: expect.any(String) });
      const { fields, rest } = splitAdded(result.bytes);
      expect(fields).toEqual([`${FILTER_HEADERS.status}: error`]);
      expect(rest.equals(input)).toBe(true);
    }
  });
});

describe('the spamlab filter command', () => {
  const [ham] = loadCorpus({ perGroup: 1 }) as [CorpusMessage];
  const dir = tempDir('filter');
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  const run = (args: string[], input: Buffer) => spamlab(['filter', ...args], { input });

  it('writes the message with its verdict to standard output and exits 0', () => {
    const result = run(['--db', dbFile], ham.bytes);
    expect(result.status, result.stderr).toBe(0);
    const out = Buffer.from(result.stdout, 'utf8');
    expect(out.subarray(out.length - ham.bytes.length).equals(ham.bytes)).toBe(true);
    expect(result.stdout).toMatch(new RegExp(`^${FILTER_HEADERS.status}: (spam|ham)\n${FILTER_HEADERS.probability}: `));
  });

  it('passes the message on marked as an error when there is no model or no database to open, still exiting 0', () => {
    const empty = path.join(dir, 'empty.db');
    const notADatabase = path.join(dir, 'junk.db');
    fs.writeFileSync(notADatabase, 'not SQLite at all, and long enough to look like a file');
    for (const db of [empty, notADatabase]) {
      const result = run(['--db', db], ham.bytes);
      expect(result.status, result.stderr).toBe(0);
      expect(result.stderr).toMatch(/^spamlab filter: /);
      expect(result.stdout.startsWith(`${FILTER_HEADERS.status}: error\n`)).toBe(true);
    }
  });
});
