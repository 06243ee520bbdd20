// IMAP accounts: add and test them, sync their folders into the store, learn
// from the user's moves and (when asked) move spam to Junk on the server.
import type { ImapFlow } from 'imapflow';
import type { FilterAction, ImapAccount, ImapFilterResult, Method } from '../../../shared/contract';
import { ApiError } from '../../../shared/errors';
import type { ApiContext, Handlers } from './context';
import { scorerFor } from './classify';
import { ensureFeatures, featuresOf } from '../features/cache';
import { toSparse } from '../features/vectorize';
import { currentLabel, labeledByPerson } from '../store/labels';
import { writeTransaction } from '../store/open';
import { messageRaw } from '../store/messages';
import { hasListEntries, listDecision } from './sender-check';
import * as store from '../store/imap';
import type { Credentials } from '../imap/credentials';
import { ImapConnectionError, isLoopback, openSession, sameFingerprint, serverCertificate } from '../imap/connect';
import { chosenFolders, JUNK_USE, listFolders, syncFolders } from '../imap/sync';

type ImapMethod = Extract<Method, `imap.${string}`>;

const DEFAULT_PORTS = { tls: 993, starttls: 143, plain: 143 } as const;

export function createImapHandlers(credentials: Credentials): Handlers<ImapMethod> {
  const running = new Map<string, { cancelled: boolean }>();

  const summary = async (row: store.AccountRow): Promise<ImapAccount> => ({
    name: row.name,
    host: row.host,
    port: row.port,
    security: row.security,
    user: row.user,
    pinnedCertificate: row.cert_sha256,
    hasPassword: (await credentials.get(row.name)) !== null,
  });

  async function session<T>(ctx: ApiContext, name: string, work: (client: ImapFlow, account: store.AccountRow) => Promise<T>): Promise<T> {
    const account = store.accountByName(ctx.db, name);
    const password = await credentials.get(name);
    if (password === null) {
      throw new ApiError(
        'bad-input',
        `no password for IMAP account "${name}": give it in the app, or set SPAMLAB_IMAP_PASSWORD for the command line`,
      );
    }
    let client: ImapFlow;
    try {
      client = await openSession(account, password);
    } catch (err) {
      if (err instanceof ImapConnectionError) throw new ApiError('bad-input', err.message);
      throw err;
    }
    try {
      return await work(client, account);
    } finally {
      await client.logout().catch(() => client.close());
    }
  }

  async function junkPath(ctx: ApiContext, client: ImapFlow, account: store.AccountRow): Promise<string> {
    const mapped = store.folderStates(ctx.db, account.id).find((s) => s.role === 'spam');
    if (mapped) return mapped.path;
    const special = (await client.list()).find((f) => f.specialUse === JUNK_USE);
    if (!special) throw new ApiError('bad-input', `IMAP account "${account.name}" has no Junk folder: map one to spam with a sync first`);
    return special.path;
  }

  async function filter(
    ctx: ApiContext,
    client: ImapFlow,
    account: store.AccountRow,
    dryRun: boolean,
    mode: 'move' | 'flag',
  ): Promise<ImapFilterResult> {
    const scorer = scorerFor(ctx, undefined);
    const checkLists = hasListEntries(ctx.db);
    ensureFeatures(ctx.db);
    const candidates = store.unfilteredIn(ctx.db, account.id, 'INBOX');
    const junk = await junkPath(ctx, client, account);
    const actions: FilterAction[] = [];
    const chosen: Array<{ messageId: number; uid: number; uidvalidity: string; probability: number }> = [];
    for (const c of candidates) {
      // A message a person called ham stays where it is (a ham label from the folder mapping only says where it was).
      if (currentLabel(ctx.db, c.messageId) === 'ham' && labeledByPerson(ctx.db, c.messageId)) continue;
      const raw = checkLists ? messageRaw(ctx.db, c.messageId) : null;
      const list = raw ? listDecision(ctx.db, raw) : null;
      if (list === 'allow') continue;
      const tokens = featuresOf(ctx.db, c.messageId);
      if (!tokens) continue;
      const probability = scorer.probability(toSparse(tokens, scorer.buckets));
      if (list !== 'block' && probability < scorer.threshold) continue;
      chosen.push({ messageId: c.messageId, uid: c.uid, uidvalidity: c.uidvalidity, probability });
      actions.push({
        messageId: c.messageId,
        subject: c.subject,
        probability,
        from: 'INBOX',
        to: mode === 'move' ? junk : 'INBOX',
        kind: mode,
      });
    }
    const result = { runId: scorer.runId, threshold: scorer.threshold, dryRun, checked: candidates.length, actions };
    if (dryRun || chosen.length === 0) return result;
    // Without UIDPLUS a move is COPY, \Deleted and a plain EXPUNGE (which takes every deleted message in INBOX with it),
    // and the server does not say where the message went, so it could not be put back.
    if (mode === 'move' && !client.capabilities.has('UIDPLUS')) {
      throw new ApiError(
        'bad-input',
        `IMAP account "${account.name}": the server lacks UIDPLUS, so a move could not be undone; mark the spam $Junk instead (--flag)`,
      );
    }
    const pass = Date.now();
    const gone = new Set<number>();
    const lock = await client.getMailboxLock('INBOX');
    try {
      const uidValidity = String(client.mailbox ? client.mailbox.uidValidity : '');
      if (chosen.some((c) => c.uidvalidity !== uidValidity)) {
        throw new ApiError(
          'conflict',
          `IMAP account "${account.name}": the server renumbered INBOX since the last sync; sync, then filter`,
        );
      }
      // Mail moved or deleted since the last sync is left alone.
      const present = new Set((await client.search({ uid: chosen.map((c) => c.uid).join(',') }, { uid: true })) || []);
      for (const c of chosen) {
        if (!present.has(c.uid)) {
          gone.add(c.messageId);
          continue;
        }
        if (mode === 'flag') {
          await client.messageFlagsAdd(String(c.uid), ['$Junk'], { uid: true });
          writeTransaction(ctx.db, () =>
            store.logAction(ctx.db, account.id, {
              message_id: c.messageId,
              kind: 'flag',
              from_folder: 'INBOX',
              to_folder: 'INBOX',
              uid: c.uid,
              probability: c.probability,
              runId: scorer.runId,
              pass,
            }),
          );
          continue;
        }
        const moved = await client.messageMove(String(c.uid), junk, { uid: true });
        const newUid = moved ? moved.uidMap?.get(c.uid) : undefined;
        if (!moved || newUid === undefined)
          throw new ApiError('internal', `the server did not say where it moved UID ${c.uid} (no UIDPLUS answer)`);
        writeTransaction(ctx.db, () => {
          store.logAction(ctx.db, account.id, {
            message_id: c.messageId,
            kind: 'move',
            from_folder: 'INBOX',
            to_folder: junk,
            uid: newUid,
            probability: c.probability,
            runId: scorer.runId,
            pass,
          });
          // Placed in Junk already, so the next sync does not take the filter's own move for the user's.
          store.setPlace(ctx.db, account.id, c.messageId, { folder: junk, uidvalidity: String(moved.uidValidity ?? ''), uid: newUid });
        });
      }
    } finally {
      lock.release();
    }
    return { ...result, actions: actions.filter((a) => !gone.has(a.messageId)) };
  }

  async function undo(ctx: ApiContext, client: ImapFlow, account: store.AccountRow): Promise<number> {
    const actions = store.lastActions(ctx.db, account.id);
    for (const a of actions) {
      const lock = await client.getMailboxLock(a.to_folder);
      try {
        if (a.kind === 'flag') {
          await client.messageFlagsRemove(String(a.uid), ['$Junk'], { uid: true });
          writeTransaction(ctx.db, () => store.markUndone(ctx.db, a.id));
          continue;
        }
        const moved = await client.messageMove(String(a.uid), a.from_folder, { uid: true });
        const newUid = moved ? moved.uidMap?.get(a.uid) : undefined;
        writeTransaction(ctx.db, () => {
          store.markUndone(ctx.db, a.id);
          if (moved && newUid !== undefined) {
            store.setPlace(ctx.db, account.id, a.message_id, {
              folder: a.from_folder,
              uidvalidity: String(moved.uidValidity ?? ''),
              uid: newUid,
            });
          }
        });
      } finally {
        lock.release();
      }
    }
    return actions.length;
  }

  return {
    'imap.add': async (request, ctx) => {
      const host = request.host.trim();
      if (request.security === 'plain' && !isLoopback(host)) {
        throw new ApiError(
          'bad-input',
          `imap.add: plain-text login is only allowed to this machine (127.0.0.1, ::1, localhost), not ${host}: use tls or starttls`,
        );
      }
      const port = request.port ?? DEFAULT_PORTS[request.security];
      writeTransaction(ctx.db, () =>
        store.insertAccount(ctx.db, { name: request.name, host, port, security: request.security, user: request.user }),
      );
      if (request.password !== undefined) await credentials.set(request.name, request.password);
      return summary(store.accountByName(ctx.db, request.name));
    },
    'imap.accounts': async (_request, ctx) => Promise.all(store.listAccounts(ctx.db).map(summary)),
    'imap.remove': async (request, ctx) => {
      const removed = writeTransaction(ctx.db, () => store.removeAccount(ctx.db, request.account));
      await credentials.delete(request.account);
      return { removed };
    },
    'imap.setPassword': async (request, ctx) => {
      const row = store.accountByName(ctx.db, request.account);
      await credentials.set(request.account, request.password);
      return summary(row);
    },
    'imap.test': async (request, ctx) => {
      const account = store.accountByName(ctx.db, request.account);
      const password = await credentials.get(request.account);
      if (password === null)
        return { ok: false, problem: 'login-refused', message: `no password given for "${request.account}"`, fingerprint: null };
      try {
        const client = await openSession(account, password);
        const capabilities = [...client.capabilities.keys()];
        await client.logout().catch(() => client.close());
        return { ok: true, capabilities };
      } catch (err) {
        if (!(err instanceof ImapConnectionError)) throw err;
        return { ok: false, problem: err.problem, message: err.message, fingerprint: err.fingerprint };
      }
    },
    'imap.pin': async (request, ctx) => {
      const account = store.accountByName(ctx.db, request.account);
      const cert = await serverCertificate(account);
      if (!cert) throw new ApiError('bad-input', `imap.pin: ${account.host}:${account.port} showed no TLS certificate`);
      if (!sameFingerprint(cert.fingerprint, request.fingerprint)) {
        throw new ApiError(
          'bad-input',
          `imap.pin: the server shows certificate ${cert.fingerprint}, not ${request.fingerprint}; nothing was pinned`,
        );
      }
      writeTransaction(ctx.db, () => store.pinCertificate(ctx.db, account.id, cert.fingerprint, cert.pem));
      return summary(store.accountByName(ctx.db, request.account));
    },
    'imap.folders': (request, ctx) =>
      session(ctx, request.account, (client, account) => listFolders(client, store.folderStates(ctx.db, account.id))),
    'imap.sync': (request, ctx) => {
      if (running.has(request.account)) throw new ApiError('conflict', `IMAP account "${request.account}" is syncing already`);
      const state = { cancelled: false };
      running.set(request.account, state);
      const release = ctx.searchIndex.hold();
      return session(ctx, request.account, async (client, account) => {
        let folders;
        try {
          folders = chosenFolders(await listFolders(client, store.folderStates(ctx.db, account.id)), request.folders);
        } catch (err) {
          throw new ApiError('bad-input', `imap.sync: ${(err as Error).message}`);
        }
        return syncFolders(ctx, client, account, { folders, isCancelled: () => state.cancelled });
      }).finally(() => {
        running.delete(request.account);
        release();
      });
    },
    'imap.cancel': (request) => {
      const state = running.get(request.account);
      if (state) state.cancelled = true;
      return { cancelled: state !== undefined };
    },
    'imap.filter': (request, ctx) =>
      session(ctx, request.account, (client, account) => filter(ctx, client, account, request.dryRun, request.mode ?? 'move')),
    'imap.undo': (request, ctx) => session(ctx, request.account, async (client, account) => ({ undone: await undo(ctx, client, account) })),
  };
}
