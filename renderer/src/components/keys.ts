/** A key pressed while typing in a field belongs to the field, not to the view's shortcuts. */
export const isTyping = (target: EventTarget | null) => target instanceof HTMLElement && /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName);

/** How far j/k or the arrow keys move through a list: 1 down, -1 up, 0 for any other key. */
export const listStep = (event: KeyboardEvent): -1 | 0 | 1 =>
  event.key === 'j' || event.key === 'ArrowDown' ? 1 : event.key === 'k' || event.key === 'ArrowUp' ? -1 : 0;
