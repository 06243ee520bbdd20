import { useEffect, useState } from 'react';
import type { SenderList } from '../../../shared/sender-lists';
import { api } from '../api/client';

/** One click puts the message's sender (its parsed From address, not the name shown) on the allow or block list. */
export function SenderButtons({ messageId }: { messageId: number }) {
  const [note, setNote] = useState<{ text: string; error: boolean } | null>(null);
  useEffect(() => setNote(null), [messageId]);
  const add = (list: SenderList) =>
    api.call('lists.addSender', { messageId, list }).then(
      ({ entry }) => setNote({ text: `${entry} is on your ${list} list`, error: false }),
      (e: Error) => setNote({ text: e.message, error: true }),
    );
  return (
    <span className="sender-buttons" data-testid="sender-buttons">
      <button className="small" onClick={() => void add('allow')}>
        Allow sender
      </button>
      <button className="small" onClick={() => void add('block')}>
        Block sender
      </button>
      {note && (
        <span className={`small ${note.error ? 'error-text' : 'muted'}`} data-testid="sender-note">
          {note.text}
        </span>
      )}
    </span>
  );
}
