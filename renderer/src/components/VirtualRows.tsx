import { useCallback, useEffect, useRef, useState } from 'react';

const PAGE_SIZE = 200;
const OVERSCAN = 8;

export type PageFetcher<T> = (offset: number, limit: number) => Promise<{ total: number; rows: T[] }>;

export interface PagedRows<T> {
  total: number;
  /** The row at an index once its page has arrived. */
  rowAt(index: number): T | undefined;
  /** Asks for the pages holding rows first..last (exclusive). */
  load(first: number, last: number): void;
}

/**
 * Rows of a list of any length, fetched a page at a time as they are needed.
 * Everything is dropped and fetched again when resetKey changes.
 */
export function usePagedRows<T>(fetchPage: PageFetcher<T>, resetKey: string): PagedRows<T> {
  const [loaded, setLoaded] = useState<{ key: string; total: number; pages: Map<number, T[]> }>({
    key: resetKey,
    total: 0,
    pages: new Map(),
  });
  const latest = useRef({ key: resetKey, fetchPage });
  latest.current = { key: resetKey, fetchPage };
  const requested = useRef({ key: resetKey, pages: new Set<number>() });

  // Depends on resetKey so that the list asks again for the rows in view after a reset.
  const load = useCallback(
    (first: number, last: number) => {
      const { key, fetchPage: fetcher } = latest.current;
      if (requested.current.key !== key) requested.current = { key, pages: new Set() };
      for (let page = Math.floor(first / PAGE_SIZE); page <= Math.floor(Math.max(first, last - 1) / PAGE_SIZE); page++) {
        if (requested.current.pages.has(page)) continue;
        requested.current.pages.add(page);
        fetcher(page * PAGE_SIZE, PAGE_SIZE).then(
          (result) => {
            if (latest.current.key !== key) return;
            setLoaded((current) => ({
              key,
              total: result.total,
              pages: new Map(current.key === key ? current.pages : []).set(page, result.rows),
            }));
          },
          // A page that failed (the host restarting, say) is asked for again when it next comes into view.
          () => requested.current.key === key && requested.current.pages.delete(page),
        );
      }
    },
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [resetKey],
  );

  const current = loaded.key === resetKey;
  return {
    // Until the first page under a new key arrives, the old total keeps the scroll position.
    total: loaded.total,
    rowAt: (index) => (current ? loaded.pages.get(Math.floor(index / PAGE_SIZE))?.[index % PAGE_SIZE] : undefined),
    load,
  };
}

/**
 * Only the rows in view are in the DOM. renderRow gets undefined for a row
 * whose page has not arrived yet, and the absolute position to put it at.
 */
export function VirtualRows<T>(props: {
  paged: PagedRows<T>;
  rowHeight: number;
  renderRow(row: T | undefined, index: number, style: React.CSSProperties): React.ReactNode;
  /** Scrolled into view when it changes. */
  focusIndex?: number | null;
  /** A new value scrolls back to the top: a new search or filter starts at its first match. */
  scrollResetKey?: string;
  className?: string;
  testId?: string;
}) {
  const { paged, rowHeight, focusIndex } = props;
  const container = useRef<HTMLDivElement>(null);
  const [viewport, setViewport] = useState({ top: 0, height: 600 });

  useEffect(() => {
    const element = container.current;
    if (!element) return;
    const measure = () => setViewport({ top: element.scrollTop, height: element.clientHeight });
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    return () => observer.disconnect();
  }, []);

  useEffect(() => {
    const element = container.current;
    if (!element || focusIndex === null || focusIndex === undefined) return;
    const top = focusIndex * rowHeight;
    if (top < element.scrollTop) element.scrollTop = top;
    else if (top + rowHeight > element.scrollTop + element.clientHeight) element.scrollTop = top + rowHeight - element.clientHeight;
  }, [focusIndex, rowHeight]);

  useEffect(() => {
    const element = container.current;
    if (!element) return;
    element.scrollTop = 0;
    setViewport({ top: 0, height: element.clientHeight });
  }, [props.scrollResetKey]);

  const first = Math.max(0, Math.floor(viewport.top / rowHeight) - OVERSCAN);
  const last = Math.min(paged.total, Math.ceil((viewport.top + viewport.height) / rowHeight) + OVERSCAN);
  const { load } = paged;
  useEffect(() => load(first, last), [first, last, load]);

  const rows: React.ReactNode[] = [];
  for (let index = first; index < last; index++) {
    rows.push(props.renderRow(paged.rowAt(index), index, { position: 'absolute', top: index * rowHeight, height: rowHeight }));
  }
  return (
    <div
      className={props.className}
      ref={container}
      onScroll={(e) => setViewport({ top: e.currentTarget.scrollTop, height: e.currentTarget.clientHeight })}
      data-testid={props.testId}
      style={{ overflow: 'auto', position: 'relative' }}
    >
      <div style={{ height: paged.total * rowHeight, position: 'relative' }}>{rows}</div>
    </div>
  );
}
