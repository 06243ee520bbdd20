// Opens an IMAP session for an account, and turns what went wrong into a
// problem a person can act on (unreachable, timeout, untrusted certificate,
// login refused).
import { createHash, X509Certificate } from 'node:crypto';
import net from 'node:net';
import type { TLSSocket } from 'node:tls';
import { ImapFlow, type ImapFlowOptions } from 'imapflow';
import type { ConnectionProblem } from '../../../shared/contract';
import type { AccountRow } from '../store/imap';

const TIMEOUT_MS = 15_000;

export class ImapConnectionError extends Error {
  constructor(
    readonly problem: ConnectionProblem,
    message: string,
    readonly fingerprint: string | null = null,
  ) {
    super(message);
  }
}

export const isLoopback = (host: string) => host === 'localhost' || (net.isIP(host) !== 0 && /^(127\.|::1$|::ffff:127\.)/.test(host));

export const sha256Fingerprint = (der: Buffer) => createHash('sha256').update(der).digest('hex').toUpperCase().match(/../g)!.join(':');

const normalFingerprint = (text: string) =>
  text
    .toUpperCase()
    .replace(/[^0-9A-F]/g, '')
    .match(/../g)
    ?.join(':') ?? '';
export const sameFingerprint = (a: string, b: string) => normalFingerprint(a) === normalFingerprint(b);

const CERT_ERRORS = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'CERT_UNTRUSTED',
  'PINNED_CERT_MISMATCH',
]);

function clientOptions(account: AccountRow, password: string | null, tls: ImapFlowOptions['tls']): ImapFlowOptions {
  return {
    host: account.host,
    port: account.port,
    secure: account.security === 'tls',
    doSTARTTLS: account.security === 'starttls' ? true : account.security === 'plain' ? false : undefined,
    auth: password === null ? undefined : { user: account.user, pass: password },
    logger: false,
    connectionTimeout: TIMEOUT_MS,
    greetingTimeout: TIMEOUT_MS,
    socketTimeout: 5 * 60_000,
    tls,
  } as ImapFlowOptions;
}

/** TLS settings: the system's trust, or for a pinned account that one certificate and nothing else. */
function tlsOptions(account: AccountRow): ImapFlowOptions['tls'] {
  if (!account.cert_pem || !account.cert_sha256) return { rejectUnauthorized: true };
  const pinned = account.cert_sha256;
  return {
    rejectUnauthorized: true,
    ca: [account.cert_pem],
    checkServerIdentity: (_host: string, cert: { raw: Buffer }) => {
      if (sameFingerprint(sha256Fingerprint(cert.raw), pinned)) return undefined;
      return Object.assign(new Error('the server certificate is not the one pinned for this account'), { code: 'PINNED_CERT_MISMATCH' });
    },
  } as ImapFlowOptions['tls'];
}

/** The certificate the server shows, read without trusting it and without logging in. */
export async function serverCertificate(account: AccountRow): Promise<{ fingerprint: string; pem: string } | null> {
  if (account.security === 'plain') return null;
  const client = new ImapFlow(clientOptions(account, null, { rejectUnauthorized: false }));
  client.on('error', () => {});
  try {
    // Without a password the session stops before logging in, after TLS is up: the certificate is there to read.
    await client.connect().catch(() => {});
    const socket = (client as unknown as { socket: TLSSocket | undefined }).socket;
    const der = socket?.getPeerCertificate?.()?.raw;
    if (!der) return null;
    return { fingerprint: sha256Fingerprint(der), pem: new X509Certificate(der).toString() };
  } finally {
    client.close();
  }
}

async function classify(err: unknown, account: AccountRow): Promise<ImapConnectionError> {
  const e = err as { code?: string; message?: string; authenticationFailed?: boolean; responseText?: string };
  const where = `${account.host}:${account.port}`;
  const code = e.code ?? '';
  if (e.authenticationFailed || /AUTHENTICATIONFAILED/i.test(e.responseText ?? '') || /authentication failed/i.test(e.message ?? '')) {
    return new ImapConnectionError(
      'login-refused',
      `${where} refused the login for ${account.user}: ${e.responseText || 'wrong user or password'}`,
    );
  }
  if (['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNRESET'].includes(code)) {
    const why = code === 'ECONNREFUSED' ? 'connection refused' : code === 'ENOTFOUND' ? 'no such host' : `unreachable (${code})`;
    return new ImapConnectionError('unreachable', `cannot reach ${where}: ${why}`);
  }
  if (['CONNECT_TIMEOUT', 'GREETING_TIMEOUT', 'UPGRADE_TIMEOUT', 'ETIMEDOUT', 'ETIMEOUT'].includes(code)) {
    return new ImapConnectionError('timeout', `${where} did not answer in time (${code})`);
  }
  if (CERT_ERRORS.has(code)) {
    const cert = await serverCertificate(account);
    const shown = cert ? ` Its SHA-256 fingerprint is ${cert.fingerprint}; pin it for this account only if you recognise it.` : '';
    return new ImapConnectionError(
      'untrusted-certificate',
      `the TLS certificate of ${where} is not trusted (${code}).${shown}`,
      cert?.fingerprint ?? null,
    );
  }
  return new ImapConnectionError('other', `IMAP ${where}: ${e.responseText || e.message || String(err)}`);
}

/** A logged-in session; the caller logs out. */
export async function openSession(account: AccountRow, password: string): Promise<ImapFlow> {
  const client = new ImapFlow(clientOptions(account, password, tlsOptions(account)));
  // A dropped connection surfaces as the failing command's error; this keeps the process alive.
  client.on('error', () => {});
  try {
    await client.connect();
    return client;
  } catch (err) {
    client.close();
    throw await classify(err, account);
  }
}
