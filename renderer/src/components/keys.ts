import { useEffect } from 'react';
import type { Label } from '../../../shared/types';
import type { PagedRows } from './VirtualRows';

/** A key pressed while typing in a field belongs to the field, not to the view's shortcuts. */
export const isTyping = (target: EventTarget | null) => target instanceof HTMLElement && /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName);

/** How far j/k or the arrow keys move through a list: 1 down, -1 up, 0 for any other key. */
const listStep = (event: KeyboardEvent): -1 | 0 | 1 =>
  event.key === 'j' || event.key === 'ArrowDown' ? 1 : event.key === 'k' || event.key === 'ArrowUp' ? -1 : 0;

/**
 * The list views' keys: j/k or the arrows open the next or previous row
 * (when `moves` is on), s/h label the open message.
 */
export function useListKeys<T>(opts: {
  paged: PagedRows<T>;
  selectedIndex: number | null;
  onOpen(row: T, index: number): void;
  onLabel(label: Label): void;
  moves?: boolean;
}): void {
  const { paged, selectedIndex, onOpen, onLabel, moves = true } = opts;
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (isTyping(event.target) || event.ctrlKey || event.metaKey || event.altKey) return;
      if (event.key === 's') onLabel('spam');
      if (event.key === 'h') onLabel('ham');
      const step = listStep(event);
      if (step === 0 || !moves || paged.total === 0) return;
      event.preventDefault();
      const index = Math.max(0, Math.min(paged.total - 1, (selectedIndex ?? -1) + step));
      const row = paged.rowAt(index);
      if (row) onOpen(row, index);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [paged, selectedIndex, onOpen, onLabel, moves]);
}
