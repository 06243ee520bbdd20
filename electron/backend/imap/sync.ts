// Reads an account's chosen folders into the store: only mail above each
// folder's last synced UID, in batches that commit the messages, where they
// were seen and the folder's new last UID together, so a killed sync resumes
// with nothing lost or doubled. A message seen in a different folder than last
// time was moved by the user: into the Junk folder it becomes spam, out of it ham.
import type { ImapFlow } from 'imapflow';
import type { FolderRole, FolderSync, ImapFolder, ImapSyncResult, LabelConflict } from '../../../shared/contract';
import type { ImportSummary, Label } from '../../../shared/types';
import type { ApiContext } from '../api/context';
import { writeTransaction } from '../store/open';
import { AccountRow, actedOn, FolderState, folderStates, placeOf, saveFolderState, setPlace } from '../store/imap';
import { currentLabel, labeledByPerson, setLabel } from '../store/labels';
import { holdImport, Pending, writeBatch } from '../ingest/importer';
import { dropEmptyImport, finishImport, startImport } from '../store/imports';
import { createParsePool, ParsePool } from '../ingest/parse-pool';

const BATCH = 200;
export const JUNK_USE = '\\Junk';

export const folderSource = (account: AccountRow, folder: string) => `imap:${account.name}/${folder}`;

export async function listFolders(client: ImapFlow, saved: FolderState[]): Promise<ImapFolder[]> {
  const folders = await client.list({ statusQuery: { messages: true } });
  return folders
    .filter((f) => !f.flags.has('\\Noselect'))
    .map((f) => {
      const mapped = saved.find((s) => s.path === f.path);
      const role: FolderRole = mapped?.role ?? (f.specialUse === JUNK_USE ? 'spam' : 'unlabeled');
      return { path: f.path, specialUse: f.specialUse ?? null, messages: f.status?.messages ?? 0, role, mapped: mapped !== undefined };
    });
}

/** Without a choice: the folders mapped before, else the Junk folder and INBOX. */
export function chosenFolders(folders: ImapFolder[], request: Array<{ path: string; role: FolderRole }> | undefined) {
  if (request) {
    for (const r of request)
      if (!folders.some((f) => f.path === r.path))
        throw new Error(`folder "${r.path}" is not on the server (it has ${folders.map((f) => f.path).join(', ')})`);
    return request;
  }
  const mapped = folders.filter((f) => f.mapped);
  if (mapped.length) return mapped.map(({ path, role }) => ({ path, role }));
  return folders.filter((f) => f.specialUse === JUNK_USE || f.path === 'INBOX').map(({ path, role }) => ({ path, role }));
}

interface SyncOptions {
  folders: Array<{ path: string; role: FolderRole }>;
  isCancelled(): boolean;
}

export async function syncFolders(ctx: ApiContext, client: ImapFlow, account: AccountRow, opts: SyncOptions): Promise<ImapSyncResult> {
  const started = performance.now();
  const result: ImapSyncResult = { folders: [], learned: { spam: 0, ham: 0 }, conflicts: [], cancelled: false, seconds: 0 };
  const pool = createParsePool();
  // One sync is one import batch (the folders it read); a sync that found no new mail leaves none.
  const importId = startImport(
    ctx.db,
    opts.folders.map((f) => folderSource(account, f.path)),
    'mailbox',
  );
  const release = holdImport(importId);
  try {
    for (const folder of opts.folders) {
      if (opts.isCancelled()) break;
      result.folders.push(await syncFolder(ctx, client, account, folder, pool, opts, result, importId));
    }
  } finally {
    release();
    const failed = result.folders.reduce((n, f) => n + f.failed, 0);
    finishImport(ctx.db, importId, failed);
    dropEmptyImport(ctx.db, importId);
    await pool.close();
  }
  result.cancelled = opts.isCancelled();
  result.seconds = (performance.now() - started) / 1000;
  return result;
}

