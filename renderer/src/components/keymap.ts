// Every view's keyboard shortcuts, declared once: a key has one meaning
// everywhere, and the on-screen hints are made from this map.

export type KeyAction = 'spam' | 'ham' | 'skip' | 'undo' | 'next' | 'previous' | 'newest' | 'random' | 'uncertain' | 'help' | 'close';

interface Binding {
  /** KeyboardEvent.key values, lower-cased letters; "Ctrl+" in front needs the Control key. */
  keys: readonly string[];
  does: string;
}

export const KEYMAP: Readonly<Record<KeyAction, Binding>> = {
  spam: { keys: ['s'], does: 'label spam' },
  ham: { keys: ['h'], does: 'label ham' },
  skip: { keys: [' '], does: 'skip to the next message' },
  undo: { keys: ['u', 'Ctrl+z'], does: 'undo the last label' },
  next: { keys: ['j', 'ArrowDown'], does: 'open the next row' },
  previous: { keys: ['k', 'ArrowUp'], does: 'open the previous row' },
  newest: { keys: ['1'], does: 'order: newest first' },
  random: { keys: ['2'], does: 'order: random' },
  uncertain: { keys: ['3'], does: 'order: most uncertain' },
  help: { keys: ['?'], does: 'show or hide this help' },
  close: { keys: ['Escape'], does: 'close the help' },
};

/** Which keys each view answers to, and those every view does: the views listen for these, the help lists them. */
export const VIEW_KEYS = {
  everywhere: ['help', 'close'],
  label: ['spam', 'ham', 'skip', 'undo', 'newest', 'random', 'uncertain'],
  lists: ['spam', 'ham', 'undo', 'next', 'previous'],
} as const satisfies Record<string, readonly KeyAction[]>;

/** The help's sections, in the order shown: where the keys work, and which they are. */
export const KEY_SECTIONS = [
  { id: 'label', title: 'Label', actions: VIEW_KEYS.label },
  { id: 'lists', title: 'Dataset and Losses (the open message)', actions: VIEW_KEYS.lists },
  { id: 'everywhere', title: 'Everywhere', actions: VIEW_KEYS.everywhere },
] as const;

/** A key pressed while typing in a field belongs to the field, not to the view's shortcuts. */
const isTyping = (target: EventTarget | null) => target instanceof HTMLElement && /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName);

const NAMES: Record<string, string> = { ' ': 'Space', ArrowDown: '↓', ArrowUp: '↑', Escape: 'Esc' };

/** How a key is written on screen: "S", "Space", "Ctrl+Z". */
export const keyName = (key: string): string =>
  key.startsWith('Ctrl+') ? `Ctrl+${keyName(key.slice(5))}` : (NAMES[key] ?? (key.length === 1 ? key.toUpperCase() : key));

/** The key a button or a hint shows for an action: the first of its keys. */
export const firstKey = (action: KeyAction): string => keyName(KEYMAP[action].keys[0] ?? '');

/** The action among a view's that a key press means, or null; presses while typing or with Alt or Meta mean none. */
export function actionOf<A extends KeyAction>(event: KeyboardEvent, actions: readonly A[]): A | null {
  if (isTyping(event.target) || event.altKey || event.metaKey) return null;
  const key = event.key.length === 1 ? event.key.toLowerCase() : event.key;
  const pressed = event.ctrlKey ? `Ctrl+${key}` : key;
  return actions.find((action) => KEYMAP[action].keys.includes(pressed)) ?? null;
}

/** A view's shortcuts as a help table lists them. */
export const keyHints = (actions: readonly KeyAction[]) =>
  actions.map((action) => ({ action, keys: KEYMAP[action].keys.map(keyName).join(' or '), does: KEYMAP[action].does }));
