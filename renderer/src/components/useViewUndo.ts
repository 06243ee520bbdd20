import { useCallback, useMemo, useRef, useState } from 'react';
import type { LabelChange, MessageDetail } from '../../../shared/contract';
import { api } from '../api/client';

const describe = (label: string | null) => label ?? 'unlabeled';

/**
 * Undo within one view: it undoes the newest label given in this view (not one
 * given elsewhere), and says what it reverted.
 */
export function useViewUndo() {
  const given = useRef<number[]>([]);
  const [notice, setNotice] = useState<string | null>(null);
  /** After a label is given in this view. */
  const record = useCallback((messageId: number) => {
    given.current.push(messageId);
  }, []);
  /** The change undone and the message as it is now; null when this view gave no label. */
  const undo = useCallback(async (): Promise<{ change: LabelChange; message: MessageDetail } | null> => {
    const change = await api.call('labels.undo', { messageIds: given.current.slice(-10_000) });
    if (!change) {
      setNotice('Nothing to undo: no label was given in this view.');
      return null;
    }
    const message = await api.call('messages.get', { id: change.messageId });
    setNotice(`Undone: “${message.subject || '(no subject)'}” is ${describe(change.label)} again (was ${describe(change.previous)}).`);
    return { change, message };
  }, []);
  const clearNotice = useCallback(() => setNotice(null), []);
  return useMemo(() => ({ record, undo, notice, clearNotice }), [record, undo, notice, clearNotice]);
}
