// The Mailboxes view against a real Dovecot: add the account, test it, map
// folders, sync, see the messages with their source, dry-run the filter.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_TRAIN_SETTINGS } from '../../shared/types';
import { loadCorpus } from '../support/corpus';
import { appendMessages, Dovecot, IMAP_PASSWORD, IMAP_USER, startDovecot, dovecotUnavailable } from '../support/dovecot';
import { openHarness, Harness } from './harness';
import { appPage } from './pages/app';

let h: Harness;
let server: Dovecot;
const unavailable = dovecotUnavailable() !== null;
beforeAll(async () => {
  if (unavailable) return;
  server = await startDovecot();
  const corpus = loadCorpus({ perGroup: 30 });
  await appendMessages(
    server,
    'INBOX',
    corpus.filter((m) => m.label === 'ham').map((m) => m.bytes),
  );
  await appendMessages(
    server,
    'Junk',
    corpus.filter((m) => m.label === 'spam').map((m) => m.bytes),
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
  it('adds the account, syncs its folders, shows where messages came from and dry-runs the filter', async () => {
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
    expect(await app.mailboxes.sync()).toMatch(/INBOX: 90 fetched, 90 new · Junk: 60 fetched, 60 new/);
    await h.page.waitForSelector('text=90 messages from imap:local/INBOX');
    await h.page.waitForSelector('text=60 messages from imap:local/Junk');
    expect(await h.page.locator('[data-testid=imap-messages] td:has-text("imap:local/Junk")').count()).toBe(5);
    expect(await app.mailboxes.dryRun()).toMatch(/Dry run with run \d+ \(threshold [\d.]+\): \d+ of 90 INBOX messages would move to Junk/);
    await h.page.locator('[data-testid=imap-filter-result]').scrollIntoViewIfNeeded();
    await h.screenshot('mailboxes-light');
    await h.page.click('[data-testid=theme-toggle]');
    await h.page.waitForFunction(() => document.documentElement.dataset.theme === 'dark');
    await h.screenshot('mailboxes-dark');
  });
});
