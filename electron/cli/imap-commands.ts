// `spamlab imap …`: IMAP accounts from the command line. The password comes
// from SPAMLAB_IMAP_PASSWORD or a prompt that does not echo, and lives only in
// this process.
import readline from 'node:readline';
import { Writable } from 'node:stream';
import { FOLDER_ROLES, type ApiClient, type FolderRole, type ImapSecurity, type ImapSyncResult } from '../../shared/contract';
import { memoryCredentials } from '../backend/api';
import { number, parse, print, progressLine, UsageError, withBackend } from './common';

export const IMAP_USAGE = `  spamlab imap add NAME --host H [--port P] [--tls|--starttls|--plain] --user U
      Add an IMAP account (TLS by default; --plain only to this machine). No password is stored.
  spamlab imap test NAME | imap pin NAME SHA256
      Check the connection (naming what failed); trust a self-signed certificate by its fingerprint.
  spamlab imap folders NAME
  spamlab imap sync NAME [--folder F=spam|ham|unlabeled ...]
      Fetch new mail; moves into and out of the Junk folder since the last sync become labels.
  spamlab imap filter NAME [--dry-run] [--flag]
      Sync, then move INBOX mail above the active run's threshold to Junk (--flag: set $Junk only).
  spamlab imap undo NAME
      Move back what the last filter moved.
      (password from SPAMLAB_IMAP_PASSWORD or a prompt; --db and --json on each)`;

const ENV_PASSWORD = 'SPAMLAB_IMAP_PASSWORD';

async function promptPassword(account: string): Promise<string> {
  if (!process.stdin.isTTY) throw new UsageError(`imap: no password for "${account}": set ${ENV_PASSWORD} or run on a terminal`);
  let muted = false;
  const output = new Writable({
    write(chunk, _encoding, done) {
      if (!muted) process.stderr.write(chunk);
      done();
    },
  });
  const rl = readline.createInterface({ input: process.stdin, output, terminal: true });
  const answer = new Promise<string>((resolve) => rl.question(`IMAP password for ${account}: `, resolve));
  muted = true;
  const password = await answer;
  rl.close();
  process.stderr.write('\n');
  return password;
}

/** A backend whose session knows the account's password. */
async function withAccount<T>(dbFile: string | undefined, account: string, work: (api: ApiClient) => Promise<T>): Promise<T> {
  const password = process.env[ENV_PASSWORD] || (await promptPassword(account));
  return withBackend(dbFile, work, { credentials: memoryCredentials(password) });
}

function account(positionals: string[], command: string): string {
  const name = positionals[0];
  if (!name) throw new UsageError(`imap ${command}: give the account NAME`);
  return name;
}

function folderOptions(values: string[] | undefined): Array<{ path: string; role: FolderRole }> | undefined {
  if (!values?.length) return undefined;
  return values.map((value) => {
    const at = value.lastIndexOf('=');
    const role = value.slice(at + 1);
    if (at <= 0 || !(FOLDER_ROLES as readonly string[]).includes(role)) {
      throw new UsageError(`--folder: expected FOLDER=spam|ham|unlabeled, got "${value}"`);
    }
    return { path: value.slice(0, at), role: role as FolderRole };
  });
}

function describeSync(result: ImapSyncResult): string {
  const lines = result.folders.map(
    (f) =>
      `${f.path} (${f.role}): ${f.fetched} fetched, ${f.imported} new, ${f.duplicates} already stored, ${f.failed} failed${f.rescanned ? ' (renumbered by the server: read again)' : ''}`,
  );
  lines.push(`learned from moves: ${result.learned.spam} spam, ${result.learned.ham} ham`);
  for (const c of result.conflicts)
    lines.push(
      `conflict: message ${c.messageId} "${c.subject}" is ${c.label} in spamlab but now in ${c.folder} (${c.mailbox}); left as ${c.label}`,
    );
  if (result.cancelled) lines.push('cancelled: the next sync goes on from here');
  return lines.join('\n');
}

async function sync(api: ApiClient, name: string, folders?: Array<{ path: string; role: FolderRole }>): Promise<ImapSyncResult> {
  const progress = progressLine();
  const off = api.on('imap.progress', (p) => progress.update(`syncing ${p.folder}… ${p.done} of ${p.total}`));
  try {
    return await api.call('imap.sync', { account: name, folders });
  } finally {
    off();
    progress.done();
  }
}

