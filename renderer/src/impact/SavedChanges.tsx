/**
 * The saved change assessments: the list to find, reopen and delete them by,
 * and the export of an open one's report.
 */
import { useState } from 'react';
import type { ChangeSummary } from '../../../shared/impact.js';
import { cmdb } from '../api.js';
import { ConfirmDialog, ErrorBox, formatTime, Skeleton, useAsync, useDebounced } from '../ui/common.js';
import { tellOtherTabs } from '../ui/ElsewhereNotice.js';
import { REPORT_FORMATS } from './reportExport.js';
import { ExportRow } from '../ui/ExportRow.js';
import { RiskBadge } from './Summary.js';
import { savedChangeCounts } from './model.js';

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
                  {savedChangeCounts(c)} · saved {formatTime(c.updatedAt)}
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
