/** The changes between the two points as a virtualised list: every row reachable however many, each a button that opens it. */
import { useVirtualizer } from '@tanstack/react-virtual';
import { useRef } from 'react';
import { ciTypeLabel } from '../../../shared/ci-types.js';
import type { Diff } from '../../../shared/baseline.js';
import { TypeDot } from '../ui/common.js';
import { countLine, type ChangeKind, type DiffRow } from './model.js';

const ROW = 40;
const MARK: Record<ChangeKind, string> = { added: '+', removed: '−', changed: '~' };

function RowText({ r }: { r: DiffRow }) {
  if (r.entity === 'relationship')
    return (
      <span className="nm">
        <span className="mono">{r.source}</span> <span className="rel">{r.type.replace(/_/g, ' ')}</span>{' '}
        <span className="mono">{r.target}</span>
      </span>
    );
  if (r.entity === 'type')
    return (
      <span className="nm">
        CI type <strong>{ciTypeLabel(r.key)}</strong> <span className="k mono">{r.key}</span>
      </span>
    );
  return (
    <span className="nm">
      {r.label} <span className="k mono">{r.key}</span>
    </span>
  );
}

function rowMeta(r: DiffRow): string {
  const n = r.fields ? Object.keys(r.fields).length : 0;
  const fields = n > 0 ? `${n} field${n === 1 ? '' : 's'}` : '';
  if (r.entity === 'ci') return [ciTypeLabel(r.type), r.owner ?? 'no owner', fields].filter(Boolean).join(' · ');
  if (r.entity === 'relationship') return fields || 'relationship';
  return 'type';
}

export function ChangeList({
  rows,
  total,
  diff,
  limit,
  openId,
  onOpen,
}: {
  rows: DiffRow[];
  /** Rows before the filters. */
  total: number;
  /** The diff listed (its counts cover every change, `truncated` says a list was cut). */
  diff: Diff;
  /** The most entries of each kind the diff was asked to list. */
  limit: number;
  openId: string | null;
  onOpen: (id: string) => void;
}) {
  const scroller = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW,
    overscan: 12,
  });
  return (
    <div className="compare-list">
      <div className="ibody" ref={scroller} role="list" aria-label="Changes" data-testid="compare-list">
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {virtualizer.getVirtualItems().map((v) => {
            const r = rows[v.index]!;
            return (
              <div key={r.id} role="listitem" className="crow-item" style={{ transform: `translateY(${v.start}px)`, height: ROW }}>
                <button
                  type="button"
                  className={`crow ${r.kind}`}
                  aria-current={r.id === openId ? 'true' : undefined}
                  data-id={r.id}
                  onClick={() => onOpen(r.id)}
                >
                  <span className={`mark ${r.kind}`} aria-label={r.kind} title={r.kind}>
                    {MARK[r.kind]}
                  </span>
                  {r.entity === 'ci' ? <TypeDot type={r.type} /> : <span aria-hidden="true" />}
                  <RowText r={r} />
                  <span className="meta">{rowMeta(r)}</span>
                </button>
              </div>
            );
          })}
        </div>
        {rows.length === 0 && <p className="muted brief-empty">No change matches the filters.</p>}
      </div>
      <div className="tfoot muted" data-testid="compare-count">
        {countLine(rows.length, total, diff, limit)}
      </div>
    </div>
  );
}
