// The MIME parsing path on real SpamAssassin bytes and on broken input.
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { MailParseError, parseMail, stripMboxEnvelope } from '../../electron/backend/ingest/parse';
import { createParsePool, ParserCrash, ParseTimeout } from '../../electron/backend/ingest/parse-pool';
import { loadCorpus } from '../support/corpus';

const enc = (text: string) => Buffer.from(text.replace(/\n/g, '\r\n'), 'latin1');

describe('parseMail on the real corpus', () => {
  it('parses every message of every group, including the ~500 that are not valid UTF-8', async () => {
    const corpus = loadCorpus();
    let withSubject = 0;
    let notUtf8 = 0;
    for (const m of corpus) {
      if (new TextDecoder().decode(m.bytes).includes('\uFFFD')) notUtf8++;
      const mail = await parseMail(m.bytes);
      expect(mail.contentHash).toMatch(/^[0-9a-f]{64}$/);
      if (mail.subject) withSubject++;
    }
    expect(corpus).toHaveLength(6046);
    expect(notUtf8).toBeGreaterThan(300);
    expect(withSubject / corpus.length).toBeGreaterThan(0.97);
  }, 120_000);

  it('decodes a latin-1 body and keeps sender, subject and date', async () => {
    const mail = await parseMail(
      enc(
        'From: =?iso-8859-1?q?Jos=E9?= <jose@example.es>\nTo: a@b.c\nSubject: =?iso-8859-1?q?Caf=E9?=\nDate: Tue, 1 Oct 2002 10:00:00 +0000\nContent-Type: text/plain; charset=iso-8859-1\n\nCaf\xe9 con leche\n',
      ),
    );
    expect(mail.subject).toBe('Café');
    expect(mail.from).toBe('José <jose@example.es>');
    expect(mail.text).toContain('Café con leche');
    expect(mail.date).toBe(Date.UTC(2002, 9, 1, 10));
  });

  it('hashes a message the same with or without its mbox envelope line', async () => {
    const [message] = loadCorpus({ perGroup: 1 });
    const withEnvelope = Buffer.concat([Buffer.from('From someone@example.org Mon Jan  1 00:00:00 2002\n'), message!.bytes]);
    expect(stripMboxEnvelope(withEnvelope).length).toBe(message!.bytes.length);
    expect((await parseMail(withEnvelope)).contentHash).toBe((await parseMail(message!.bytes)).contentHash);
  });
});

