import { useState } from 'react';
import { useQuery } from '../../api/hooks';
import { AccountPanel } from './AccountPanel';
import { AddAccount } from './AddAccount';

/** IMAP accounts: the mailbox as the dataset. */
export function MailboxesView() {
  const [version, setVersion] = useState(0);
  const accounts = useQuery('imap.accounts', {}, version);
  const changed = () => setVersion((v) => v + 1);
  return (
    <>
      <header className="view-header">
        <h1>Mailboxes</h1>
        <span className="muted small">Sync IMAP folders, learn from your Junk folder, and filter in place.</span>
      </header>
      <div className="view-body imap-view">
        {accounts.error && <div className="notice error">{accounts.error}</div>}
        {accounts.data?.map((a) => (
          <AccountPanel key={a.name} account={a} onChanged={changed} />
        ))}
        <AddAccount onAdded={changed} />
      </div>
    </>
  );
}
