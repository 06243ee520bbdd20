import type { MessageSummary } from '../../../../shared/contract';
import { LabelBadge } from '../../components/LabelBadge';
import { PagedRows, VirtualRows } from '../../components/VirtualRows';
import { Marked } from '../../components/Marked';

const ROW_HEIGHT = 56;

/** The dataset's messages, newest first, in a list of any length. */
export function VirtualList(props: {
  paged: PagedRows<MessageSummary>;
  selected: { id: number; index: number } | null;
  onSelect(id: number, index: number): void;
  /** The search's words, marked where they appear; a new search scrolls back to the top. */
  search: string;
  filterKey: string;
}) {
  return (
    <VirtualRows
      paged={props.paged}
      rowHeight={ROW_HEIGHT}
      className="list"
      testId="message-list"
      focusIndex={props.selected?.index ?? null}
      scrollResetKey={props.filterKey}
      renderRow={(row, index, style) => (
        <div
          key={row ? `m${row.id}` : `i${index}`}
          className={`list-row${row && row.id === props.selected?.id ? ' selected' : ''}`}
          style={style}
          onClick={() => row && props.onSelect(row.id, index)}
          data-testid="message-row"
          data-message-id={row?.id}
        >
          {row ? (
            <>
              <span className="subject">
                <Marked text={row.subject || '(no subject)'} words={props.search} />
              </span>
              <span className="meta">
                <LabelBadge label={row.label} />
              </span>
              <span className="from">
                <Marked text={row.from || '—'} words={props.search} />
              </span>
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
