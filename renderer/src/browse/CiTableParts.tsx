/** The CI table's pieces: the sortable header, one row, the placeholders while loading, the empty state and the footer. */
import type { Ci } from '../../../shared/domain.js';
import { ciTypeLabel } from '../../../shared/ci-types.js';
import { isolated } from '../../../shared/bidi.js';
import { tone } from '../typeStyle.js';
import { formatTime, TypeDot } from '../ui/common.js';
import { formatCount, formatTotal } from '../../../shared/format.js';
import type { Sort, SortField } from './CiTable.js';

const COLUMNS: Array<{ field: SortField; label: string }> = [
  { field: 'name', label: 'Name' },
  { field: 'type', label: 'Type' },
  { field: 'status', label: 'Status' },
  { field: 'environment', label: 'Env' },
  { field: 'criticality', label: 'Criticality' },
  { field: 'owner', label: 'Owner' },
  { field: 'updatedAt', label: 'Updated' },
];

/** The header row: a sort button per column (ascending, then descending, then unsorted). */
export function CiTableHead({ sort, onSort }: { sort: Sort; onSort: (s: Sort) => void }) {
  return (
    <div className="trow thead" role="row">
      {COLUMNS.map((c) => {
        const active = sort?.field === c.field;
        return (
          <div key={c.field} role="columnheader" aria-sort={active ? (sort!.order === 'asc' ? 'ascending' : 'descending') : 'none'}>
            <button
              type="button"
              aria-label={`Sort by ${c.label}${active ? (sort!.order === 'asc' ? ', now ascending' : ', now descending') : ''}`}
              onClick={() =>
                onSort(active ? (sort!.order === 'asc' ? { field: c.field, order: 'desc' } : null) : { field: c.field, order: 'asc' })
              }
            >
              {c.label}
              <span aria-hidden="true" style={{ opacity: active ? 1 : 0.25 }}>
                {active && sort!.order === 'desc' ? '↓' : '↑'}
              </span>
            </button>
          </div>
        );
      })}
    </div>
  );
}

/** The cells of one CI. */
export function CiCells({ ci }: { ci: Ci }) {
  return (
    <>
      <div className="name-cell" role="gridcell" title={`${isolated(ci.name)} (${isolated(ci.key)})`}>
        <TypeDot type={ci.type} />
        <span className="n">{ci.name}</span>
        <span className="k mono">{ci.key}</span>
      </div>
      <div role="gridcell">{ciTypeLabel(ci.type)}</div>
      <div role="gridcell">
        {ci.status ? <span className={`pill ${tone(ci.status)}`}>{ci.status}</span> : <span className="muted">—</span>}
      </div>
      <div role="gridcell">{ci.environment ?? <span className="muted">—</span>}</div>
      <div role="gridcell">
        {ci.criticality ? <span className={`pill ${tone(ci.criticality)}`}>{ci.criticality}</span> : <span className="muted">—</span>}
      </div>
      <div role="gridcell" title={ci.owner ?? undefined}>
        {ci.owner ?? <span className="muted">—</span>}
      </div>
      <div role="gridcell" className="muted" title={ci.updatedAt}>
        {formatTime(ci.updatedAt).split(',')[0]}
      </div>
    </>
  );
}

/** Placeholders for a row whose page has not arrived yet. */
export function PendingCells() {
  return (
    <>
      <span className="skel" style={{ width: '60%' }} />
      <span className="skel" style={{ width: '50%' }} />
      <span className="skel" style={{ width: '50%' }} />
      <span className="skel" style={{ width: '40%' }} />
      <span className="skel" style={{ width: '40%' }} />
      <span className="skel" style={{ width: '60%' }} />
      <span className="skel" style={{ width: '70%' }} />
    </>
  );
}

/** Placeholder rows while the first page loads. */
export function LoadingRows() {
  return (
    <div aria-label="Loading CIs" role="status">
      {Array.from({ length: 14 }, (_, i) => (
        <div className="trow" key={i} style={{ position: 'static' }}>
          <span className="skel" style={{ width: `${50 + ((i * 29) % 45)}%` }} />
          <span className="skel" style={{ width: '60%' }} />
          <span className="skel" style={{ width: '70%' }} />
          <span className="skel" style={{ width: '50%' }} />
          <span className="skel" style={{ width: '60%' }} />
          <span className="skel" style={{ width: '70%' }} />
          <span className="skel" style={{ width: '80%' }} />
        </div>
      ))}
    </div>
  );
}

/** No CI matches: say whether searching or filtering less would help, or that the CMDB is empty. */
export function NoCis({ narrowed }: { narrowed: boolean }) {
  return (
    <div className="empty">
      <div className="inner">
        <div className="icon" aria-hidden="true">
          ⌕
        </div>
        <h3>No CIs match</h3>
        <p>{narrowed ? 'Clear the search or some filters to see more.' : 'This CMDB is empty: import a CSV inventory or create a CI.'}</p>
      </div>
    </div>
  );
}

/** The footer: how many CIs, which rows are in view, and the keys. */
export function CiTableFoot({ total, estimate, first, last }: { total: number | null; estimate: boolean; first: number; last: number }) {
  return (
    <div className="tfoot" aria-live="polite">
      {total === null ? 'Counting…' : `${formatTotal(total, estimate)} CI${total === 1 && !estimate ? '' : 's'}`}
      {total !== null && total > 0 && (
        <span>
          rows {formatCount(first + 1)}–{formatCount(Math.min(last + 1, total))}
        </span>
      )}
      <span className="spacer" />
      <span>
        <span className="kbd">↑</span> <span className="kbd">↓</span> move · <span className="kbd">/</span> search
      </span>
    </div>
  );
}
