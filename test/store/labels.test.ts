import { describe, expect, it } from 'vitest';
import { openStore, Db } from '../../electron/backend/store/open';
import { insertMessage, listMessages } from '../../electron/backend/store/messages';
import { currentLabel, labelCounts, setLabel, undoLastLabel } from '../../electron/backend/store/labels';
import { nextUnlabeledId } from '../../electron/backend/store/queue';
import type { ParsedMail } from '../../shared/types';

function mail(n: number, overrides: Partial<ParsedMail> = {}): ParsedMail {
  return {
    contentHash: `hash-${n}`,
    subject: `Subject ${n}`,
    from: `sender${n}@example.org`,
    to: 'me@example.org',
    date: 1_000_000 + n,
    headers: [['subject', `Subject ${n}`]],
    text: `body of message ${n}`,
    html: null,
    attachments: [],
    warnings: [],
    size: 100,
    ...overrides,
  };
}

function storeWith(count: number): Db {
  const db = openStore(':memory:');
  for (let n = 1; n <= count; n++) insertMessage(db, { mail: mail(n), source: 'test', sourceRef: null, raw: null });
  return db;
}

describe('labels', () => {
  it('sets, changes and clears a label, recording every change', () => {
    const db = storeWith(1);
    setLabel(db, 1, 'spam', 'user');
    setLabel(db, 1, 'ham', 'user');
    setLabel(db, 1, null, 'user');
    expect(currentLabel(db, 1)).toBeNull();
    const history = db.prepare('SELECT label, previous, origin FROM label_events ORDER BY id').all();
    expect(history).toEqual([
      { label: 'spam', previous: null, origin: 'user' },
      { label: 'ham', previous: 'spam', origin: 'user' },
      { label: null, previous: 'ham', origin: 'user' },
    ]);
  });

  it('undoes changes one by one, back to the start, and records the undos', () => {
    const db = storeWith(2);
    setLabel(db, 1, 'spam', 'user');
    setLabel(db, 2, 'ham', 'user');
    setLabel(db, 1, 'ham', 'user');
    expect(undoLastLabel(db)).toEqual({ messageId: 1, label: 'spam', previous: 'ham' });
    expect(undoLastLabel(db)).toEqual({ messageId: 2, label: null, previous: 'ham' });
    expect(undoLastLabel(db)).toEqual({ messageId: 1, label: null, previous: 'spam' });
    expect(undoLastLabel(db)).toBeNull();
    expect(labelCounts(db)).toEqual({ spam: 0, ham: 0 });
    expect(db.prepare(`SELECT count(*) FROM label_events WHERE origin = 'undo'`).pluck().get()).toBe(3);
  });

  it('refuses to label a message that does not exist', () => {
    const db = storeWith(1);
    expect(() => setLabel(db, 99, 'spam', 'user')).toThrow('message 99 does not exist');
  });

  it('does not store the same content twice', () => {
    const db = storeWith(1);
    expect(insertMessage(db, { mail: mail(1), source: 'again', sourceRef: null, raw: null })).toBeNull();
    expect(db.prepare('SELECT count(*) FROM messages').pluck().get()).toBe(1);
  });
});

describe('listing and queue', () => {
  it('pages, filters by label and searches the full text', () => {
    const db = storeWith(30);
    insertMessage(db, {
      mail: mail(31, { subject: 'Cheap watches!!!', text: 'rolex replica' }),
      source: 'test',
      sourceRef: null,
      raw: null,
    });
    setLabel(db, 31, 'spam', 'user');
    const page = listMessages(db, {}, 0, 10, null);
    expect(page.total).toBe(31);
    expect(page.rows.map((r) => r.id)).toEqual([31, 30, 29, 28, 27, 26, 25, 24, 23, 22]);
    expect(listMessages(db, { label: 'spam' }, 0, 10, null).rows.map((r) => r.id)).toEqual([31]);
    expect(listMessages(db, { label: 'unlabeled' }, 0, 100, null).total).toBe(30);
    expect(listMessages(db, { search: 'replica' }, 0, 10, null).rows.map((r) => r.subject)).toEqual(['Cheap watches!!!']);
    expect(listMessages(db, { search: 'watch' }, 0, 10, null).total).toBe(1);
    expect(listMessages(db, { search: '"(*' }, 0, 10, null).total).toBe(31);
  });

  it('gives the newest unlabeled message, honouring skips, and a random one', () => {
    const db = storeWith(5);
    setLabel(db, 5, 'ham', 'user');
    expect(nextUnlabeledId(db, 'newest', [], null)).toBe(4);
    expect(nextUnlabeledId(db, 'newest', [4, 3], null)).toBe(2);
    for (let i = 0; i < 20; i++) expect([1, 2, 3, 4]).toContain(nextUnlabeledId(db, 'random', [], null));
    expect(nextUnlabeledId(db, 'random', [1, 2, 3, 4], null)).toBeNull();
  });

  it('orders by uncertainty: the unlabeled message scored closest to the threshold comes first', () => {
    const db = storeWith(4);
    db.prepare(
      `INSERT INTO runs (id, name, status, settings_json, created_at, tokenizer_version) VALUES (1, 'r', 'completed', '{}', 1, 1)`,
    ).run();
    const score = db.prepare('INSERT INTO scores (run_id, message_id, probability) VALUES (1, ?, ?)');
    [
      [1, 0.02],
      [2, 0.62],
      [3, 0.45],
      [4, 0.99],
    ].forEach(([id, p]) => score.run(id, p));
    expect(nextUnlabeledId(db, 'uncertain', [], { runId: 1, threshold: 0.5 })).toBe(3);
    expect(nextUnlabeledId(db, 'uncertain', [3], { runId: 1, threshold: 0.5 })).toBe(2);
    expect(nextUnlabeledId(db, 'uncertain', [3], { runId: 1, threshold: 0.9 })).toBe(4);
  });
});
