import { useEffect } from 'react';
import type { Label } from '../../../shared/types';
import { actionOf, VIEW_KEYS } from './keymap';
import type { PagedRows } from './VirtualRows';

/** The list views' keys (keymap.ts): next and previous open a row (when `moves` is on), spam and ham label the open message, undo undoes the view's last label. */
export function useListKeys<T>(opts: {
  paged: PagedRows<T>;
  selectedIndex: number | null;
  onOpen(row: T, index: number): void;
  onLabel(label: Label): void;
  /** Undoes the newest label given in this view. */
  onUndo(): void;
  moves?: boolean;
}): void {
  const { paged, selectedIndex, onOpen, onLabel, onUndo, moves = true } = opts;
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const action = actionOf(event, VIEW_KEYS.lists);
      if (action === 'spam' || action === 'ham') return onLabel(action);
      if (action === 'undo') {
        event.preventDefault();
        return onUndo();
      }
      if (action === null || !moves || paged.total === 0) return;
      const step = action === 'next' ? 1 : -1;
      event.preventDefault();
      const index = Math.max(0, Math.min(paged.total - 1, (selectedIndex ?? -1) + step));
      const row = paged.rowAt(index);
      if (row) onOpen(row, index);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [paged, selectedIndex, onOpen, onLabel, onUndo, moves]);
}
