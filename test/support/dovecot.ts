// A real Dovecot IMAP server for tests: started as root from a config in a
// temp folder on a free loopback port, one passwd-file user, stopped by stop().
import { execFileSync } from 'node:child_process';
import { createHash, X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { ImapFlow } from 'imapflow';

export const IMAP_USER = 'alice';
export const IMAP_PASSWORD = 'secret';

export interface Dovecot {
  host: string;
  /** Plain IMAP (and STARTTLS when started with tls). */
  port: number;
  /** Implicit TLS, when started with tls. */
  tlsPort: number | null;
  /** SHA-256 of the self-signed certificate, colon-separated hex, when started with tls. */
  fingerprint: string | null;
  dir: string;
  /** Runs doveadm against this server (as for `doveadm mailbox delete`). */
  doveadm(args: string[]): string;
  stop(): void;
}

/**
 * Why Dovecot cannot run here, or null when it can: it needs Linux, Debian's
 * dovecot-imapd and root. With SPAMLAB_DOVECOT=required a missing piece fails
 * the tests instead of skipping them.
 */
export function dovecotUnavailable(): string | null {
  const reason =
    process.platform !== 'linux'
      ? `Dovecot tests run on Linux only (this is ${process.platform})`
      : !fs.existsSync('/usr/sbin/dovecot')
        ? 'no /usr/sbin/dovecot (apt-get install -y dovecot-imapd)'
        : process.getuid?.() !== 0
          ? 'Dovecot is started as root by the tests; run them as root'
          : null;
  if (reason && process.env.SPAMLAB_DOVECOT === 'required') throw new Error(reason);
  if (reason) console.warn(`skipping the IMAP tests: ${reason}`);
  return reason;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function selfSignedCert(dir: string): { cert: string; key: string; fingerprint: string } {
  const cert = path.join(dir, 'cert.pem');
  const key = path.join(dir, 'key.pem');
  execFileSync(
    'openssl',
    ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '2', '-subj', '/CN=localhost'],
    { stdio: 'ignore' },
  );
  const der = new X509Certificate(fs.readFileSync(cert)).raw;
  const fingerprint = createHash('sha256').update(der).digest('hex').toUpperCase().match(/../g)!.join(':');
  return { cert, key, fingerprint };
}

export async function startDovecot(opts: { tls?: boolean } = {}): Promise<Dovecot> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'spamlab-dovecot-'));
  fs.chmodSync(dir, 0o755);
  for (const sub of ['mail', 'run', 'state']) fs.mkdirSync(path.join(dir, sub));
  fs.writeFileSync(path.join(dir, 'users'), `${IMAP_USER}:{PLAIN}${IMAP_PASSWORD}\n`);
  execFileSync('chown', ['-R', 'dovecot:dovecot', path.join(dir, 'mail')]);
  const port = await freePort();
  const tlsPort = opts.tls ? await freePort() : null;
  const tls = opts.tls ? selfSignedCert(dir) : null;
  const config = path.join(dir, 'dovecot.conf');
  fs.writeFileSync(
    config,
    `protocols = imap
listen = 127.0.0.1
base_dir = ${dir}/run
state_dir = ${dir}/state
log_path = ${dir}/dovecot.log
default_login_user = dovenull
default_internal_user = dovecot
default_internal_group = dovecot
first_valid_uid = 100
disable_plaintext_auth = no
mail_location = maildir:~/Maildir
${tls ? `ssl = yes\nssl_cert = <${tls.cert}\nssl_key = <${tls.key}` : 'ssl = no'}
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u ${dir}/users
}
userdb {
  driver = static
  args = uid=dovecot gid=dovecot home=${dir}/mail/%u
}
namespace inbox {
  inbox = yes
  mailbox Junk {
    special_use = \\Junk
    auto = create
  }
}
service imap-login {
  chroot =
  inet_listener imap {
    port = ${port}
  }
  inet_listener imaps {
    port = ${tlsPort ?? 0}
  }
}
service anvil {
  chroot =
}
`,
  );
  execFileSync('/usr/sbin/dovecot', ['-c', config], { stdio: 'ignore' });
  await waitForPort(port);
  const doveadm = (args: string[]) => execFileSync('doveadm', ['-c', config, ...args], { encoding: 'utf8' });
  return {
    host: '127.0.0.1',
    port,
    tlsPort,
    fingerprint: tls?.fingerprint ?? null,
    dir,
    doveadm,
    stop() {
      try {
        doveadm(['stop']);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

async function waitForPort(port: number): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1', () => {
        socket.end();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`dovecot did not listen on port ${port}`);
}

/** A logged-in client on the plain port, for the test's own side of the mailbox. */
export async function testClient(server: Dovecot): Promise<ImapFlow> {
  const client = new ImapFlow({
    host: server.host,
    port: server.port,
    secure: false,
    doSTARTTLS: false,
    auth: { user: IMAP_USER, pass: IMAP_PASSWORD },
    logger: false,
  });
  await client.connect();
  return client;
}

/** Appends messages to a folder (created when missing). */
export async function appendMessages(server: Dovecot, folder: string, messages: Buffer[]): Promise<void> {
  const client = await testClient(server);
  try {
    if (folder !== 'INBOX' && !(await client.list()).some((f) => f.path === folder)) await client.mailboxCreate(folder);
    for (const raw of messages) await client.append(folder, raw);
  } finally {
    await client.logout();
  }
}

/** A mailbox as a mail client leaves it: the ham in INBOX, the spam in Junk. */
export async function fillMailbox(server: Dovecot, mail: ReadonlyArray<{ label: 'spam' | 'ham'; bytes: Buffer }>): Promise<void> {
  await appendMessages(
    server,
    'INBOX',
    mail.filter((m) => m.label === 'ham').map((m) => m.bytes),
  );
  await appendMessages(
    server,
    'Junk',
    mail.filter((m) => m.label === 'spam').map((m) => m.bytes),
  );
}

/** The request that adds the server's test user as an account (plain IMAP on loopback). */
export const plainAccount = (server: Dovecot, name = 'test') =>
  ({ name, host: server.host, port: server.port, security: 'plain', user: IMAP_USER, password: IMAP_PASSWORD }) as const;

/** Moves the messages whose Subject header contains text from one folder to another, as a mail client's Junk button does. */
export async function moveBySubject(server: Dovecot, from: string, to: string, subject: string): Promise<number> {
  const client = await testClient(server);
  try {
    const lock = await client.getMailboxLock(from);
    try {
      const uids = (await client.search({ header: { subject } }, { uid: true })) || [];
      if (uids.length) await client.messageMove(uids.join(','), to, { uid: true });
      return uids.length;
    } finally {
      lock.release();
    }
  } finally {
    await client.logout();
  }
}
