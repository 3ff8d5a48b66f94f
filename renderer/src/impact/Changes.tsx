/**
 * Change assessments: save the analysis as a change, list and reopen saved
 * ones (with what differs now), export the report.
 */
import { useEffect, useState } from 'react';
import { mergedSinceText, notRunningSinceText, OTHER_CHANGES_HEADING, otherChangeDetail } from '../../../shared/explain.js';
import type { ChangeDetail, ChangeSummary, OtherChange } from '../../../shared/impact.js';
import { asSentence } from '../../../shared/format.js';
import { cmdb } from '../api.js';
import { ConfirmDialog, ErrorBox, formatTime, Modal, Skeleton, useAsync, useDebounced, useSubmit } from '../ui/common.js';
import { tellOtherTabs } from '../ui/ElsewhereNotice.js';
import { REPORT_FORMATS } from './reportExport.js';
import { ExportRow } from '../ui/ExportRow.js';
import type { ChangeDraft } from './params.js';
import { RiskBadge } from './Summary.js';

export function SaveChangeDialog({
  open,
  initial,
  onClose,
  onSave,
}: {
  open: boolean;
  initial: ChangeDraft;
  onClose: () => void;
  onSave: (d: ChangeDraft) => Promise<void>;
}) {
  const [d, setD] = useState(initial);
  const { busy, error, run, setError } = useSubmit();
  useEffect(() => {
    if (open) {
      setD(initial);
      setError(null);
    }
  }, [open]);
  const backwards = d.start !== '' && d.end !== '' && d.end < d.start;
  // Why Save is disabled, beside it: a greyed button alone does not say what is missing.
  const missing = !d.ref.trim() ? 'Give a reference (your change ticket) to save.' : !d.title.trim() ? 'Give a title to save.' : null;
  const bad = missing !== null || backwards;
  const submit = () =>
    run(async () => {
      await onSave(d);
      onClose();
    });
  return (
    <Modal
      open={open}
      title="Save as a change"
      onClose={onClose}
      footer={
        <>
          {missing && (
            <span className="muted small" style={{ alignSelf: 'center' }} data-testid="save-change-missing">
              {missing}
            </span>
          )}
          <button type="button" className="btn" onClick={onClose} disabled={busy}>
            Cancel
          </button>
          <button type="submit" form="save-change" className="btn primary" disabled={busy || bad}>
            {busy ? 'Saving…' : 'Save change'}
          </button>
        </>
      }
    >
      <form
        id="save-change"
        className="change-form"
        onSubmit={(e) => {
          e.preventDefault();
          if (!bad) void submit();
        }}
      >
        <label className="field">
          <span>
            Reference <b title="Required">*</b>
          </span>
          <input
            className="input mono"
            value={d.ref}
            onChange={(e) => setD({ ...d, ref: e.target.value })}
            placeholder="CHG0012345"
            required
          />
          <span className="hint">Saving again with the same reference updates that change.</span>
        </label>
        <label className="field">
          <span>
            Title <b title="Required">*</b>
          </span>
          <input className="input" value={d.title} onChange={(e) => setD({ ...d, title: e.target.value })} required />
        </label>
        <div className="grid2">
          <label className="field">
            <span>Planned start</span>
            <input className="input" type="datetime-local" value={d.start} onChange={(e) => setD({ ...d, start: e.target.value })} />
          </label>
          <label className="field">
            <span>Planned end</span>
            <input className="input" type="datetime-local" value={d.end} onChange={(e) => setD({ ...d, end: e.target.value })} />
          </label>
        </div>
        {d.savedWindow && !d.start && !d.end && (
          <p className="hint" data-testid="saved-window">
            Planned window as saved: <b>{d.savedWindow}</b>. It is kept unless you set a start or an end.{' '}
            <button type="button" className="linkbtn" onClick={() => setD({ ...d, savedWindow: null })}>
              Clear it
            </button>
          </p>
        )}
        {backwards && <span className="field-error">The planned end is before the start.</span>}
        <label className="field">
          <span>Description</span>
          <textarea className="input" rows={4} value={d.description} onChange={(e) => setD({ ...d, description: e.target.value })} />
        </label>
      </form>
      {error != null && <ErrorBox error={error} title="The change was not saved" />}
    </Modal>
  );
}

