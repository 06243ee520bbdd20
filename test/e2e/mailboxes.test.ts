// The Mailboxes view against a real Dovecot: add the account, test it, map
// folders, sync, see the messages with their source, dry-run the filter, move and undo.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_TRAIN_SETTINGS } from '../../shared/types';
import { loadCorpus } from '../support/corpus';
import { appendMessages, Dovecot, IMAP_PASSWORD, IMAP_USER, startDovecot, dovecotUnavailable, testClient } from '../support/dovecot';
import { openHarness, Harness } from './harness';
import { appPage } from './pages/app';

let h: Harness;
async function inboxCount(): Promise<number> {
  const client = await testClient(server);
  try {
    const status = await client.status('INBOX', { messages: true });
    return status ? (status.messages ?? 0) : 0;
  } finally {
    await client.logout();
  }
}
let server: Dovecot;
const unavailable = dovecotUnavailable() !== null;
beforeAll(async () => {
  if (unavailable) return;
  server = await startDovecot();
  const corpus = loadCorpus({ perGroup: 30 });
  const spam = corpus.filter((m) => m.label === 'spam');
  // Ten spam arrive in INBOX too, for the filter to find.
  await appendMessages(
    server,
    'INBOX',
    [...corpus.filter((m) => m.label === 'ham'), ...spam.slice(50)].map((m) => m.bytes),
  );
  await appendMessages(
    server,
    'Junk',
    spam.slice(0, 50).map((m) => m.bytes),
  );
  h = await openHarness();
  // A trained run on the labeled sample, for the filter's dry run.
  await h.backend.handle('import.sample', { label: true });
  const finished = new Promise((resolve) => h.backend.on('training.finished', resolve));
  await h.backend.handle('training.start', { settings: DEFAULT_TRAIN_SETTINGS });
  await finished;
  await h.page.reload();
});
afterAll(async () => {
  await h?.close();
  server?.stop();
});

describe.skipIf(unavailable)('Mailboxes view', () => {
  it('adds the account, syncs its folders, shows where messages came from, dry-runs the filter, moves and puts back', async () => {
    const app = appPage(h.page);
    await app.nav('mailboxes');
    await h.page.waitForSelector('[data-testid=imap-add]');
    await app.mailboxes.add({
      name: 'local',
      host: server.host,
      port: server.port,
      security: 'plain',
      user: IMAP_USER,
      password: IMAP_PASSWORD,
    });
    expect(await app.mailboxes.testConnection()).toContain('Connected and logged in');
    await app.mailboxes.listFolders();
    expect(await h.page.inputValue('select[aria-label="map Junk"]')).toBe('spam');
    await app.mailboxes.map('INBOX', 'ham');
    expect(await app.mailboxes.sync()).toMatch(/INBOX: 100 fetched, 100 new · Junk: 50 fetched, 50 new/);
    await h.page.waitForSelector('text=100 messages from imap:local/INBOX');
    await h.page.waitForSelector('text=50 messages from imap:local/Junk');
    expect(await h.page.locator('[data-testid=imap-messages] td:has-text("imap:local/Junk")').count()).toBe(5);
    const dry = await app.mailboxes.dryRun();
    expect(dry).toMatch(/Dry run with run \d+ \(threshold [\d.]+\): \d+ of 100 INBOX messages would move to Junk/);
    const planned = Number(/: (\d+) of 100/.exec(dry!)![1]);
    expect(planned).toBeGreaterThan(0);
    await h.page.locator('[data-testid=imap-filter-result]').scrollIntoViewIfNeeded();
    await h.screenshot('mailboxes-light');
    await h.page.click('[data-testid=imap-filter-move]');
    await h.page.waitForSelector(`[data-testid=imap-filter-result] >> text=Moved to Junk`);
    expect(await h.page.textContent('[data-testid=imap-filter-result]')).toContain(`${planned} of 100 INBOX messages.`);
    expect(await inboxCount()).toBe(100 - planned);
    await h.page.click('[data-testid=imap-filter-undo]');
    await h.page.waitForSelector(`[data-testid=imap-undo-result] >> text=Put back ${planned}`);
    expect(await inboxCount()).toBe(100);
    await h.page.click('[data-testid=theme-toggle]');
    await h.page.waitForFunction(() => document.documentElement.dataset.theme === 'dark');
    await h.screenshot('mailboxes-dark');
  });
});
