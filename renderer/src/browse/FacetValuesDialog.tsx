/**
 * Every value of one facet field, not just its top ones: a searchable list
 * paged through facetValues as it scrolls, where any value can be chosen (or
 * unchosen) as a filter.
 */
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef, useState } from 'react';
import type { CiFilters, FilterField } from '../../../shared/domain.js';
import { cmdb } from '../api.js';
import { facetValueLabel } from './facet-label.js';
import { ErrorBox, Modal, TypeDot, useDebounced } from '../ui/common.js';
import { formatCount } from '../../../shared/format.js';
import { usePagedList } from './usePagedList.js';

const ROW = 30;

interface Props {
  field: FilterField;
  label: string;
  query: string;
  filters: CiFilters;
  onToggle: (field: FilterField, value: string) => void;
  onClose: () => void;
}

export function FacetValuesDialog({ field, label, query, filters, onToggle, onClose }: Props) {
  const [typed, setTyped] = useState('');
  const contains = useDebounced(typed.trim(), 200);
  const list = usePagedList(
    async (offset, limit) => {
      const r = await cmdb.facetValues({ query: query || undefined, filters, field, contains: contains || undefined, offset, limit });
      return { items: r.values, total: r.total };
    },
    { field, query, filters, contains },
  );
  const scroller = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: list.total ?? 0,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW,
    overscan: 10,
  });
  const rows = virtualizer.getVirtualItems();
  const first = rows[0]?.index ?? 0;
  const last = rows[rows.length - 1]?.index ?? 0;
  useEffect(() => {
    if (list.total) list.fetchRange(first, last);
  }, [first, last, list.total, contains]);
  useEffect(() => {
    scroller.current?.scrollTo({ top: 0 });
  }, [contains]);
  const chosen = filters[field] ?? [];

  return (
    <Modal
      open
      title={`${label}: all values`}
      onClose={onClose}
      footer={
        <button type="button" className="btn primary" onClick={onClose}>
          Done
        </button>
      }
    >
      <input
        className="input"
        type="search"
        autoFocus
        placeholder={`${label} contains…`}
        aria-label={`Search ${label} values`}
        value={typed}
        onChange={(e) => setTyped(e.target.value)}
      />
      <div className="muted" data-testid="facet-values-total">
        {list.total === null
          ? 'Counting…'
          : `${formatCount(list.total)} value${list.total === 1 ? '' : 's'}${contains ? ` containing “${contains}”` : ''}`}
      </div>
      {list.error != null && (
        <ErrorBox error={list.error} title="The values could not be listed" onRetry={() => list.fetchRange(first, last)} />
      )}
      <div ref={scroller} className="facet facet-all" role="list" aria-label={`${label} values`} style={{ height: 360, overflowY: 'auto' }}>
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {rows.map((v) => {
            const item = list.itemAt(v.index);
            const value = item ? (item.value ?? '') : null;
            const on = value !== null && chosen.includes(value);
            const text = !item ? '' : facetValueLabel(field, item.value);
            return (
              <div
                key={v.index}
                role="listitem"
                style={{ position: 'absolute', left: 0, right: 0, top: 0, transform: `translateY(${v.start}px)`, height: ROW }}
              >
                {item ? (
                  <button
                    type="button"
                    aria-pressed={on}
                    aria-label={`${label}: ${text} (${item.count})`}
                    title={text}
                    onClick={() => onToggle(field, value!)}
                  >
                    <span className="check" aria-hidden="true">
                      {on ? '✓' : ''}
                    </span>
                    {field === 'type' && item.value && <TypeDot type={item.value} />}
                    <span className="label">{text}</span>
                    <span className="count">{formatCount(item.count)}</span>
                  </button>
                ) : (
                  <span className="muted">Loading…</span>
                )}
              </div>
            );
          })}
        </div>
      </div>
    </Modal>
  );
}