export function ExportButtons({ change }: { change: ChangeSummary }) {
  return (
    <ExportRow
      label="Export the report"
      lead="Export report:"
      formats={REPORT_FORMATS}
      load={(format) => cmdb.exportChange({ id: change.id, format })}
      errorTitle="The report could not be exported"
    />
  );
}

/**
 * The other saved changes on the same CIs (the engine's, ChangeDetail.others): each with its window beside this one's,
 * a click away. Two changes on dependent CIs in one night were each assessed as if alone (found by a change manager).
 */
export function OtherChanges({ others, onOpen }: { others: readonly OtherChange[]; onOpen: (id: number) => void }) {
  return (
    <div className="diff others" role="note" aria-label="Other saved changes on the same CIs" data-testid="other-changes">
      <strong>{OTHER_CHANGES_HEADING}:</strong>
      <ul>
        {others.map((o) => (
          <li key={o.id}>
            <button type="button" className="linkbtn" onClick={() => onOpen(o.id)} title={`Open ${o.ref}`}>
              {o.ref}
            </button>
            {` ${otherChangeDetail(o)}`}
          </li>
        ))}
      </ul>
    </div>
  );
}

/**
 * Over the answer while the choices on screen are not those the open change was saved with (a depth or a type
 * changed after reopening it): says which, that its notes are answers to the saved choices and so set aside, and
 * brings the saved choices back. The notes used to vanish without a word (found by a change manager).
 */
export function ChoicesChanged({
  change,
  changed,
  hidesNotes,
  onBack,
}: {
  change: ChangeSummary;
  changed: readonly string[];
  hidesNotes: boolean;
  onBack: () => void;
}) {
  return (
    <div className="diff same" role="status" aria-label="Not as saved">
      <div>
        Shown with other choices than {change.ref} was saved with: {changed.join('; ')}.{' '}
        {hidesNotes ? 'Its notes (what changed since it was saved, other saved changes on its CIs) answer the saved choices. ' : ''}
        Save it again to keep these, or{' '}
        <button type="button" className="linkbtn" onClick={onBack}>
          go back to the saved choices
        </button>
        .
      </div>
    </div>
  );
}

/** What differs between the change as saved and the CMDB now. */
export function DiffBanner({ detail, onOpen }: { detail: ChangeDetail; onOpen: (key: string) => void }) {
  const { diff, change } = detail;
  const names = new Map(detail.current.impacted.map((c) => [c.key, c.name]));
  const idle = notRunningSinceText(diff);
  const merged = mergedSinceText(diff);
  const margin = (
    <>
      {idle && <div data-testid="diff-not-running">{asSentence(idle)}</div>}
      {merged && <div data-testid="diff-merged">{asSentence(merged)}</div>}
    </>
  );
  if (!diff.changed)
    return (
      <div className="diff same" role="status" aria-label="Since saved">
        Reopened {change.ref}: the same CIs are impacted, in the same states, as when it was saved ({formatTime(change.updatedAt)}).
        {margin}
      </div>
    );
  const link = (k: string) => (
    <button key={k} type="button" className="linkbtn" onClick={() => onOpen(k)} title={k}>
      {names.get(k) ?? k}
    </button>
  );
  return (
    <div className="diff" role="status" aria-label="Since saved">
      <strong>
        The CMDB changed since {change.ref} was saved ({formatTime(change.updatedAt)}).
      </strong>
      {diff.riskFrom !== diff.riskTo && (
        <div>
          Risk: <RiskBadge level={diff.riskFrom} /> → <RiskBadge level={diff.riskTo} />
        </div>
      )}
      {diff.added.length > 0 && (
        <div data-testid="diff-added">
          Newly impacted ({diff.added.length}):{' '}
          {diff.added.slice(0, 20).map((a) => (
            <span key={a.key} className="diff-item">
              {link(a.key)} <small>{a.state}</small>
            </span>
          ))}
          {diff.added.length > 20 && <span className="muted"> and {diff.added.length - 20} more</span>}
        </div>
      )}
      {diff.removed.length > 0 && (
        <div data-testid="diff-removed">
          No longer impacted ({diff.removed.length}):{' '}
          {diff.removed.slice(0, 20).map((a) => (
            <span key={a.key} className="diff-item">
              {link(a.key)} <small>was {a.state}</small>
            </span>
          ))}
          {diff.removed.length > 20 && <span className="muted"> and {diff.removed.length - 20} more</span>}
        </div>
      )}
      {diff.stateChanged.length > 0 && (
        <div data-testid="diff-state">
          State changed ({diff.stateChanged.length}):{' '}
          {diff.stateChanged.slice(0, 20).map((a) => (
            <span key={a.key} className="diff-item">
              {link(a.key)}{' '}
              <small>
                {a.from} → {a.to}
              </small>
            </span>
          ))}
        </div>
      )}
      {diff.missingKeys.length > 0 && (
        <div>
          Changed CIs no longer in the CMDB:{' '}
          {diff.missingKeys.map((k) => (
            <code key={k}>{k} </code>
          ))}
        </div>
      )}
      {margin}
    </div>
  );
}