async function syncFolder(
  ctx: ApiContext,
  client: ImapFlow,
  account: AccountRow,
  folder: { path: string; role: FolderRole },
  pool: ParsePool,
  opts: SyncOptions,
  result: ImapSyncResult,
  importId: number,
): Promise<FolderSync> {
  const { db } = ctx;
  const lock = await client.getMailboxLock(folder.path, { readOnly: true });
  try {
    const mailbox = client.mailbox;
    if (!mailbox) throw new Error(`folder "${folder.path}" could not be opened`);
    const uidvalidity = String(mailbox.uidValidity);
    const saved = folderStates(db, account.id).find((s) => s.path === folder.path);
    const rescanned = saved !== undefined && saved.uidvalidity !== null && saved.uidvalidity !== uidvalidity;
    let lastUid = saved && !rescanned ? saved.last_uid : 0;
    const report: FolderSync = { path: folder.path, role: folder.role, fetched: 0, imported: 0, duplicates: 0, failed: 0, rescanned };
    const save = () => saveFolderState(db, account.id, { path: folder.path, role: folder.role, uidvalidity, last_uid: lastUid });
    writeTransaction(db, save);
    const uids =
      mailbox.exists === 0 ? [] : ((await client.search({ uid: `${lastUid + 1}:*` }, { uid: true })) || []).filter((u) => u > lastUid);
    if (uids.length === 0) return report;
    const roles = new Map(folderStates(db, account.id).map((s) => [s.path, s.role]));
    const summary: ImportSummary = { imported: 0, duplicates: 0, failed: 0, labeled: 0, failures: [], bytes: 0, seconds: 0 };
    const source = folderSource(account, folder.path);
    let batch: Array<{ uid: number; parsed: Promise<Pending | null> }> = [];

    const flush = async () => {
      const ready = await Promise.all(batch.map(async (b) => ({ uid: b.uid, pending: await b.parsed })));
      batch = [];
      if (ready.length === 0) return;
      writeTransaction(db, () => {
        const stored = ready.filter((r) => r.pending !== null) as Array<{ uid: number; pending: Pending }>;
        const ids = writeBatch(
          db,
          stored.map((r) => r.pending),
          'mailbox',
          summary,
          importId,
        );
        stored.forEach(({ uid, pending }, i) => {
          const id = ids[i]!;
          const before = placeOf(db, account.id, id);
          learn(
            ctx,
            id,
            pending.mail.subject,
            before ? (roles.get(before.folder) ?? null) : null,
            folder,
            result,
            actedOn(db, account.id, id),
          );
          setPlace(db, account.id, id, { folder: folder.path, uidvalidity, uid });
        });
        lastUid = Math.max(lastUid, ...ready.map((r) => r.uid));
        save();
      });
      report.failed = summary.failed;
      ctx.events.emit('imap.progress', { account: account.name, folder: folder.path, done: report.fetched, total: uids.length });
    };

    // By range, not by listing every UID: a first sync of 100,000 messages would not fit on one command line.
    for await (const message of client.fetch(`${lastUid + 1}:*`, { uid: true, source: true }, { uid: true })) {
      if (opts.isCancelled()) break;
      // `n:*` also answers the newest message when it is older than n.
      if (message.uid <= lastUid) continue;
      report.fetched++;
      const raw = message.source;
      batch.push({
        uid: message.uid,
        parsed: raw
          ? pool.parse(raw).then(
              ({ mail, tokens }) => ({ mail, tokens, source, sourceRef: `UID ${message.uid}`, raw, label: null }),
              (err: Error) => {
                summary.failed++;
                summary.failures.push({ file: source, offset: null, error: `UID ${message.uid}: ${err.message}` });
                return null;
              },
            )
          : Promise.resolve(null),
      });
      if (batch.length >= BATCH) await flush();
    }
    await flush();
    report.imported = summary.imported;
    report.duplicates = summary.duplicates;
    report.failed = summary.failed;
    return report;
  } finally {
    lock.release();
  }
}

/**
 * What a message's folder says about it. A move into the spam folder, or out
 * of it, is the user's verdict and is learned unless a person labeled the
 * message otherwise (then it is reported); otherwise the folder's mapping
 * labels only what has no label yet.
 */
function learn(
  ctx: ApiContext,
  messageId: number,
  subject: string,
  fromRole: FolderRole | null,
  folder: { path: string; role: FolderRole },
  result: ImapSyncResult,
  movedByFilter: boolean,
): void {
  const { db } = ctx;
  const current = currentLabel(db, messageId);
  const moved: Label | null =
    fromRole === null
      ? null
      : folder.role === 'spam' && fromRole !== 'spam'
        ? 'spam'
        : fromRole === 'spam' && folder.role !== 'spam'
          ? 'ham'
          : null;
  if (moved === null) {
    // Mail the filter put where it is says what the model thought: that never becomes a label.
    if (folder.role !== 'unlabeled' && current === null && !movedByFilter) setLabel(db, messageId, folder.role, 'mailbox');
    return;
  }
  if (current === moved) return;
  if (current !== null && labeledByPerson(db, messageId)) {
    const conflict: LabelConflict = { messageId, subject, folder: folder.path, label: current, mailbox: moved };
    result.conflicts.push(conflict);
    return;
  }
  setLabel(db, messageId, moved, 'mailbox');
  result.learned[moved]++;
}
