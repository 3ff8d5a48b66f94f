/** The detail of one CI: fields, attributes, relationships both ways (each a link), history; edit and delete. */
import { useMemo, useState } from 'react';
import { isolated } from '../../../shared/bidi.js';
import type { Ci, CiDetail, Related } from '../../../shared/domain.js';
import { SOURCE_ATTRIBUTE } from '../../../shared/import-vocab.js';
import { cmdb } from '../api.js';
import { tone } from '../typeStyle.js';
import { ciTypeLabel } from '../../../shared/ci-types.js';
import { ConfirmDialog, ErrorBox, formatTime, Skeleton, TypeDot, useAsync } from '../ui/common.js';
import { formatCount } from '../../../shared/format.js';
import { CiForm } from './CiForm.js';
import { HistorySection } from './HistorySection.js';
import { RelForm } from './RelForm.js';
import { RelationshipList } from './RelationshipList.js';
import { LIST_PAGE } from './usePagedList.js';
import { addToChange } from '../impact/changeSet.js';
import { usesEscape } from '../ui/escape.js';

interface Props {
  ciKey: string;
  version: number;
  onChanged: () => void;
  onOpen: (key: string) => void;
  /** Closes the detail: its ✕, and Escape from within it. */
  onClose?: () => void;
  onGraph?: (key: string) => void;
  /** Beside the graph: no editing, fewer sections. */
  compact?: boolean;
}

export function CiDetailPanel({ ciKey, version, onChanged, onOpen, onClose, onGraph, compact }: Props) {
  // The first page of each list comes with the CI; the rest is paged as it is scrolled to or asked for.
  const [state, reload] = useAsync<CiDetail>(
    () => cmdb.getCi({ key: ciKey, relLimit: LIST_PAGE, historyLimit: compact ? 0 : LIST_PAGE }),
    [ciKey, version],
  );
  const [editing, setEditing] = useState(false);
  const [adding, setAdding] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const [delRel, setDelRel] = useState<Related | null>(null);
  const d = state.data;
  const pages = useMemo(
    () =>
      d && {
        outgoing: { items: d.outgoing, total: d.outgoingTotal },
        incoming: { items: d.incoming, total: d.incomingTotal },
        history: { items: d.history, total: d.historyTotal },
      },
    [d],
  );

  return (
    <aside
      className="pane detail"
      aria-label="CI detail"
      data-testid="ci-detail"
      // Escape closes the detail from any of its buttons, but not from a dialog or a field that uses the key itself.
      onKeyDown={(e) => {
        if (e.key !== 'Escape' || !onClose || e.defaultPrevented || usesEscape(e.target)) return;
        e.preventDefault();
        onClose();
      }}
    >
      {state.status === 'error' && !d ? (
        <>
          <div className="pane-head">
            <h2>CI detail</h2>
            <span className="spacer" />
            {onClose && (
              <button type="button" className="btn ghost icon" onClick={onClose} aria-label="Close detail">
                ✕
              </button>
            )}
          </div>
          <ErrorBox error={state.error} title={`“${ciKey}” could not be opened`} onRetry={reload} />
        </>
      ) : !d ? (
        <Skeleton rows={10} label="Loading CI" />
      ) : (
        <div className="pane-body">
          <div className="detail-head">
            <div style={{ display: 'flex', gap: 8, alignItems: 'center' }}>
              <TypeDot type={d.ci.type} />
              <span className="muted">{ciTypeLabel(d.ci.type)}</span>
              <span className="spacer" />
              {onClose && (
                <button type="button" className="btn ghost icon" onClick={onClose} aria-label="Close detail">
                  ✕
                </button>
              )}
            </div>
            <h2>{d.ci.name}</h2>
            <div className="mono muted">{d.ci.key}</div>
            <div className="actions">
              {onGraph && (
                <button type="button" className="btn small" onClick={() => onGraph(d.ci.key)} aria-label="Show in graph">
                  Show in graph
                </button>
              )}
              <button type="button" className="btn small" onClick={() => addToChange(d.ci.key)} aria-label="Add to change">
                Add to change
              </button>
              {!compact && (
                <>
                  <button type="button" className="btn small" onClick={() => setEditing(true)} aria-label="Edit CI">
                    Edit
                  </button>
                  <button type="button" className="btn small" onClick={() => setAdding(true)} aria-label="Add relationship">
                    + Relationship
                  </button>
                  <button type="button" className="btn small danger" onClick={() => setDeleting(true)} aria-label="Delete CI">
                    Delete
                  </button>
                </>
              )}
            </div>
          </div>
          <CiFieldsSections ci={d.ci} compact={compact} />
          <RelationshipList
            ciKey={d.ci.key}
            side="outgoing"
            title="Depends on / points to"
            first={pages!.outgoing}
            version={version}
            onOpen={onOpen}
            onDelete={compact ? undefined : setDelRel}
          />
          <RelationshipList
            ciKey={d.ci.key}
            side="incoming"
            title="Pointed at by"
            first={pages!.incoming}
            version={version}
            onOpen={onOpen}
            onDelete={compact ? undefined : setDelRel}
          />
          {!compact && <HistorySection ciKey={d.ci.key} first={pages!.history} version={version} />}
          {/* Mounted only while open: each form reads the types registry, a count over every relationship on a big CMDB. */}
          {editing && (
            <CiForm
              open
              ci={d.ci}
              onClose={() => setEditing(false)}
              onSaved={() => {
                setEditing(false);
                onChanged();
              }}
            />
          )}
          {adding && (
            <RelForm
              open
              ci={d.ci}
              onClose={() => setAdding(false)}
              onSaved={() => {
                setAdding(false);
                onChanged();
              }}
            />
          )}
          <ConfirmDialog
            open={deleting}
            title={`Delete ${isolated(d.ci.name)}?`}
            confirmLabel="Delete CI"
            message={
              <>
                This deletes{' '}
                <strong>
                  <bdi>{d.ci.name}</bdi>
                </strong>{' '}
                (<bdi className="mono">{d.ci.key}</bdi>) and its {formatCount(d.outgoingTotal + d.incomingTotal)} relationship(s). The
                deletion is recorded in history.
              </>
            }
            onClose={() => setDeleting(false)}
            onConfirm={async () => {
              await cmdb.deleteCi({ key: d.ci.key });
              onClose?.();
              onChanged();
            }}
          />
          <DeleteRelDialog ci={d.ci} rel={delRel} onClose={() => setDelRel(null)} onChanged={onChanged} />
        </div>
      )}
    </aside>
  );
}

