/**
 * Changed fields as a person reads them: each field, or each attribute by its name (shared changedFields), with
 * its old value struck and its new one. One rendering for a CI's history and an import's dry run.
 */
import { changedFields } from '../../../shared/format.js';
import { formatValue } from './common.js';

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
