import { useQuery } from '../../api/hooks';

/** The newest messages stored from one folder, with their label and where they came from. */
export function FolderMessages({ source }: { source: string }) {
  const list = useQuery('messages.list', { offset: 0, limit: 5, filter: { source } });
  if (!list.data) return null;
  return (
    <table className="grid imap-messages" data-testid="imap-messages">
      <caption className="small muted">
        {list.data.total.toLocaleString()} messages from {source}
      </caption>
      <tbody>
        {list.data.rows.map((m) => (
          <tr key={m.id}>
            <td>{m.subject || '(no subject)'}</td>
            <td>{m.label ?? '—'}</td>
            <td className="muted small">{m.source}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
