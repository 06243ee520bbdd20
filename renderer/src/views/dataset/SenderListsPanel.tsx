import { useEffect, useState } from 'react';
import { SENDER_LISTS, SenderList } from '../../../../shared/sender-lists';
import { api } from '../../api/client';

type Lists = Record<SenderList, string[]>;

/** The allow and block lists: senders that decide before the model. */
export function SenderListsPanel() {
  const [lists, setLists] = useState<Lists | null>(null);
  const [entry, setEntry] = useState('');
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    api.call('lists.get', {}).then(setLists, (e: Error) => setError(e.message));
  }, []);
  const change = (work: Promise<Lists>) => {
    setError(null);
    work.then(
      (next) => {
        setLists(next);
        setEntry('');
      },
      (e: Error) => setError(e.message),
    );
  };
  return (
    <div className="panel panel-pad" data-testid="lists-panel">
      <div className="field">
        <label htmlFor="list-entry">Allow and block lists</label>
        <input
          id="list-entry"
          placeholder="An address (a@example.com) or a domain (example.com)"
          value={entry}
          onChange={(e) => setEntry(e.target.value)}
        />
      </div>
      <div className="row" style={{ marginTop: 8 }}>
        {SENDER_LISTS.map((list) => (
          <button key={list} disabled={entry.trim() === ''} onClick={() => change(api.call('lists.add', { list, entries: [entry] }))}>
            {list === 'allow' ? 'Allow' : 'Block'}
          </button>
        ))}
        <span className="small muted">Mail from the From address decides before the model: allowed is ham, blocked is spam.</span>
      </div>
      {error && <div className="notice error">{error}</div>}
      {lists && (
        <div className="row" style={{ marginTop: 10, alignItems: 'flex-start', gap: 24 }}>
          {SENDER_LISTS.map((list) => (
            <div key={list} data-testid={`${list}-list`} style={{ flex: 1 }}>
              <div className="small">
                <span className={`badge ${list === 'allow' ? 'ham' : 'spam'}`}>{list}</span> {lists[list].length}
              </div>
              {lists[list].length === 0 && <div className="small muted">nobody yet</div>}
              {lists[list].map((e) => (
                <div key={e} className="row small" style={{ gap: 6 }}>
                  <span>{e}</span>
                  <button className="small" aria-label={`remove ${e}`} onClick={() => change(api.call('lists.remove', { entries: [e] }))}>
                    ×
                  </button>
                </div>
              ))}
            </div>
          ))}
        </div>
      )}
    </div>
  );
}
