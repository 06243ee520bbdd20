import { useCallback, useEffect, useRef, useState } from 'react';
import type { QueueItem, QueueOrder } from '../../../../shared/contract';
import type { Label } from '../../../../shared/types';
import { api } from '../../api/client';
import { useQuery } from '../../api/hooks';
import { MessageView } from '../../components/MessageView';
import { actionOf, firstKey, KeyAction, VIEW_KEYS } from '../../components/keymap';
import { openKeyHelp } from '../../components/KeyHelp';
import { useViewUndo } from '../../components/useViewUndo';
import { LivePanel, useLiveStatus } from '../../components/LiveLearning';

const kbd = (action: KeyAction) => <kbd>{firstKey(action)}</kbd>;

export function LabelView() {
  const [order, setOrder] = useState<QueueOrder>('newest');
  const [current, setCurrent] = useState<QueueItem | null>(null);
  const [done, setDone] = useState(false);
  const [tally, setTally] = useState({ spam: 0, ham: 0 });
  const [error, setError] = useState<string | null>(null);
  const [version, setVersion] = useState(0);
  /** Messages labeled or skipped in this session: never offered again by the queue. */
  const passed = useRef<number[]>([]);
  /** The label write in flight: undo waits for it, so it undoes that label and not the one before. */
  const lastWrite = useRef<Promise<unknown>>(Promise.resolve());
  const prefetched = useRef<Promise<QueueItem | null> | null>(null);
  const busy = useRef(false);
  const stats = useQuery('dataset.stats', {}, version);
  const live = useLiveStatus();
  const undo = useViewUndo();

  const fetchNext = useCallback(
    (exclude: number[]) => api.call('queue.next', { order, skip: [...passed.current, ...exclude].slice(-500) }),
    [order],
  );

  const show = useCallback(
    (item: QueueItem | null) => {
      setCurrent(item);
      setDone(item === null);
      // Prefetch the one after, so the next message appears the moment a key is pressed.
      prefetched.current = item ? fetchNext([item.message.id]) : null;
      prefetched.current?.catch(() => undefined);
    },
    [fetchNext],
  );

  useEffect(() => {
    fetchNext([]).then(show, (err: Error) => setError(err.message));
  }, [fetchNext, show]);

  const advance = useCallback(async () => {
    const next = prefetched.current ? await prefetched.current : await fetchNext([]);
    show(next);
  }, [fetchNext, show]);

  const act = useCallback(
    async (action: Label | 'skip' | 'undo') => {
      if (busy.current) return;
      busy.current = true;
      setError(null);
      if (action !== 'undo') undo.clearNotice();
      try {
        if (action === 'undo') {
          await lastWrite.current;
          const undone = await undo.undo();
          if (undone) {
            const { change, message } = undone;
            if (change.previous === 'spam' || change.previous === 'ham')
              setTally((t) => ({ ...t, [change.previous!]: Math.max(0, t[change.previous as Label] - 1) }));
            passed.current = passed.current.filter((id) => id !== change.messageId);
            show({ message });
            setVersion((v) => v + 1);
          }
        } else if (current) {
          const id = current.message.id;
          passed.current.push(id);
          if (action !== 'skip') {
            // The label is written while the next message is already on screen; a failure is shown, not lost.
            setTally((t) => ({ ...t, [action]: t[action] + 1 }));
            undo.record(id);
            lastWrite.current = api.call('labels.set', { id, label: action }).then(
              () => setVersion((v) => v + 1),
              (err: Error) => {
                setTally((t) => ({ ...t, [action]: t[action] - 1 }));
                setError(`message ${id} was not labeled: ${err.message}`);
              },
            );
          }
          await advance();
        }
      } catch (err) {
        setError((err as Error).message);
      } finally {
        busy.current = false;
      }
    },
    [advance, current, show, undo],
  );

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const action = actionOf(event, VIEW_KEYS.label);
      if (action === null) return;
      event.preventDefault();
      if (action === 'newest' || action === 'random' || action === 'uncertain') setOrder(action);
      else void act(action);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [act]);

  const spam = stats.data?.spam ?? 0;
  const ham = stats.data?.ham ?? 0;
  const labeled = spam + ham;
  return (
    <>
      <header className="view-header">
        <h1>Label</h1>
        <label className="row small">
          Order
          <select value={order} onChange={(e) => setOrder(e.target.value as QueueOrder)} aria-label="queue order" data-testid="queue-order">
            <option value="newest">newest first</option>
            <option value="random">random</option>
            <option value="uncertain">most uncertain (needs a trained run)</option>
          </select>
        </label>
        {order === 'uncertain' && stats.data && (
          <span className="small muted" data-testid="queue-scorer">
            {stats.data.activeRunId === null
              ? 'No trained run yet: newest first until you train one'
              : `scored by run ${stats.data.activeRunId}${live.status?.baseRunId === stats.data.activeRunId && live.status.learned > 0 ? ` + ${live.status.learned} learned` : ''}`}
          </span>
        )}
        <span className="spacer" />
        <span className="counts" data-testid="tally">
          <span>
            this session: <b style={{ color: 'var(--spam)' }}>{tally.spam}</b> spam, <b style={{ color: 'var(--ham)' }}>{tally.ham}</b> ham
          </span>
          <span className="muted">{current && stats.data ? `${stats.data.unlabeled} unlabeled left` : ''}</span>
        </span>
        <button onClick={openKeyHelp} title="keyboard shortcuts">
          {kbd('help')} Keys
        </button>
      </header>
      <div className="view-body">
        <div className="label-stage">
          <div title={`${spam} spam, ${ham} ham labeled`}>
            <div className="progress">
              <div style={{ width: `${labeled ? (spam / labeled) * 100 : 0}%`, background: 'var(--spam)' }} />
              <div style={{ width: `${labeled ? (ham / labeled) * 100 : 0}%`, background: 'var(--ham)' }} />
            </div>
            <div className="small muted" style={{ marginTop: 4 }}>
              {labeled === 0
                ? 'No labels yet: a useful filter wants a few hundred of each class.'
                : `${spam} spam · ${ham} ham labeled${Math.min(spam, ham) / Math.max(1, Math.max(spam, ham)) < 0.5 ? ' — unbalanced: label more ' + (spam < ham ? 'spam' : 'ham') : ' — balanced enough'}`}
            </div>
          </div>
          <LivePanel status={live.status} onChanged={live.reload} />
          {error && <div className="notice error">{error}</div>}
          {undo.notice && (
            <div className="notice" data-testid="undo-notice">
              {undo.notice}
            </div>
          )}
          <div className="label-actions">
            <button className="spam" onClick={() => void act('spam')} disabled={!current}>
              {kbd('spam')} Spam
            </button>
            <button className="ham" onClick={() => void act('ham')} disabled={!current}>
              {kbd('ham')} Ham
            </button>
            <button onClick={() => void act('skip')} disabled={!current}>
              {kbd('skip')} Skip
            </button>
            <button onClick={() => void act('undo')}>{kbd('undo')} Undo</button>
          </div>
          <div className="panel" style={{ minHeight: 300 }}>
            {current ? (
              <MessageView key={current.message.id} message={current.message} />
            ) : done ? (
              <div className="empty" data-testid="queue-empty">
                <h2>Nothing left to label</h2>
                <p>Every message is labeled or skipped. Import more mail, or train a run and review the losses.</p>
              </div>
            ) : (
              <div className="empty">Loading…</div>
            )}
          </div>
        </div>
      </div>
    </>
  );
}
