/**
 * One side of a CI's relationships: a virtualised list that pages through
 * ciRelationships as it scrolls (a hub has tens of thousands), with a type
 * filter and a search on the other end's key or name once the side is long.
 * Each row names the other end with its key and the relationship's type
 * under it, so rows whose names are cut still differ, and the full text is
 * in its title.
 */
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef, useState } from 'react';
import { isolated } from '../../../shared/bidi.js';
import type { Related } from '../../../shared/domain.js';
import { cmdb } from '../api.js';
import { ErrorBox, TypeDot, useDebounced } from '../ui/common.js';
import { formatCount } from '../../../shared/format.js';
import { type Page, usePagedList } from './usePagedList.js';

const ROW = 40;
/** Rows shown before "Show all"; past this many a side also gets its type filter and search. */
const COLLAPSED = 8;
/** Rows shown at once after "Show all" (the rest scroll, fetched as they come into view). */
const EXPANDED = 14;

interface Props {
  ciKey: string;
  side: 'outgoing' | 'incoming';
  title: string;
  /** The first relationships and the side's total, from getCi. */
  first: Page<Related>;
  /** Bumped after an edit: the list is read again. */
  version: number;
  onOpen: (key: string) => void;
  onDelete?: ((r: Related) => void) | undefined;
}

export function RelationshipList({ ciKey, side, title, first, version, onOpen, onDelete }: Props) {
  const [expanded, setExpanded] = useState(false);
  const [type, setType] = useState('');
  const [typed, setTyped] = useState('');
  const query = useDebounced(typed.trim(), 250);
  const filtered = type !== '' || query !== '';
  const long = first.total > COLLAPSED;
  const list = usePagedList(
    (offset, limit) => cmdb.ciRelationships({ key: ciKey, side, type: type || undefined, query: query || undefined, offset, limit }),
    { ciKey, side, type, query, version },
    filtered ? undefined : first,
  );
  const types = useSideTypes(ciKey, side, version, long);

  const scroller = useRef<HTMLDivElement>(null);
  const count = list.total ?? 0;
  const virtualizer = useVirtualizer({ count, getScrollElement: () => scroller.current, estimateSize: () => ROW, overscan: 10 });
  const rows = virtualizer.getVirtualItems();
  const firstRow = rows[0]?.index ?? 0;
  const lastRow = rows[rows.length - 1]?.index ?? 0;
  useEffect(() => {
    if (list.total) list.fetchRange(firstRow, lastRow);
  }, [firstRow, lastRow, list.total, type, query]);
  // A new filter starts at the top.
  useEffect(() => {
    scroller.current?.scrollTo({ top: 0 });
  }, [type, query]);

  const shown = Math.min(count, expanded ? EXPANDED : COLLAPSED);
  const empty = side === 'outgoing' ? 'This CI has no outgoing relationships.' : 'No CI points at this one.';
  return (
    <section className="section" aria-label={title} data-testid={`rels-${side}`}>
      <h3>
        {title}{' '}
        <span className="muted" data-testid="rels-count">
          {filtered && list.total !== null ? `${formatCount(list.total)} of ${formatCount(first.total)}` : formatCount(first.total)}
        </span>
      </h3>
      {long && (
        <div className="rel-tools">
          <select className="input" aria-label={`${title}: type`} value={type} onChange={(e) => setType(e.target.value)}>
            <option value="">All types</option>
            {(types ?? []).map((t) => (
              <option key={t.type} value={t.type}>
                {t.type.replace(/_/g, ' ')} ({formatCount(t.count)})
              </option>
            ))}
          </select>
          <input
            className="input"
            type="search"
            placeholder="Key or name contains…"
            aria-label={`${title}: search`}
            value={typed}
            onChange={(e) => setTyped(e.target.value)}
          />
        </div>
      )}
      {list.error != null && (
        <ErrorBox error={list.error} title="These relationships could not be loaded" onRetry={() => list.fetchRange(firstRow, lastRow)} />
      )}
      {count === 0 && list.total !== null ? (
        <p className="muted" style={{ margin: 0 }}>
          {filtered ? 'None match.' : empty}
        </p>
      ) : (
        <div ref={scroller} className="rels" role="list" aria-label={`${title} list`} style={{ height: shown * ROW }}>
          <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
            {rows.map((v) => {
              const r = list.itemAt(v.index);
              return (
                <div key={v.index} role="listitem" className="rel" style={{ transform: `translateY(${v.start}px)`, height: ROW }}>
                  {r ? <RelRow r={r} onOpen={onOpen} onDelete={onDelete} /> : <span className="muted rel-pending">Loading…</span>}
                </div>
              );
            })}
          </div>
        </div>
      )}
      {count > COLLAPSED && (
        <button type="button" className="btn ghost small" style={{ marginTop: 6 }} onClick={() => setExpanded((x) => !x)}>
          {expanded ? 'Show fewer rows' : `Show all ${formatCount(count)}`}
        </button>
      )}
    </section>
  );
}

function RelRow({ r, onOpen, onDelete }: { r: Related; onOpen: (k: string) => void; onDelete?: ((r: Related) => void) | undefined }) {
  const kind = `${r.type.replace(/_/g, ' ')}${r.redundancyGroup ? ` ⋅ ${r.redundancyGroup}` : ''}`;
  return (
    <>
      <button
        type="button"
        className="rel-open"
        onClick={() => onOpen(r.other.key)}
        aria-label={`Open ${r.other.name}`}
        title={`${isolated(r.other.name)} (${isolated(r.other.key)}) · ${kind}`}
      >
        <span className="rel-name">
          <TypeDot type={r.other.type} />
          <bdi>{r.other.name}</bdi>
        </span>
        <span className="rel-meta">
          <span className="rtype">{kind}</span>
          {r.other.key !== r.other.name && <span className="rel-key mono">{r.other.key}</span>}
        </span>
      </button>
      {onDelete ? (
        <button
          type="button"
          className="btn ghost small"
          aria-label={`Delete relationship ${r.type} ${r.other.name}`}
          onClick={() => onDelete(r)}
        >
          ✕
        </button>
      ) : (
        <span />
      )}
    </>
  );
}

/** The side's relationship types and counts, for the type filter: asked for once the list is long enough to need one. */
function useSideTypes(ciKey: string, side: 'outgoing' | 'incoming', version: number, wanted: boolean) {
  const [types, setTypes] = useState<Array<{ type: string; count: number }> | null>(null);
  useEffect(() => {
    if (!wanted) return;
    let live = true;
    cmdb.ciRelationships({ key: ciKey, side, offset: 0, limit: 1 }).then(
      (r) => live && setTypes(r.types ?? []),
      () => live && setTypes([]),
    );
    return () => {
      live = false;
    };
  }, [ciKey, side, version, wanted]);
  return types;
}
