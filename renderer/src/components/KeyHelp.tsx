import { useEffect, useState } from 'react';
import { actionOf, KEY_SECTIONS, keyHints, VIEW_KEYS } from './keymap';

const OPEN_EVENT = 'spamlab:key-help';

/** Opens the keyboard help from a button (the `?` key opens it anywhere). */
export const openKeyHelp = () => window.dispatchEvent(new Event(OPEN_EVENT));

/** The keyboard help, on every view: each view's keys, made from the one keymap. */
export function KeyHelp() {
  const [open, setOpen] = useState(false);
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const action = actionOf(event, VIEW_KEYS.everywhere);
      if (action === null) return;
      event.preventDefault();
      setOpen((o) => (action === 'help' ? !o : false));
    };
    const onOpen = () => setOpen(true);
    window.addEventListener('keydown', onKey);
    window.addEventListener(OPEN_EVENT, onOpen);
    return () => {
      window.removeEventListener('keydown', onKey);
      window.removeEventListener(OPEN_EVENT, onOpen);
    };
  }, []);
  if (!open) return null;
  return (
    <div className="overlay" onClick={() => setOpen(false)}>
      <div className="panel panel-pad key-help" role="dialog" aria-label="keyboard shortcuts">
        <h2 style={{ marginTop: 0 }}>Keyboard</h2>
        {KEY_SECTIONS.map((section) => (
          <section key={section.id} data-testid={`keys-${section.id}`}>
            <h3>{section.title}</h3>
            <table className="grid">
              <tbody>
                {keyHints(section.actions).map((hint) => (
                  <tr key={hint.action} data-testid={`key-${hint.action}`}>
                    <td>
                      <kbd>{hint.keys}</kbd>
                    </td>
                    <td>{hint.does}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
        ))}
      </div>
    </div>
  );
}
