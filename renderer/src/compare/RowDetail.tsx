/** One opened change: a CI with each field's old and new value and its relationships across the two points; a relationship's changed fields; a type. */
import { NOW, type Diff } from '../../../shared/baseline.js';
import { ciTypeLabel } from '../../../shared/ci-types.js';
import { chunk, useChunk } from '../ui/chunk.js';
import { ErrorBox, Skeleton, TypeDot } from '../ui/common.js';
import { formatValue } from '../../../shared/format.js';
import { fieldEntries, pointLabel, type DiffRow, type FieldChanges } from './model.js';

const relGraph = chunk(() => import('./RelGraph.js'));

/** The CI's relationships across the two points, drawn (Cytoscape: a chunk loaded when first needed). */
function RelGraphPanel(props: { ciKey: string; diff: Diff; live: boolean }) {
  const { module, error, retry } = useChunk(relGraph);
  if (error) return <ErrorBox error={error} title="The graph could not be loaded" onRetry={retry} />;
  if (!module) return <Skeleton rows={4} label="Loading the graph" />;
  const RelGraph = module.default;
  return <RelGraph {...props} />;
}

const ATTR = 'attributes.';

function FieldTable({ fields, from, to }: { fields: FieldChanges; from: string; to: string }) {
  return (
    <table className="simple field-changes" aria-label="Field changes">
      <thead>
        <tr>
          <th>Field</th>
          <th>{from === NOW ? 'Now' : from}</th>
          <th>{to === NOW ? 'Now' : to}</th>
        </tr>
      </thead>
      <tbody>
        {fieldEntries(fields).map((f) => (
          <tr key={f.field} data-field={f.field}>
            <th scope="row">
              {f.field.startsWith(ATTR) ? (
                <>
                  {f.field.slice(ATTR.length)} <span className="muted">attribute</span>
                </>
              ) : (
                f.field
              )}
            </th>
            <td className="old">
              <del>{formatValue(f.from)}</del>
            </td>
            <td className="new">
              <ins>{formatValue(f.to)}</ins>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

const KIND_WORDS = { added: 'Added', removed: 'Removed', changed: 'Changed' } as const;

function Head({ r, diff }: { r: DiffRow; diff: Diff }) {
  const what = r.entity === 'ci' ? 'CI' : r.entity === 'relationship' ? 'Relationship' : 'CI type';
  const when =
    r.kind === 'added'
      ? `not in ${pointLabel(diff.from)}, in ${pointLabel(diff.to)}`
      : r.kind === 'removed'
        ? `in ${pointLabel(diff.from)}, not in ${pointLabel(diff.to)}`
        : `between ${pointLabel(diff.from)} and ${pointLabel(diff.to)}`;
  return (
    <header className="detail-head">
      <span className={`kind-badge ${r.kind}`}>
        {KIND_WORDS[r.kind]} {what.toLowerCase()}
      </span>
      <h3>
        {r.entity === 'ci' && <TypeDot type={r.type} />}{' '}
        {r.entity === 'relationship'
          ? `${r.source} ${r.type.replace(/_/g, ' ')} ${r.target}`
          : r.entity === 'type'
            ? ciTypeLabel(r.key)
            : r.label}
      </h3>
      <div className="muted small">
        {r.entity === 'ci' && (
          <>
            <span className="mono">{r.key}</span> · {ciTypeLabel(r.type)} · owner {r.owner ?? 'not set'} ·{' '}
          </>
        )}
        {when}
      </div>
    </header>
  );
}

export function RowDetail({ r, diff, onOpenCi }: { r: DiffRow; diff: Diff; onOpenCi: (key: string) => void }) {
  // A CI is in the live CMDB unless it was removed going to now, or added coming from now.
  const live = (diff.to === NOW && r.kind !== 'removed') || (diff.from === NOW && r.kind !== 'added');
  return (
    <section className="compare-detail" aria-label="Change detail">
      <Head r={r} diff={diff} />
      {r.fields && Object.keys(r.fields).length > 0 && <FieldTable fields={r.fields} from={diff.from} to={diff.to} />}
      {r.entity === 'ci' && r.kind !== 'changed' && (
        <p className="muted small">
          {r.kind === 'added' ? 'A new CI' : 'A CI that is gone'}: its fields are as in{' '}
          {pointLabel(r.kind === 'added' ? diff.to : diff.from)}.
        </p>
      )}
      {r.entity === 'ci' && (
        <>
          {live && (
            <div className="actions">
              <button type="button" className="btn small" onClick={() => onOpenCi(r.key)}>
                Open in Browse
              </button>
            </div>
          )}
          <RelGraphPanel ciKey={r.key} diff={diff} live={live} />
        </>
      )}
    </section>
  );
}
