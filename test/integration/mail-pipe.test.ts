// Mail whose body carries bytes a spammer chooses (NUL, form feeds) through the
// real CLI and the README's procmail recipe run by the real procmail: scored,
// labelable, passed through whole, and an error never delivered as if it were ham.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CorpusMessage, loadCorpus, writeMbox } from '../support/corpus';
import { FILTER_HEADERS } from '../../shared/pass-through';
import { CLI, ROOT, spamlab, tempDir } from '../support/cli';

const dir = tempDir('pipe');
const db = path.join(dir, 'spamlab.db');
const corpus = loadCorpus({ perGroup: 40 });
const spam = corpus.find((m) => m.group === 'spam-2')!.bytes;
const ham = corpus.find((m) => m.group === 'easy-ham-1')!.bytes;

/** The message with bytes inserted at the start of its body. */
function withInBody(message: Buffer, inserted: Buffer): Buffer {
  const bodyStart = message.indexOf('\n\n') + 2;
  return Buffer.concat([message.subarray(0, bodyStart), inserted, message.subarray(bodyStart)]);
}
const spamWithNul = withInBody(spam, Buffer.from('\0'));
const spamWithFormFeeds = withInBody(spam, Buffer.alloc(250, 0x0c));
const notMail = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0]), Buffer.alloc(300, 7)]);

beforeAll(() => {
  for (const label of ['spam', 'ham'] as const) {
    const file = path.join(dir, `${label}.mbox`);
    writeMbox(
      file,
      corpus.filter((m: CorpusMessage) => m.label === label),
    );
    expect(spamlab(['import', file, '--label', label, '--db', db]).status).toBe(0);
  }
  const trained = spamlab(['train', '--db', db]);
  expect(trained.status, trained.stderr).toBe(0);
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('hostile bytes in a body', () => {
  it('are scored as spam by classify --exit-status, not turned into an error', () => {
    for (const message of [spamWithNul, spamWithFormFeeds]) {
      const result = spamlab(['classify', '--db', db, '--exit-status', '--json'], { input: message });
      expect(result.status, result.stdout + result.stderr).toBe(0);
      expect(JSON.parse(result.stdout)).toMatchObject({ label: 'spam', probability: expect.any(Number) });
    }
  });

  it('can be labeled from a mail client', () => {
    const result = spamlab(['label', '--as', 'spam', '--db', db, '--json'], { input: spamWithNul });
    expect(result.status, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ label: 'spam', imported: true });
  });
});

const hasProcmail = spawnSync('procmail', ['-v']).status === 0;

describe.skipIf(!hasProcmail)("the README's procmail recipe", () => {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const recipe = readme.match(/```\n(:0fw\n\| spamlab filter\n[\s\S]*?)```/)?.[1];
  const home = path.join(dir, 'home');
  const mail = path.join(dir, 'mail');

  // procmail clears the environment and sets its own PATH: what the README tells people to set first.
  const setup = (database: string) =>
    `PATH=${path.join(home, 'bin')}:/usr/bin:/bin\nSPAMLAB_DB=${database}\nMAILDIR=${mail}\nDEFAULT=${mail}/inbox/\n`;

  beforeAll(() => {
    fs.mkdirSync(path.join(home, 'bin'), { recursive: true });
    fs.writeFileSync(path.join(home, 'bin', 'spamlab'), `#!/bin/sh\nexec "${process.execPath}" "${CLI}" "$@"\n`, { mode: 0o755 });
    fs.writeFileSync(path.join(home, '.procmailrc'), setup(db) + recipe);
  });

  /** Delivers one message through procmail; returns its exit status and the messages in each folder they landed in. */
  function deliver(message: Buffer): { status: number | null; folders: Record<string, Buffer[]> } {
    fs.rmSync(mail, { recursive: true, force: true });
    fs.mkdirSync(mail);
    const result = spawnSync('procmail', [path.join(home, '.procmailrc')], { input: message, env: { HOME: home } });
    const folders: Record<string, Buffer[]> = {};
    for (const folder of fs.readdirSync(mail)) {
      const files = fs.readdirSync(path.join(mail, folder, 'new'));
      if (files.length) folders[folder] = files.map((file) => fs.readFileSync(path.join(mail, folder, 'new', file)));
    }
    return { status: result.status, folders };
  }

  /** Where the message went; each delivered copy must be the whole message (as it reads unforged) with the filter's fields on top. */
  function landedIn(message: Buffer, unforged = message): { status: number | null; folders: string[] } {
    const { status, folders } = deliver(message);
    for (const copies of Object.values(folders)) {
      for (const copy of copies) {
        expect(copy.toString('latin1')).toMatch(new RegExp(`^${FILTER_HEADERS.status}: (spam|ham)\n${FILTER_HEADERS.probability}: `));
        expect(copy.subarray(copy.length - unforged.length).equals(unforged)).toBe(true);
      }
    }
    return { status, folders: Object.keys(folders) };
  }

  it('is in the README', () => expect(recipe).toMatch(/EXITCODE=75/));

  it('files spam, with hostile bytes in its body, as spam and ham in the inbox, each message whole', () => {
    expect(landedIn(spamWithNul)).toEqual({ status: 0, folders: ['spam'] });
    expect(landedIn(spamWithFormFeeds)).toEqual({ status: 0, folders: ['spam'] });
    expect(landedIn(spam)).toEqual({ status: 0, folders: ['spam'] });
    expect(landedIn(ham)).toEqual({ status: 0, folders: ['inbox'] });
  });

  it('does not let a sender pre-set the verdict', () => {
    const forged = Buffer.concat([Buffer.from(`${FILTER_HEADERS.status}: ham\n`), spam]);
    expect(landedIn(forged, spam)).toEqual({ status: 0, folders: ['spam'] });
  });

  it('answers an error with a temporary failure and delivers nothing', () => {
    expect(landedIn(notMail)).toEqual({ status: 75, folders: [] });
  });

  it('answers a database that will not open with a temporary failure', () => {
    fs.writeFileSync(path.join(home, '.procmailrc'), setup(path.join(dir, 'no-such-folder', 'x.db')) + recipe);
    try {
      expect(landedIn(ham)).toEqual({ status: 75, folders: [] });
    } finally {
      fs.writeFileSync(path.join(home, '.procmailrc'), setup(db) + recipe);
    }
  });
});
