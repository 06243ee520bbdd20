import { useCallback, useEffect } from 'react';
import type { MessageFilter, MessageSummary } from '../../../../shared/contract';
import { api } from '../../api/client';
import { LabelBadge } from '../../components/LabelBadge';
import { usePagedRows, VirtualRows } from '../../components/VirtualRows';

const ROW_HEIGHT = 56;

/** The dataset's messages under a filter, newest first, in a list of any length. */
export function VirtualList(props: {
  filter: MessageFilter;
  version: number;
  selectedId: number | null;
  onSelect(id: number): void;
  onTotal(total: number): void;
}) {
  const { filter, version, onTotal } = props;
  const fetchPage = useCallback(
    (offset: number, limit: number) => api.call('messages.list', { offset, limit, filter }),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [JSON.stringify(filter)],
  );
  const paged = usePagedRows<MessageSummary>(fetchPage, JSON.stringify([filter, version]));
  useEffect(() => onTotal(paged.total), [paged.total, onTotal]);

  return (
    <VirtualRows
      paged={paged}
      rowHeight={ROW_HEIGHT}
      className="list"
      testId="message-list"
      renderRow={(row, index, style) => (
        <div
          key={row ? `m${row.id}` : `i${index}`}
          className={`list-row${row && row.id === props.selectedId ? ' selected' : ''}`}
          style={style}
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
        </div>
      )}
    />
  );
}
