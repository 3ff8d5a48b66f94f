/**
 * Changed fields as a person reads them: each field, or each attribute by its name (shared changedFields), with
 * its old value struck and its new one. One rendering for a CI's history and an import's dry run; what a row
 * would create, its fields as it would store them (CreatedFields).
 */
import { changedFields, formatValue } from '../../../shared/format.js';

export function ChangesList({ changes }: { changes: Record<string, { from: unknown; to: unknown }> }) {
  return (
    <div className="changes">
      {changedFields(changes).map((c) => (
        <div key={`${c.attribute ? 'attribute' : 'field'}:${c.field}`}>
          {c.field}
          {c.attribute && <span className="muted"> attribute</span>}: <del>{formatValue(c.from)}</del> → <ins>{formatValue(c.to)}</ins>
        </div>
      ))}
    </div>
  );
}

/**
 * What a dry run's row would create, on one line: each field and attribute as it would be stored (`type
 * application · status operational · criticality medium`), so a mapping's result is checked before the import:
 * a created CI used to show its key alone (found by a new user).
 */
export function CreatedFields({ changes }: { changes: Record<string, { from: unknown; to: unknown }> }) {
  const fields = changedFields(changes).filter((c) => c.to !== null && c.to !== undefined && c.to !== '');
  return (
    <div className="changes created muted">
      {fields.map((c, i) => (
        <span key={`${c.attribute ? 'attribute' : 'field'}:${c.field}`}>
          {i > 0 && ' · '}
          {c.field} <ins>{formatValue(c.to)}</ins>
        </span>
      ))}
    </div>
  );
}
