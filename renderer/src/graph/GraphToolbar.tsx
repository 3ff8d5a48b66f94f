/** The graph view's options: direction, depth, cap, type filters, layout and grouping, kept in the URL parameters. */
import type { ReactNode } from 'react';
import type { Direction } from '../../../shared/domain.js';
import { formatCount } from '../../../shared/format.js';
import { Menu } from '../ui/Menu.js';
import { GroupByControl } from './GroupByControl.js';
import type { GraphParams } from './params.js';

const DIRECTIONS: Array<{ value: Direction; label: string }> = [
  { value: 'upstream', label: 'Depends on' },
  { value: 'downstream', label: 'Depended on by' },
  { value: 'both', label: 'Both' },
];
const CAPS = [100, 300, 500, 1000, 2000, 5000];

function MultiSelect({
  label,
  options,
  chosen,
  onChange,
}: {
  label: string;
  options: Array<{ value: string; label: string }>;
  chosen: string[];
  onChange: (v: string[]) => void;
}) {
  return (
    <Menu
      summaryClassName="btn small"
      label={`${label} filter`}
      groupLabel={label}
      summary={`${label}${chosen.length ? ` (${chosen.length})` : ': all'} ▾`}
    >
      {chosen.length > 0 && (
        <button type="button" className="btn ghost small" onClick={() => onChange([])}>
          Show all
        </button>
      )}
      {options.map((o) => (
        <label key={o.value}>
          <input
            type="checkbox"
            checked={chosen.includes(o.value)}
            onChange={(e) => onChange(e.target.checked ? [...chosen, o.value] : chosen.filter((c) => c !== o.value))}
            aria-label={o.label}
          />
          {o.label}
        </label>
      ))}
    </Menu>
  );
}

/** A CI or relationship type with how many there are. */
interface TypeCount {
  name: string;
  label: string;
  count: number;
}

/** The types that occur, as filter options labelled with their counts. */
function typeOptions(types: TypeCount[] | undefined) {
  return (types ?? []).filter((t) => t.count > 0).map((t) => ({ value: t.name, label: `${t.label} (${formatCount(t.count)})` }));
}

/** The toolbar; `setParam` changes one URL parameter, `setParams` several; `children` (saved views, export) close it. */
export function GraphToolbar({
  p,
  types,
  setParam,
  setParams,
  children,
}: {
  p: GraphParams;
  types: { ciTypes: TypeCount[]; relTypes: TypeCount[] } | undefined;
  setParam: (k: string, v: string) => void;
  setParams: (patch: Record<string, string>) => void;
  children?: ReactNode;
}) {
  const { direction, depth, maxNodes, ciTypes, relTypes, layout, grouping } = p;
  return (
    <div className="toolbar" role="toolbar" aria-label="Graph options">
      <div className="seg" role="group" aria-label="Direction">
        {DIRECTIONS.map((d) => (
          <button key={d.value} type="button" aria-pressed={direction === d.value} onClick={() => setParam('dir', d.value)}>
            {d.label}
          </button>
        ))}
      </div>
      <label className="inline">
        Depth
        <select className="input" value={depth} onChange={(e) => setParam('depth', e.target.value)} aria-label="Depth">
          {[1, 2, 3, 4, 5, 6, 8, 10].map((d) => (
            <option key={d} value={d}>
              {d}
            </option>
          ))}
        </select>
      </label>
      <label className="inline">
        Cap
        <select className="input" value={maxNodes} onChange={(e) => setParam('max', e.target.value)} aria-label="Maximum nodes drawn">
          {[...new Set([...CAPS, maxNodes])]
            .sort((a, b) => a - b)
            .map((c) => (
              <option key={c} value={c}>
                {formatCount(c)}
              </option>
            ))}
        </select>
      </label>
      <MultiSelect label="CI types" options={typeOptions(types?.ciTypes)} chosen={ciTypes} onChange={(v) => setParam('ct', v.join(','))} />
      <MultiSelect
        label="Relationships"
        options={typeOptions(types?.relTypes)}
        chosen={relTypes}
        onChange={(v) => setParam('rt', v.join(','))}
      />
      <span className="sep" />
      <div className="seg" role="group" aria-label="Layout">
        <button
          type="button"
          aria-pressed={layout === 'layered'}
          onClick={() => setParam('layout', 'layered')}
          title="Layered: dependency chains top to bottom"
        >
          Layered
        </button>
        <button type="button" aria-pressed={layout === 'force'} onClick={() => setParam('layout', 'force')} title="Force: clusters">
          Force
        </button>
      </div>
      <span className="sep" />
      <GroupByControl key={p.groupBy ?? ''} groupBy={p.groupBy} onChange={(by) => setParams({ gb: by ?? '', gx: '' })} />
      <label className="inline" title="Collapse more than 12 CIs of one type hanging off the same CI into one node">
        <input
          type="checkbox"
          checked={grouping && !p.groupBy}
          disabled={p.groupBy !== null}
          onChange={(e) => setParam('group', e.target.checked ? '' : '0')}
          aria-label="Group large sibling sets"
        />
        Siblings
      </label>
      {children && <span className="sep" />}
      {children}
    </div>
  );
}
