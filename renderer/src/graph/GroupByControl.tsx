/** The graph toolbar's "Group by": a core CI field, or any attribute name typed in (no method lists the estate's attribute names). */
import { useState } from 'react';
import { GROUP_CORE_FIELDS } from '../../../shared/graph.js';

const LABELS: Record<(typeof GROUP_CORE_FIELDS)[number], string> = {
  type: 'Type',
  owner: 'Owner',
  environment: 'Environment',
  status: 'Status',
  criticality: 'Criticality',
};
const ATTRIBUTE = '__attribute';

const isCore = (v: string | null): boolean => v !== null && (GROUP_CORE_FIELDS as readonly string[]).includes(v);

/** `groupBy` null is no grouping; `onChange` gets the new field (null for none). */
export function GroupByControl({ groupBy, onChange }: { groupBy: string | null; onChange: (by: string | null) => void }) {
  const [attrMode, setAttrMode] = useState(groupBy !== null && !isCore(groupBy));
  const [attr, setAttr] = useState(groupBy !== null && !isCore(groupBy) ? groupBy : '');
  const value = attrMode ? ATTRIBUTE : (groupBy ?? '');
  return (
    <span className="group-by">
      <label className="inline">
        Group by
        <select
          className="input"
          value={value}
          aria-label="Group by"
          onChange={(e) => {
            const v = e.target.value;
            setAttrMode(v === ATTRIBUTE);
            if (v === ATTRIBUTE) return;
            onChange(v || null);
          }}
        >
          <option value="">None</option>
          {GROUP_CORE_FIELDS.map((f) => (
            <option key={f} value={f}>
              {LABELS[f]}
            </option>
          ))}
          <option value={ATTRIBUTE}>Attribute…</option>
        </select>
      </label>
      {attrMode && (
        <form
          className="inline-form"
          onSubmit={(e) => {
            e.preventDefault();
            if (attr.trim()) onChange(attr.trim());
          }}
        >
          <input
            className="input"
            value={attr}
            onChange={(e) => setAttr(e.target.value)}
            placeholder="attribute, e.g. location"
            aria-label="Attribute to group by"
            maxLength={100}
          />
          <button type="submit" className="btn small" disabled={!attr.trim()}>
            Group
          </button>
        </form>
      )}
    </span>
  );
}