describe('parseMail on bad input', () => {
  it('refuses binary junk and empty input with a clear error', async () => {
    const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]), Buffer.alloc(200, 7)]);
    await expect(parseMail(png)).rejects.toThrow(MailParseError);
    await expect(parseMail(png)).rejects.toThrow(/binary data, not a mail message/);
    await expect(parseMail(new Uint8Array(0))).rejects.toThrow(/empty message/);
    await expect(parseMail(Buffer.from('just some words, no headers at all\n'))).rejects.toThrow(/does not start with a header line/);
  });

  it('parses broken MIME (missing and unterminated boundaries) with what it can', async () => {
    const missing = await parseMail(
      enc('Subject: broken\nContent-Type: multipart/mixed\n\n--nowhere\nContent-Type: text/plain\n\nhello\n'),
    );
    expect(missing.subject).toBe('broken');
    const unterminated = await parseMail(
      enc(
        'Subject: cut\nContent-Type: multipart/alternative; boundary="b1"\n\n--b1\nContent-Type: text/plain\n\nfirst part\n--b1\nContent-Type: text/html\n\n<p>second',
      ),
    );
    expect(unterminated.text).toContain('first part');
  });

  it('reads undeclared 8-bit text that is not UTF-8 as windows-1252, in plain and multipart mail and quoted-printable', async () => {
    const plain = await parseMail(enc('Subject: old mail\nContent-Transfer-Encoding: 8bit\n\nold fianc\xe9s, na\xefve\n'));
    expect(plain.text).toBe('old fiancés, naïve\n');
    expect(plain.warnings).toContain('8-bit text with no charset that is not UTF-8: read as windows-1252');
    const multipart = await parseMail(
      enc(
        'Subject: parts\nContent-Type: multipart/alternative; boundary="b"\n\n--b\nContent-Type: text/plain;\n\tformat=flowed\nContent-Transfer-Encoding: quoted-printable\n\ncaf=E9 cr=E8me\n--b--\n',
      ),
    );
    expect(multipart.text).toContain('café crème');
  });

  it('leaves undeclared text that is valid UTF-8, and declared charsets, as they are', async () => {
    const utf8 = await parseMail(Buffer.from('Subject: new mail\r\n\r\ncafé ✓\r\n', 'utf8'));
    expect(utf8.text).toBe('café ✓\n');
    expect(utf8.warnings).toEqual([]);
    const declared = await parseMail(enc('Subject: x\nContent-Type: text/plain; charset=utf-8\n\nbroken \xe9 byte\n'));
    expect(declared.text).toContain('broken \uFFFD byte');
    expect(declared.warnings).toEqual([]);
  });

  it('falls back on an unknown charset and says so', async () => {
    const mail = await parseMail(enc('Subject: odd\nContent-Type: text/plain; charset=x-unknown-42\n\nplain ascii still reads\n'));
    expect(mail.text).toContain('plain ascii still reads');
    expect(mail.warnings).toContain('unknown charset "x-unknown-42": decoded as windows-1252');
  });

  it('cuts a 50 MB message at the limit, in bounded time on the import path, and records the cut', async () => {
    const head = enc('Subject: huge\nContent-Type: text/plain\n\n');
    const huge = Buffer.concat([head, Buffer.alloc(50 * 1024 * 1024, 'spam spam spam\n')]);
    const pool = createParsePool(1);
    const started = Date.now();
    const { mail } = await pool.parse(huge).finally(() => pool.close());
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(mail.warnings.some((w) => /^message cut at \d+ bytes/.test(w))).toBe(true);
    expect(mail.warnings.some((w) => /^text body cut at/.test(w))).toBe(true);
    expect(mail.size).toBe(huge.length);
  }, 30_000);

  it('gives up on a message past the time limit, and hands the next one to a new worker, not the one being stopped', async () => {
    // Starting a worker and parsing 50 MB of one-letter lines take seconds (3 s here); starting one and parsing a small message, well under 450 ms.
    const pool = createParsePool(1, { timeoutMs: 450 });
    try {
      const huge = Buffer.concat([enc('Subject: huge\n\n'), Buffer.alloc(50 * 1024 * 1024, 's\n')]);
      const timedOut = await pool.parse(huge).catch((err: unknown) => err);
      expect(timedOut).toBeInstanceOf(ParseTimeout);
      expect((timedOut as Error).message).toBe('parsing took longer than 0.45 s: given up');
      expect((await pool.parse(loadCorpus({ perGroup: 1 })[0]!.bytes)).mail.subject.length).toBeGreaterThan(0);
      const refusal = await pool.parse(enc('no header line here\n')).catch((err: unknown) => err);
      expect(refusal).toBeInstanceOf(MailParseError);
      expect(refusal).not.toBeInstanceOf(ParserCrash);
    } finally {
      await pool.close();
    }
  }, 30_000);

  it('survives 200 levels of multipart nesting with a clear error', async () => {
    let body = 'Content-Type: text/plain\n\ndeep\n';
    for (let i = 0; i < 200; i++) body = `Content-Type: multipart/mixed; boundary="b${i}"\n\n--b${i}\n${body}--b${i}--\n`;
    const started = Date.now();
    await expect(parseMail(enc(`Subject: deep\n${body}`))).rejects.toThrow(/MIME parser failed: Maximum MIME nesting depth/);
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});

describe('parseMail decides "is this mail" from the header block only', () => {
  const spam = loadCorpus({ perGroup: 1 }).find((m) => m.label === 'spam')!.bytes;
  const bodyStart = spam.indexOf('\n\n') + 2;
  const withInBody = (inserted: Buffer) => Buffer.concat([spam.subarray(0, bodyStart), inserted, spam.subarray(bodyStart)]);

  it('parses a real spam whose body holds a NUL byte or 250 form feeds', async () => {
    const original = await parseMail(spam);
    for (const inserted of [Buffer.from([0]), Buffer.alloc(250, 0x0c)]) {
      const parsed = await parseMail(withInBody(inserted));
      expect(parsed.subject).toBe(original.subject);
      expect(parsed.text.length).toBeGreaterThan(100);
    }
  });

  it('still refuses a NUL byte in the header block', async () => {
    const nulInHeaders = Buffer.concat([spam.subarray(0, 20), Buffer.from([0]), spam.subarray(20)]);
    await expect(parseMail(nulInHeaders)).rejects.toThrow(/NUL byte in the header block/);
  });

  it('parses a real ISO-2022-JP message, escape bytes in its headers and body', async () => {
    const jis = (text: string) => execFileSync('iconv', ['-f', 'UTF-8', '-t', 'ISO-2022-JP'], { input: text });
    const subject = '会議のお知らせ 12月3日 10時';
    // Japanese and ASCII alternate, as in real mail with dates, prices and names: every switch is an ESC sequence.
    const body = Array.from({ length: 60 }, (_, i) => `${i + 1}番 価格 ${100 * i} 円 ABC 株式会社 ${i} 号`).join('\r\n');
    const message = Buffer.concat([
      Buffer.from('From: tanaka@example.jp\r\nTo: suzuki@example.jp\r\nSubject: '),
      jis(subject),
      Buffer.from('\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=ISO-2022-JP\r\nContent-Transfer-Encoding: 7bit\r\n\r\n'),
      jis(body),
      Buffer.from('\r\n'),
    ]);
    expect(message.subarray(0, 4096).filter((b) => b === 0x1b).length).toBeGreaterThan(4096 / 20);
    const parsed = await parseMail(message);
    expect(parsed.text).toContain('株式会社');
    expect(parsed.text).toContain('60番 価格 5900 円');
  });
});
