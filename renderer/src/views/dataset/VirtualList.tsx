import { useCallback, useEffect, useRef, useState } from 'react';
import type { MessageFilter, MessageSummary } from '../../../../shared/contract';
import { api } from '../../api/client';
import { LabelBadge } from '../../components/LabelBadge';

const ROW_HEIGHT = 56;
const PAGE_SIZE = 200;
const OVERSCAN = 8;

/**
 * A list of any length: only the rows in view are in the DOM, and rows are
 * fetched a page at a time as they come into view.
 */
export function VirtualList(props: {
  filter: MessageFilter;
  version: number;
  selectedId: number | null;
  onSelect(id: number): void;
  onTotal(total: number): void;
}) {
  const { filter, version, onTotal } = props;
  const container = useRef<HTMLDivElement>(null);
  const [total, setTotal] = useState(0);
  const [pages, setPages] = useState(new Map<number, MessageSummary[]>());
  const [viewport, setViewport] = useState({ top: 0, height: 600 });
  const requested = useRef(new Set<number>());
  const filterKey = JSON.stringify(filter);

  const loadPage = useCallback(
    (page: number) => {
      if (requested.current.has(page)) return;
      requested.current.add(page);
      void api.call('messages.list', { offset: page * PAGE_SIZE, limit: PAGE_SIZE, filter }).then((result) => {
        setTotal(result.total);
        onTotal(result.total);
        setPages((current) => new Map(current).set(page, result.rows));
      });
    },
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [filterKey, onTotal],
  );

  useEffect(() => {
    requested.current = new Set();
    setPages(new Map());
    loadPage(Math.floor(viewport.top / ROW_HEIGHT / PAGE_SIZE));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [filterKey, version]);

  useEffect(() => {
    const element = container.current;
    if (!element) return;
    const measure = () => setViewport({ top: element.scrollTop, height: element.clientHeight });
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    return () => observer.disconnect();
  }, []);

  const first = Math.max(0, Math.floor(viewport.top / ROW_HEIGHT) - OVERSCAN);
  const last = Math.min(total, Math.ceil((viewport.top + viewport.height) / ROW_HEIGHT) + OVERSCAN);
  useEffect(() => {
    for (let page = Math.floor(first / PAGE_SIZE); page <= Math.floor(Math.max(first, last - 1) / PAGE_SIZE); page++) loadPage(page);
  }, [first, last, loadPage]);

  const rows: React.ReactNode[] = [];
  for (let index = first; index < last; index++) {
    const row = pages.get(Math.floor(index / PAGE_SIZE))?.[index % PAGE_SIZE];
    rows.push(
      <div
        key={row ? `m${row.id}` : `i${index}`}
        className={`list-row${row && row.id === props.selectedId ? ' selected' : ''}`}
        style={{ top: index * ROW_HEIGHT }}
        onClick={() => row && props.onSelect(row.id)}
        data-testid="message-row"
        data-message-id={row?.id}
      >
        {row ? (
          <>
            <span className="subject">{row.subject || '(no subject)'}</span>
            <span className="meta">
              <LabelBadge label={row.label} />
            </span>
            <span className="from">{row.from || '—'}</span>
            <span className="meta">{row.probability === null ? '' : `p ${row.probability.toFixed(2)}`}</span>
          </>
        ) : (
          <span className="muted">…</span>
        )}
      </div>,
    );
  }

  return (
    <div
      className="list"
      ref={container}
      onScroll={(e) => setViewport({ top: e.currentTarget.scrollTop, height: e.currentTarget.clientHeight })}
      data-testid="message-list"
    >
      <div style={{ height: total * ROW_HEIGHT, position: 'relative' }}>{rows}</div>
    </div>
  );
}