export function SavedChanges({
  version,
  openId,
  onOpen,
  onDeleted,
}: {
  version: number;
  openId: number | null;
  onOpen: (c: ChangeSummary) => void;
  onDeleted: (id: number) => void;
}) {
  const [query, setQuery] = useState('');
  const q = useDebounced(query.trim(), 150);
  const [tick, setTick] = useState(0);
  const [list, reload] = useAsync(() => cmdb.listChanges({ query: q || undefined, limit: 200 }), [q, version, tick]);
  const [deleting, setDeleting] = useState<ChangeSummary | null>(null);
  return (
    <section className="saved-changes" aria-label="Saved changes">
      <ConfirmDialog
        open={deleting !== null}
        title="Delete the saved change?"
        message={
          deleting ? `${deleting.ref} (${deleting.title}) is deleted with its saved analysis; its report can no longer be exported.` : ''
        }
        confirmLabel="Delete change"
        onClose={() => setDeleting(null)}
        onConfirm={async () => {
          if (!deleting) return;
          await cmdb.deleteChange({ id: deleting.id });
          tellOtherTabs();
          onDeleted(deleting.id);
          setTick((t) => t + 1);
        }}
      />
      <div className="head">
        <h2>Saved changes</h2>
        <input
          className="input"
          placeholder="Find a change"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
          aria-label="Find a change"
        />
      </div>
      {list.status === 'error' ? (
        <ErrorBox error={list.error} title="The saved changes could not be read" onRetry={reload} />
      ) : !list.data ? (
        <Skeleton rows={3} />
      ) : list.data.items.length === 0 ? (
        <p className="muted">{q ? 'No saved change matches.' : 'No change saved yet: run an analysis, then “Save as change”.'}</p>
      ) : (
        <ul>
          {list.data.items.map((c) => (
            <li key={c.id} aria-current={c.id === openId ? 'true' : undefined}>
              <button type="button" className="open" onClick={() => onOpen(c)} aria-label={`Reopen ${c.ref}`}>
                <span className="mono ref">{c.ref}</span>
                <span className="title">{c.title}</span>
                <RiskBadge level={c.risk} />
                {c.riskUpTo && (
                  <span className="muted small" data-testid="risk-up-to">
                    could be up to {c.riskUpTo}: CIs of unknown criticality
                  </span>
                )}
                <span className="muted small">
                  {c.down} down · {c.degraded} degraded{c.window ? ` · ${c.window}` : ''} · saved {formatTime(c.updatedAt)}
                </span>
              </button>
              <button
                type="button"
                className="btn ghost icon small"
                aria-label={`Delete ${c.ref}`}
                title="Delete this saved change"
                onClick={() => setDeleting(c)}
              >
                ✕
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
