import { useState } from 'react';
import { api } from '../../api/client';
import { firstKey } from '../../components/keymap';

export function Welcome({ onDone, onImportOwn }: { onDone(next: 'label' | 'train'): void; onImportOwn(): void }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const importSample = async (labeled: boolean) => {
    setBusy(true);
    setError(null);
    try {
      await api.call('import.sample', { label: labeled });
      onDone(labeled ? 'train' : 'label');
    } catch (err) {
      setError((err as Error).message);
      setBusy(false);
    }
  };
  return (
    <div className="welcome" data-testid="welcome">
      <h1>
        Welcome to spam<span style={{ color: 'var(--spam)' }}>lab</span>
      </h1>
      <p className="muted">Make your own spam filter: label mail, train a model, and see exactly why it decides what it decides.</p>
      <div className="steps">
        <div>
          <b>1.</b> Import mail — an mbox, a Maildir, a folder of .eml files, or a CSV.
        </div>
        <div>
          <b>2.</b> Label it with the keyboard: <kbd>{firstKey('spam')}</kbd> spam, <kbd>{firstKey('ham')}</kbd> ham.
        </div>
        <div>
          <b>3.</b> Train, watch the loss fall, and inspect the messages it gets wrong.
        </div>
      </div>
      <div className="row" style={{ justifyContent: 'center' }}>
        <button className="primary" onClick={() => void importSample(false)} disabled={busy}>
          {busy ? 'Importing the sample…' : 'Label 300 real messages'}
        </button>
        <button onClick={() => void importSample(true)} disabled={busy}>
          Sample, already labeled
        </button>
        <button onClick={onImportOwn}>Import my own mail</button>
      </div>
      <p className="small muted" style={{ marginTop: 16 }}>
        The sample is 120 spam and 180 ham from the SpamAssassin public corpus (public domain), already labeled.
      </p>
      {error && <div className="notice error">{error}</div>}
    </div>
  );
}
