/** The detail of one CI: fields, attributes, relationships both ways (each a link), history; edit and delete. */
import { useState } from 'react';
import type { CiDetail, HistoryEntry, Related } from '../../../shared/domain.js';
import { cmdb } from '../api.js';
import { tone } from '../typeStyle.js';
import { ciTypeLabel } from '../../../shared/ci-types.js';
import { ConfirmDialog, ErrorBox, formatTime, formatValue, Skeleton, TypeDot, useAsync } from '../ui/common.js';
import { CiForm } from './CiForm.js';
import { RelForm } from './RelForm.js';
import { addToChange } from '../impact/changeSet.js';

interface Props {
  ciKey: string;
  version: number;
  onChanged: () => void;
  onOpen: (key: string) => void;
  onClose?: () => void;
  onGraph?: (key: string) => void;
  /** Beside the graph: no editing, fewer sections. */
  compact?: boolean;
}

function HistoryList({ entries }: { entries: HistoryEntry[] }) {
  if (entries.length === 0) return <p className="muted">No recorded changes.</p>;
  return (
    <ol className="history" aria-label="History">
      {entries.map((h) => (
        <li key={h.id}>
          <span className={`bullet ${h.action}`} aria-hidden="true" />
          <div>
            <div>{h.summary}</div>
            <div className="meta">
              {formatTime(h.at)} · {h.source}
              {h.importId !== null ? ` · import #${h.importId}` : ''}
            </div>
            {h.changes && h.action === 'update' && (
              <div className="changes">
                {Object.entries(h.changes).map(([k, c]) => (
                  <div key={k}>
                    {k}: <del>{formatValue(c.from)}</del> → <ins>{formatValue(c.to)}</ins>
                  </div>
                ))}
              </div>
            )}
          </div>
        </li>
      ))}
    </ol>
  );
}

const REL_PAGE = 100;

function RelList({
  title,
  rels,
  dir,
  onOpen,
  onDelete,
}: {
  title: string;
  rels: Related[];
  dir: 'out' | 'in';
  onOpen: (k: string) => void;
  onDelete?: (r: Related) => void;
}) {
  // A hub can have thousands of relationships: list the first ones, the rest on request.
  const [all, setAll] = useState(false);
  const shown = all ? rels : rels.slice(0, REL_PAGE);
  return (
    <section className="section" aria-label={title}>
      <h3>
        {title} <span className="muted">{rels.length}</span>
      </h3>
      {rels.length === 0 ? (
        <p className="muted" style={{ margin: 0 }}>
          {dir === 'out' ? 'This CI has no outgoing relationships.' : 'No CI points at this one.'}
        </p>
      ) : (
        <ul className="rels">
          {shown.map((r) => (
            <li key={r.id}>
              <span className="rtype" title={r.type}>
                {r.type.replace(/_/g, ' ')}
                {r.redundancyGroup ? ` ⋅ ${r.redundancyGroup}` : ''}
              </span>
              <button
                type="button"
                className="linkbtn"
                onClick={() => onOpen(r.other.key)}
                aria-label={`Open ${r.other.name}`}
                title={r.other.key}
              >
                <TypeDot type={r.other.type} />
                {r.other.name}
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
            </li>
          ))}
        </ul>
      )}
      {shown.length < rels.length && (
        <button type="button" className="btn ghost small" style={{ marginTop: 6 }} onClick={() => setAll(true)}>
          Show all {rels.length.toLocaleString('en-US')}
        </button>
      )}
    </section>
  );
}

export function CiDetailPanel({ ciKey, version, onChanged, onOpen, onClose, onGraph, compact }: Props) {
  const [state, reload] = useAsync<CiDetail>(() => cmdb.getCi({ key: ciKey }), [ciKey, version]);
  const [editing, setEditing] = useState(false);
  const [adding, setAdding] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const [delRel, setDelRel] = useState<Related | null>(null);
  const d = state.data;

  return (
    <aside className="pane detail" aria-label="CI detail" data-testid="ci-detail">
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
          <section className="section" aria-label="Fields">
            <h3>Fields</h3>
            <dl className="kv">
              <dt>Status</dt>
              <dd>{d.ci.status ? <span className={`pill ${tone(d.ci.status)}`}>{d.ci.status}</span> : '—'}</dd>
              <dt>Environment</dt>
              <dd>{d.ci.environment ?? '—'}</dd>
              <dt>Owner</dt>
              <dd>{d.ci.owner ?? '—'}</dd>
              <dt>Criticality</dt>
              <dd>{d.ci.criticality ? <span className={`pill ${tone(d.ci.criticality)}`}>{d.ci.criticality}</span> : '—'}</dd>
              {d.ci.description && (
                <>
                  <dt>Description</dt>
                  <dd>{d.ci.description}</dd>
                </>
              )}
              {!compact && (
                <>
                  <dt>Created</dt>
                  <dd>{formatTime(d.ci.createdAt)}</dd>
                  <dt>Updated</dt>
                  <dd>{formatTime(d.ci.updatedAt)}</dd>
                </>
              )}
            </dl>
          </section>
          {Object.keys(d.ci.attributes).length > 0 && (
            <section className="section" aria-label="Attributes">
              <h3>Attributes</h3>
              <dl className="kv">
                {Object.entries(d.ci.attributes).map(([k, v]) => (
                  <div key={k} style={{ display: 'contents' }}>
                    <dt className="mono">{k}</dt>
                    <dd>{v}</dd>
                  </div>
                ))}
              </dl>
            </section>
          )}
          <RelList title="Depends on / points to" rels={d.outgoing} dir="out" onOpen={onOpen} onDelete={compact ? undefined : setDelRel} />
          <RelList title="Pointed at by" rels={d.incoming} dir="in" onOpen={onOpen} onDelete={compact ? undefined : setDelRel} />
          {!compact && (
            <section className="section" aria-label="History section">
              <h3>History</h3>
              <HistoryList entries={d.history} />
            </section>
          )}
          <CiForm
            open={editing}
            ci={d.ci}
            onClose={() => setEditing(false)}
            onSaved={() => {
              setEditing(false);
              onChanged();
            }}
          />
          <RelForm
            open={adding}
            ci={d.ci}
            onClose={() => setAdding(false)}
            onSaved={() => {
              setAdding(false);
              onChanged();
            }}
          />
          <ConfirmDialog
            open={deleting}
            title={`Delete ${d.ci.name}?`}
            confirmLabel="Delete CI"
            message={
              <>
                This deletes <strong>{d.ci.name}</strong> (<span className="mono">{d.ci.key}</span>) and its{' '}
                {d.outgoing.length + d.incoming.length} relationship(s). The deletion is recorded in history.
              </>
            }
            onClose={() => setDeleting(false)}
            onConfirm={async () => {
              await cmdb.deleteCi({ key: d.ci.key });
              onClose?.();
              onChanged();
            }}
          />
          <ConfirmDialog
            open={delRel !== null}
            title="Delete this relationship?"
            confirmLabel="Delete relationship"
            message={
              delRel && (
                <>
                  {delRel.source === d.ci.key ? d.ci.name : delRel.other.name} <strong>{delRel.type.replace(/_/g, ' ')}</strong>{' '}
                  {delRel.source === d.ci.key ? delRel.other.name : d.ci.name}. The deletion is recorded in history.
                </>
              )
            }
            onClose={() => setDelRel(null)}
            onConfirm={async () => {
              if (delRel) await cmdb.deleteRelationship({ id: delRel.id });
              onChanged();
            }}
          />
        </div>
      )}
    </aside>
  );
}
