/**
 * The findings of one rule (or of all), paged from the engine as they are
 * scrolled to and virtualised (a CMDB may have hundreds of thousands), with
 * a filter on the CIs' keys and names. After a fix elsewhere the pages here
 * are read again, keeping the place.
 */
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef, useState } from 'react';
import { RULE_INFO, type HealthRuleId } from '../../../shared/health.js';
import { cmdb } from '../api.js';
import { usePagedList } from '../browse/usePagedList.js';
import { EmptyState, ErrorBox, Skeleton, useAsync, useDebounced } from '../ui/common.js';
import { formatCount } from '../../../shared/format.js';
import { type FindingActions, FindingRow } from './FindingRow.js';
import { OWNERS_LIST } from './QuickFix.js';

/** A finding's height before it is measured (its message may wrap, a fix adds a line). */
const ESTIMATE = 96;

/** Existing owners, suggested when one is set in place. */
function OwnerSuggestions({ version }: { version: number }) {
  const [owners] = useAsync(() => cmdb.facetValues({ field: 'owner', limit: 200 }), [version]);
  return (
    <datalist id={OWNERS_LIST}>{owners.data?.values.map((v) => v.value !== null && <option key={v.value} value={v.value} />)}</datalist>
  );
}

export function Findings({
  rule,
  query,
  onQuery,
  version,
  actions,
}: {
  rule: HealthRuleId | null;
  query: string;
  onQuery: (q: string) => void;
  version: number;
  actions: FindingActions;
}) {
  const [typed, setTyped] = useState(query);
  const debounced = useDebounced(typed.trim(), 250);
  useEffect(() => {
    if (debounced !== query) onQuery(debounced);
  }, [debounced]);
  const list = usePagedList(
    (offset, limit) =>
      cmdb
        .health({ rule: rule ?? undefined, query: query || undefined, offset, limit })
        .then((r) => ({ items: r.findings, total: r.total })),
    { rule, query },
  );
  // An edit or a merge elsewhere: read the pages here again, keeping the place.
  const seen = useRef(version);
  useEffect(() => {
    if (seen.current !== version) list.refresh();
    seen.current = version;
  }, [version]);

  const scroller = useRef<HTMLDivElement>(null);
  const count = list.total ?? 0;
  const virtualizer = useVirtualizer({ count, getScrollElement: () => scroller.current, estimateSize: () => ESTIMATE, overscan: 6 });
  const items = virtualizer.getVirtualItems();
  const firstRow = items[0]?.index ?? 0;
  const lastRow = items[items.length - 1]?.index ?? 0;
  useEffect(() => {
    if (list.total) list.fetchRange(firstRow, lastRow);
  }, [firstRow, lastRow, list.total]);
  useEffect(() => {
    scroller.current?.scrollTo({ top: 0 });
  }, [rule, query]);

  const title = rule ? RULE_INFO[rule].label : 'All findings';
  return (
    <section className="health-findings" aria-label="Findings">
      <header className="health-findings-head">
        <h2>
          {title}{' '}
          <span className="muted" data-testid="findings-total">
            {list.total === null ? '' : formatCount(list.total)}
          </span>
        </h2>
        <input
          type="search"
          className="input"
          value={typed}
          onChange={(e) => setTyped(e.target.value)}
          placeholder="Filter by CI key or name"
          aria-label="Filter findings"
        />
      </header>
      <OwnerSuggestions version={version} />
      {list.error != null && <ErrorBox error={list.error} title="The findings could not be read" onRetry={list.refresh} />}
      {list.total === null && list.error == null && <Skeleton rows={6} label="Reading the findings" />}
      {list.total === 0 && (
        <EmptyState icon="✓" title={query ? 'No finding matches the filter' : 'No findings'}>
          {query
            ? `No finding of ${rule ? `"${title}"` : 'any rule'} names a CI whose key or name contains “${query}”.`
            : 'Nothing to fix here.'}
        </EmptyState>
      )}
      <div className="health-list" ref={scroller} role="list" aria-label="Findings list" data-testid="findings-list">
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {items.map((v) => {
            const f = list.itemAt(v.index);
            return (
              <div
                key={v.key}
                role="listitem"
                data-index={v.index}
                ref={virtualizer.measureElement}
                className="health-item"
                style={{ transform: `translateY(${v.start}px)` }}
              >
                {f ? (
                  <FindingRow key={`${f.rule}:${f.keys.join('\u0000')}`} f={f} actions={actions} />
                ) : (
                  <span className="skel" style={{ width: '60%', margin: 12 }} />
                )}
              </div>
            );
          })}
        </div>
      </div>
    </section>
  );
}
