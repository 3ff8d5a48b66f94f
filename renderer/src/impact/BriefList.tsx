/**
 * A virtualised list of CIs in brief (business services, single points of
 * failure): every one reachable however many, each row a button that picks it.
 */
import { useVirtualizer } from '@tanstack/react-virtual';
import { useRef } from 'react';
import { isolated } from '../../../shared/bidi.js';
import type { CiBrief } from '../../../shared/impact.js';
import { ciTypeLabel } from '../../../shared/ci-types.js';
import { TypeDot } from '../ui/common.js';
import { formatCount } from '../../../shared/format.js';

const ROW = 34;

export interface BriefRow extends CiBrief {
  /** The state in words and its style class (down, degraded, changed), or null. */
  state: { text: string; cls: string } | null;
}

export function BriefList({
  rows,
  label,
  labelOne,
  testId,
  selected,
  onSelect,
  empty,
}: {
  rows: BriefRow[];
  label: string;
  /** The footer's words for one row ("business service impacted"); the label's otherwise. */
  labelOne?: string;
  testId: string;
  selected: string | null;
  onSelect: (key: string) => void;
  empty: string;
}) {
  const scroller = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW,
    overscan: 10,
  });
  if (rows.length === 0) return <p className="muted brief-empty">{empty}</p>;
  return (
    <div className="brief-list" aria-label={label}>
      <div className="ibody" ref={scroller} role="list" data-testid={testId}>
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {virtualizer.getVirtualItems().map((v) => {
            const r = rows[v.index]!;
            return (
              <div key={r.key} role="listitem" className="brow-item" style={{ transform: `translateY(${v.start}px)`, height: ROW }}>
                <button
                  type="button"
                  className="brow"
                  aria-current={r.key === selected ? 'true' : undefined}
                  data-key={r.key}
                  onClick={() => onSelect(r.key)}
                  title={`${isolated(r.name)} (${isolated(r.key)}) · ${ciTypeLabel(r.type)} · owner ${r.owner ?? 'not set'}`}
                >
                  <TypeDot type={r.type} />
                  <span className="nm">
                    <bdi>{r.name}</bdi> <span className="k mono">{r.key}</span>
                  </span>
                  <span className="crit">{r.criticality ?? '—'}</span>
                  {r.state && <span className={`impact-state ${r.state.cls}`}>{r.state.text}</span>}
                </button>
              </div>
            );
          })}
        </div>
      </div>
      <div className="tfoot muted">
        {formatCount(rows.length)} {(rows.length === 1 && labelOne ? labelOne : label).toLowerCase()}
      </div>
    </div>
  );
}