const SUBCOMMANDS: Record<string, (args: string[]) => Promise<number>> = {
  async add(args) {
    const { values, positionals } = parse(
      args,
      {
        host: { type: 'string' },
        port: { type: 'string' },
        user: { type: 'string' },
        tls: { type: 'boolean' },
        starttls: { type: 'boolean' },
        plain: { type: 'boolean' },
      },
      true,
    );
    const name = account(positionals, 'add');
    if (!values.host || !values.user) throw new UsageError('imap add: give --host and --user');
    const chosen = (['tls', 'starttls', 'plain'] as const).filter((s) => values[s]);
    if (chosen.length > 1) throw new UsageError('imap add: choose one of --tls, --starttls, --plain');
    const security: ImapSecurity = chosen[0] ?? 'tls';
    const port = number(values.port, 'port');
    return withBackend(values.db, async (api) => {
      const added = await api.call('imap.add', { name, host: values.host!, port, security, user: values.user! });
      print(values.json ? added : `added IMAP account ${added.name}: ${added.user} at ${added.host}:${added.port} (${added.security})`);
      return 0;
    });
  },
  async test(args) {
    const { values, positionals } = parse(args, {}, true);
    const name = account(positionals, 'test');
    return withAccount(values.db, name, async (api) => {
      const result = await api.call('imap.test', { account: name });
      print(values.json ? result : result.ok ? `${name}: connected and logged in` : `${name}: ${result.problem}: ${result.message}`);
      return result.ok ? 0 : 1;
    });
  },
  async pin(args) {
    const { values, positionals } = parse(args, {}, true);
    const name = account(positionals, 'pin');
    const fingerprint = positionals[1];
    if (!fingerprint) throw new UsageError('imap pin: give the certificate SHA256 fingerprint that `spamlab imap test` showed');
    return withBackend(values.db, async (api) => {
      const pinned = await api.call('imap.pin', { account: name, fingerprint });
      print(values.json ? pinned : `${name}: trusting certificate ${pinned.pinnedCertificate}`);
      return 0;
    });
  },
  async folders(args) {
    const { values, positionals } = parse(args, {}, true);
    const name = account(positionals, 'folders');
    return withAccount(values.db, name, async (api) => {
      const folders = await api.call('imap.folders', { account: name });
      print(
        values.json
          ? folders
          : folders.map((f) => `${f.path}\t${f.messages}\t${f.role}${f.specialUse ? `\t${f.specialUse}` : ''}`).join('\n'),
      );
      return 0;
    });
  },
  async sync(args) {
    const { values, positionals } = parse(args, { folder: { type: 'string', multiple: true } }, true);
    const name = account(positionals, 'sync');
    const folders = folderOptions(values.folder);
    return withAccount(values.db, name, async (api) => {
      const result = await sync(api, name, folders);
      print(values.json ? result : describeSync(result));
      return 0;
    });
  },
  async filter(args) {
    const { values, positionals } = parse(args, { 'dry-run': { type: 'boolean' }, flag: { type: 'boolean' } }, true);
    const name = account(positionals, 'filter');
    return withAccount(values.db, name, async (api) => {
      const synced = await sync(api, name);
      const result = await api.call('imap.filter', {
        account: name,
        dryRun: values['dry-run'] === true,
        mode: values.flag ? 'flag' : 'move',
      });
      if (values.json) print({ sync: synced, filter: result });
      else {
        const verb = result.dryRun ? 'would move' : result.actions[0]?.kind === 'flag' ? 'flagged' : 'moved';
        print(
          [
            `checked ${result.checked} INBOX messages with run ${result.runId} (threshold ${result.threshold})`,
            ...result.actions.map((a) => `${verb} ${a.probability.toFixed(3)}  ${a.subject}  → ${a.to}`),
            `${result.actions.length} ${verb}`,
          ].join('\n'),
        );
      }
      return 0;
    });
  },
  async undo(args) {
    const { values, positionals } = parse(args, {}, true);
    const name = account(positionals, 'undo');
    return withAccount(values.db, name, async (api) => {
      const result = await api.call('imap.undo', { account: name });
      print(values.json ? result : `moved back ${result.undone} messages`);
      return 0;
    });
  },
};

export async function imapCommand(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  const run = sub ? SUBCOMMANDS[sub] : undefined;
  if (!run) throw new UsageError(`imap: expected one of ${Object.keys(SUBCOMMANDS).join(', ')}${sub ? `, got "${sub}"` : ''}`);
  return run(rest);
}
