import { useState } from 'react';
import { IMAP_SECURITY, type ImapAccount, type ImapSecurity } from '../../../../shared/contract';
import { api } from '../../api/client';

const DEFAULT_PORT: Record<ImapSecurity, number> = { tls: 993, starttls: 143, plain: 143 };
const SECURITY_NAMES: Record<ImapSecurity, string> = { tls: 'TLS', starttls: 'STARTTLS', plain: 'Plain (this machine only)' };

/** Host, port, security, user and password; the password goes to the host's credential store, never the database. */
export function AddAccount({ onAdded }: { onAdded(account: ImapAccount): void }) {
  const [form, setForm] = useState({ name: '', host: '', port: '', security: 'tls' as ImapSecurity, user: '', password: '' });
  const [error, setError] = useState<string | null>(null);
  const set = (key: keyof typeof form) => (e: React.ChangeEvent<HTMLInputElement | HTMLSelectElement>) =>
    setForm({ ...form, [key]: e.target.value });
  const add = async () => {
    setError(null);
    try {
      const account = await api.call('imap.add', {
        name: form.name.trim(),
        host: form.host.trim(),
        port: form.port ? Number(form.port) : undefined,
        security: form.security,
        user: form.user.trim(),
        password: form.password || undefined,
      });
      setForm({ ...form, name: '', password: '' });
      onAdded(account);
    } catch (err) {
      setError((err as Error).message);
    }
  };
  return (
    <div className="panel panel-pad" data-testid="imap-add">
      <h2 className="small muted" style={{ marginTop: 0 }}>
        ADD AN IMAP ACCOUNT
      </h2>
      <div className="imap-form">
        <input type="text" aria-label="account name" placeholder="Name (e.g. work)" value={form.name} onChange={set('name')} />
        <input type="text" aria-label="host" placeholder="imap.example.com" value={form.host} onChange={set('host')} />
        <input type="number" aria-label="port" placeholder={String(DEFAULT_PORT[form.security])} value={form.port} onChange={set('port')} />
        <select aria-label="security" value={form.security} onChange={set('security')}>
          {IMAP_SECURITY.map((s) => (
            <option key={s} value={s}>
              {SECURITY_NAMES[s]}
            </option>
          ))}
        </select>
        <input type="text" aria-label="user" placeholder="User" value={form.user} onChange={set('user')} />
        <input
          type="password"
          aria-label="password"
          placeholder="Password or app password"
          value={form.password}
          onChange={set('password')}
        />
        <button className="primary" disabled={!form.name.trim() || !form.host.trim() || !form.user.trim()} onClick={() => void add()}>
          Add account
        </button>
      </div>
      {error && <div className="notice error">{error}</div>}
    </div>
  );
}
