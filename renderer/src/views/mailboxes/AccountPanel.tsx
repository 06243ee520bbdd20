import { useState } from 'react';
import type { ConnectionTest, FolderRole, ImapAccount, ImapFilterResult, ImapFolder, ImapSyncResult } from '../../../../shared/contract';
import { FOLDER_ROLES } from '../../../../shared/contract';
import { api } from '../../api/client';
import { useEvent } from '../../api/hooks';
import { FolderMessages } from './FolderMessages';

type Choice = FolderRole | 'skip';

/** One account: test the connection, map folders, sync with progress, see what came in and where from, dry-run the filter. */
export function AccountPanel({ account, onChanged }: { account: ImapAccount; onChanged(): void }) {
  const [test, setTest] = useState<ConnectionTest | null>(null);
  const [folders, setFolders] = useState<ImapFolder[] | null>(null);
  const [choices, setChoices] = useState<Record<string, Choice>>({});
  const [progress, setProgress] = useState<{ folder: string; done: number; total: number } | null>(null);
  const [sync, setSync] = useState<ImapSyncResult | null>(null);
  const [filter, setFilter] = useState<ImapFilterResult | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [password, setPassword] = useState('');
  const [version, setVersion] = useState(0);
  const [undone, setUndone] = useState<number | null>(null);
  useEvent('imap.progress', (p) => p.account === account.name && setProgress(p));

  const run = async <T,>(what: string, work: () => Promise<T>, done: (value: T) => void) => {
    setBusy(what);
    setError(null);
    try {
      done(await work());
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(null);
      setProgress(null);
    }
  };
  const loadFolders = () =>
    run(
      'folders',
      () => api.call('imap.folders', { account: account.name }),
      (list) => {
        setFolders(list);
        setChoices(
          Object.fromEntries(list.map((f) => [f.path, f.mapped || f.role !== 'unlabeled' || f.path === 'INBOX' ? f.role : 'skip'])),
        );
      },
    );
  const chosen = Object.entries(choices)
    .filter(([, c]) => c !== 'skip')
    .map(([path, role]) => ({ path, role: role as FolderRole }));

  return (
    <div className="panel panel-pad imap-account" data-testid={`imap-account-${account.name}`}>
      <div className="row">
        <strong>{account.name}</strong>
        <span className="muted small">
          {account.user} at {account.host}:{account.port} ({account.security})
          {account.pinnedCertificate && ` · pinned certificate ${account.pinnedCertificate.slice(0, 23)}…`}
        </span>
      </div>
      {!account.hasPassword && (
        <div className="row" style={{ marginTop: 8 }}>
          <input
            type="password"
            aria-label="account password"
            placeholder="Password for this session"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
          <button
            disabled={!password}
            onClick={() =>
              void run(
                'password',
                () => api.call('imap.setPassword', { account: account.name, password }),
                () => (setPassword(''), onChanged()),
              )
            }
          >
            Use password
          </button>
        </div>
      )}
      <div className="row" style={{ marginTop: 8 }}>
        <button
          disabled={busy !== null}
          onClick={() => void run('test', () => api.call('imap.test', { account: account.name }), setTest)}
          data-testid="imap-test"
        >
          {busy === 'test' ? 'Testing…' : 'Test connection'}
        </button>
        <button disabled={busy !== null} onClick={() => void loadFolders()} data-testid="imap-folders">
          {busy === 'folders' ? 'Listing…' : 'Folders'}
        </button>
        <button
          className="primary"
          disabled={busy !== null || folders === null || chosen.length === 0}
          onClick={() =>
            void run(
              'sync',
              () => api.call('imap.sync', { account: account.name, folders: chosen }),
              (r) => (setSync(r), setVersion((v) => v + 1), onChanged()),
            )
          }
          data-testid="imap-sync"
        >
          {busy === 'sync' ? 'Syncing…' : 'Sync'}
        </button>
        {busy === 'sync' && <button onClick={() => void api.call('imap.cancel', { account: account.name })}>Cancel</button>}
        <button
          disabled={busy !== null}
          onClick={() =>
            void run(
              'filter',
              () => api.call('imap.filter', { account: account.name, dryRun: true }),
              (r) => (setFilter(r), setUndone(null)),
            )
          }
          data-testid="imap-dry-run"
        >
          {busy === 'filter' ? 'Checking…' : 'Dry-run filter'}
        </button>
      </div>
      {progress && (
        <div className="small muted" data-testid="imap-progress">
          {progress.folder}: {progress.done} of {progress.total}
          <progress value={progress.done} max={progress.total} style={{ marginLeft: 8 }} />
        </div>
      )}
      {error && <div className="notice error">{error}</div>}
      {test && (
        <div className={`notice${test.ok ? '' : ' error'}`} data-testid="imap-test-result">
          {test.ok ? 'Connected and logged in.' : test.message}
          {!test.ok && test.fingerprint && (
            <div style={{ marginTop: 6 }}>
              <button
                onClick={() =>
                  void run(
                    'pin',
                    () => api.call('imap.pin', { account: account.name, fingerprint: test.fingerprint! }),
                    () => (setTest(null), onChanged()),
                  )
                }
              >
                Trust this certificate for {account.name}
              </button>
            </div>
          )}
        </div>
      )}
      {folders && (
        <table className="grid" data-testid="imap-folder-table">
          <thead>
            <tr>
              <th>Folder</th>
              <th className="num">Messages</th>
              <th>Sync as</th>
            </tr>
          </thead>
          <tbody>
            {folders.map((f) => (
              <tr key={f.path}>
                <td>
                  {f.path} {f.specialUse && <span className="muted small">{f.specialUse}</span>}
                </td>
                <td className="num">{f.messages.toLocaleString()}</td>
                <td>
                  <select
                    aria-label={`map ${f.path}`}
                    value={choices[f.path] ?? 'skip'}
                    onChange={(e) => setChoices({ ...choices, [f.path]: e.target.value as Choice })}
                  >
                    {[...FOLDER_ROLES, 'skip' as const].map((c) => (
                      <option key={c} value={c}>
                        {c === 'skip' ? 'not synced' : c}
                      </option>
                    ))}
                  </select>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {sync && (
        <div className="notice" data-testid="imap-sync-result">
          {sync.folders.map((f) => `${f.path}: ${f.fetched} fetched, ${f.imported} new`).join(' · ')} · learned from moves:{' '}
          {sync.learned.spam} spam, {sync.learned.ham} ham{sync.cancelled && ' · cancelled'}
          {sync.conflicts.map((c) => (
            <div key={c.messageId} className="small">
              Left as {c.label}: “{c.subject}” is now in {c.folder} ({c.mailbox} by the mailbox).
            </div>
          ))}
        </div>
      )}
      {sync?.folders.map((f) => (
        <FolderMessages key={`${f.path}-${version}`} source={`imap:${account.name}/${f.path}`} />
      ))}
      {filter && (
        <div className="notice" data-testid="imap-filter-result">
          {filter.dryRun ? 'Dry run' : filter.actions[0]?.kind === 'flag' ? 'Marked $Junk' : 'Moved to Junk'} with run {filter.runId}{' '}
          (threshold {filter.threshold}): {filter.actions.length} of {filter.checked} INBOX messages
          {filter.dryRun ? ' would move to Junk.' : '.'}
          {filter.actions.slice(0, 20).map((a) => (
            <div key={a.messageId} className="small">
              {a.probability.toFixed(3)} {a.subject}
            </div>
          ))}
          {filter.actions.length > 20 && <div className="small muted">and {filter.actions.length - 20} more</div>}
          <div className="row" style={{ marginTop: 8 }}>
            {filter.dryRun && filter.actions.length > 0 && (
              <>
                <button
                  className="primary"
                  disabled={busy !== null}
                  onClick={() =>
                    void run('filter', () => api.call('imap.filter', { account: account.name, dryRun: false, mode: 'move' }), setFilter)
                  }
                  data-testid="imap-filter-move"
                >
                  Move them to Junk
                </button>
                <button
                  disabled={busy !== null}
                  onClick={() =>
                    void run('filter', () => api.call('imap.filter', { account: account.name, dryRun: false, mode: 'flag' }), setFilter)
                  }
                  data-testid="imap-filter-flag"
                >
                  Only mark them $Junk
                </button>
              </>
            )}
            {!filter.dryRun && filter.actions.length > 0 && (
              <button
                disabled={busy !== null}
                onClick={() =>
                  void run(
                    'undo',
                    () => api.call('imap.undo', { account: account.name }),
                    (r) => (setFilter(null), setUndone(r.undone)),
                  )
                }
                data-testid="imap-filter-undo"
              >
                Undo: put them back
              </button>
            )}
          </div>
          <div className="small muted">Nothing is deleted: every move is logged and can be undone.</div>
        </div>
      )}
      {undone !== null && (
        <div className="notice" data-testid="imap-undo-result">
          Put back {undone} {undone === 1 ? 'message' : 'messages'}.
        </div>
      )}
    </div>
  );
}
