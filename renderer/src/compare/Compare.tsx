/**
 * Compare: what changed between two points in time (baselines or now). The
 * points and the baselines manager on the side; the summary, the filters,
 * the changes listed and the one opened in the main area; export for an
 * audit or a CAB pack. Every difference is the engine's (cmdb.diff).
 */
import type { Diff } from '../../../shared/baseline.js';
import { EmptyState, ErrorBox, formatTime, Skeleton } from '../ui/common.js';
import { Baselines } from './Baselines.js';
import { ChangeList } from './ChangeList.js';
import { DiffExport } from './DiffExport.js';
import { DiffSummary, Filters } from './Filters.js';
import { diffErrorNext, isEmptyDiff, pointLabel } from './model.js';
import { Points } from './Points.js';
import { RowDetail } from './RowDetail.js';
import { DIFF_LIMIT, useCompare, type CompareParams, type CompareState } from './useCompare.js';

function Head({ c, diff }: { c: CompareState; diff: Diff | null }) {
  const p = c.points!;
  const at = (name: string) => c.baselines.find((b) => b.name === name)?.createdAt;
  const when = (name: string) => (at(name) ? ` (${formatTime(at(name)!)})` : '');
  return (
    <header className="compare-head">
      <h2>
        {pointLabel(p.from)}
        <span className="muted">{when(p.from)}</span> → {pointLabel(p.to)}
        <span className="muted">{when(p.to)}</span>
      </h2>
      {diff && <DiffExport from={p.from} to={p.to} types={c.types} />}
    </header>
  );
}

function Body({ c, diff, onOpenCi }: { c: CompareState; diff: Diff; onOpenCi: (key: string) => void }) {
  if (isEmptyDiff(diff))
    return (
      <EmptyState icon="=" title="Nothing differs">
        {pointLabel(diff.from)} and {pointLabel(diff.to)} hold the same CIs, relationships and types
        {c.types.length ? ' of the types chosen' : ''}.
      </EmptyState>
    );
  return (
    <>
      <DiffSummary diff={diff} filter={c.filter} onFilter={c.setFilter} />
      <Filters c={c} />
      <div className="compare-body">
        <ChangeList rows={c.shown} total={c.rows.length} diff={diff} limit={DIFF_LIMIT} openId={c.openId} onOpen={c.setOpenId} />
        {c.open ? (
          <RowDetail key={c.open.id} r={c.open} diff={diff} onOpenCi={onOpenCi} />
        ) : (
          <div className="compare-detail unpicked muted">Pick a change to see its fields’ old and new values and its relationships.</div>
        )}
      </div>
    </>
  );
}

/** The Compare screen. `params` are the address's (from, to, types). */
export function Compare({
  params,
  version,
  onParams,
  onOpenCi,
}: {
  params: CompareParams;
  version: number;
  onParams: (p: Record<string, string>) => void;
  onOpenCi: (key: string) => void;
}) {
  const c = useCompare(params, version, onParams);
  return (
    <div className="compare">
      <aside className="compare-side" aria-label="Points and baselines">
        <section className="card">
          <h2>Compare</h2>
          {c.points ? (
            <Points
              from={c.points.from}
              to={c.points.to}
              baselines={c.baselines}
              listing={c.list.status === 'loading'}
              onChange={c.setPoints}
            />
          ) : (
            <p className="muted small">Pick two points once a baseline is saved.</p>
          )}
        </section>
        <Baselines
          list={c.list}
          onRetry={c.retry}
          onCompare={(name) => c.setPoints(name, 'now')}
          onChanged={(saved, deleted) => {
            c.refresh();
            if (saved && !params.from) c.setPoints(saved.name, 'now');
            // A deleted point goes back to the default (the newest baseline left, or now).
            if (deleted && (params.from === deleted || params.to === deleted)) c.resetPoints();
          }}
        />
      </aside>
      <div className="compare-main">
        {c.points && <Head c={c} diff={c.diff} />}
        {c.loading && <div className="loading-bar" />}
        {c.error != null && <ErrorBox error={c.error} title="The comparison could not be made" onRetry={c.retry} next={diffErrorNext} />}
        {c.list.status === 'ok' && !c.points ? (
          <EmptyState icon="⇄" title="What changed since the last review?">
            Save a baseline (a read-only copy of the whole CMDB as it is now) before a review or a change; later, compare it with now or
            with another baseline to see every CI, relationship and type added, removed or changed, field by field.
          </EmptyState>
        ) : c.diff ? (
          <Body c={c} diff={c.diff} onOpenCi={onOpenCi} />
        ) : (
          c.error == null && <Skeleton rows={8} label="Comparing" />
        )}
      </div>
    </div>
  );
}