/** The CI's fields and attributes. */
function CiFieldsSections({ ci, compact }: { ci: Ci; compact?: boolean | undefined }) {
  return (
    <>
      <section className="section" aria-label="Fields">
        <h3>Fields</h3>
        <dl className="kv">
          <dt>Status</dt>
          <dd>{ci.status ? <span className={`pill ${tone(ci.status)}`}>{ci.status}</span> : '—'}</dd>
          <dt>Environment</dt>
          <dd>{ci.environment ?? '—'}</dd>
          <dt>Owner</dt>
          <dd>{ci.owner ?? '—'}</dd>
          <dt>Criticality</dt>
          <dd>{ci.criticality ? <span className={`pill ${tone(ci.criticality)}`}>{ci.criticality}</span> : '—'}</dd>
          {ci.description && (
            <>
              <dt>Description</dt>
              <dd>{ci.description}</dd>
            </>
          )}
          {!compact && (
            <>
              <dt>Created</dt>
              <dd>{formatTime(ci.createdAt)}</dd>
              <dt>Updated</dt>
              <dd>{formatTime(ci.updatedAt)}</dd>
            </>
          )}
        </dl>
      </section>
      {Object.keys(ci.attributes).length > 0 && (
        <section className="section" aria-label="Attributes">
          <h3>Attributes</h3>
          <dl className="kv">
            {Object.entries(ci.attributes).map(([k, v]) => (
              <div key={k} style={{ display: 'contents' }}>
                <dt className="mono" title={SOURCE_NOTES.get(k)}>
                  {breakable(k)}
                </dt>
                <dd>
                  {v}
                  {SOURCE_NOTES.has(k) && <span className="muted small"> (the file’s word)</span>}
                </dd>
              </div>
            ))}
          </dl>
        </section>
      )}
    </>
  );
}

/**
 * The attributes the importer keeps beside a value it put on a scale (criticality_source: the file's own word), with
 * what they are: a new user met them on every CI without a word of why (found by a tester).
 */
const SOURCE_NOTES = new Map<string, string>(
  Object.entries(SOURCE_ATTRIBUTE).map(([field, attr]) => [
    attr,
    `The ${field} as the imported file wrote it, kept beside the ${field} above, which is that word on the CMDB's scale.`,
  ]),
);

/** An attribute name that may wrap after each underscore (`criticality_<wbr>source`), not in the middle of a word. */
function breakable(name: string) {
  return name.split('_').map((part, i) => (
    <span key={i}>
      {i > 0 && (
        <>
          _<wbr />
        </>
      )}
      {part}
    </span>
  ));
}

/** Asks before deleting one of the CI's relationships, naming both ends the way it runs. */
function DeleteRelDialog({ ci, rel, onClose, onChanged }: { ci: Ci; rel: Related | null; onClose: () => void; onChanged: () => void }) {
  return (
    <ConfirmDialog
      open={rel !== null}
      title="Delete this relationship?"
      confirmLabel="Delete relationship"
      message={
        rel && (
          <>
            <bdi>{rel.source === ci.key ? ci.name : rel.other.name}</bdi> <strong>{rel.type.replace(/_/g, ' ')}</strong>{' '}
            <bdi>{rel.source === ci.key ? rel.other.name : ci.name}</bdi>. The deletion is recorded in history.
          </>
        )
      }
      onClose={onClose}
      onConfirm={async () => {
        if (rel) await cmdb.deleteRelationship({ id: rel.id });
        onChanged();
      }}
    />
  );
}
