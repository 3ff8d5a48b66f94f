/**
 * The Impact screen's results: the summary strip; the graph beside the
 * lists, which lead with what a change board asks first (downstream: the
 * business services hit and who to notify, then the impacted CIs; upstream:
 * the single points of failure, then the dependencies); the path to the CI
 * picked; and what was followed.
 */
import { useEffect, useMemo, useState } from 'react';
import { ciTypeLabel } from '../../../shared/ci-types.js';
import { depthWholeText, stateText, withinHops } from '../../../shared/explain.js';
import type { ImpactResult } from '../../../shared/impact.js';
import { EmptyState, ErrorBox } from '../ui/common.js';
import { cutList, formatCount } from '../../../shared/format.js';
import { BriefList, type BriefRow } from './BriefList.js';
import { ImpactCanvas } from './ImpactCanvas.js';
import { NotifyPanel } from './NotifyPanel.js';
import { notifyEntries } from './notify.js';
import { PathSteps } from './PathSteps.js';
import { ResultsTable } from './ResultsTable.js';
import { Summary } from './Summary.js';
import type { ImpactAnalysis } from './useImpactAnalysis.js';

function openInBrowse(key: string): void {
  window.location.hash = `#/browse?ci=${encodeURIComponent(key)}`;
}

type Tab = 'services' | 'notify' | 'single' | 'cis';

/** The single points of failure: the engine's list, or (an answer from before it) the dependencies it marks down. */
function singlePoints(r: ImpactResult): BriefRow[] {
  const text = stateText('down', false, 'upstream');
  return (r.singlePoints ?? r.impacted.filter((c) => c.state === 'down')).map((c) => ({
    key: c.key,
    name: c.name,
    type: c.type,
    owner: c.owner,
    criticality: c.criticality,
    state: { text, cls: 'down' },
  }));
}

function services(r: ImpactResult): BriefRow[] {
  return r.businessServices.map((b) => ({ ...b, state: { text: stateText(b.state, b.state === 'changed', 'downstream'), cls: b.state } }));
}

function Tabs({ tabs, tab, onTab }: { tabs: Array<{ id: Tab; label: string }>; tab: Tab; onTab: (t: Tab) => void }) {
  return (
    <div className="impact-tabs" role="tablist" aria-label="Impact lists">
      {tabs.map((t) => (
        <button key={t.id} type="button" role="tab" aria-selected={tab === t.id} onClick={() => onTab(t.id)} title={t.label}>
          {t.label}
        </button>
      ))}
    </div>
  );
}

/** The CIs listed: the open group's, or the most severe of all. */
function CiTable({ a, r }: { a: ImpactAnalysis; r: ImpactResult }) {
  if (a.groupError != null) return <ErrorBox error={a.groupError} title="The group's CIs could not be listed" />;
  const listed = a.listed;
  if (!listed) return <p className="muted brief-empty">Listing the CIs of {a.group?.label}…</p>;
  if (listed.impacted.length === 0)
    return (
      <EmptyState icon="✓" title="Nothing else is impacted">
        No CI depends on {cutList(r.changed.map((c) => c.name))} through the relationship types followed.
      </EmptyState>
    );
  return (
    <ResultsTable
      key={a.group ? `${a.group.by}:${a.group.id}` : 'all'}
      rows={listed.impacted}
      direction={r.direction}
      total={a.group ? a.group.total : r.counts.total}
      depthLimit={r.depthLimit}
      truncated={listed.truncated}
      selected={a.picked}
      onSelect={a.setPicked}
      health={listed.health?.byKey}
    />
  );
}

function ImpactLists({ a, r }: { a: ImpactAnalysis; r: ImpactResult }) {
  const upstream = r.direction === 'upstream';
  const teams = useMemo(() => notifyEntries(r), [r]);
  const single = useMemo(() => singlePoints(r), [r]);
  const svc = useMemo(() => services(r), [r]);
  const [tab, setTab] = useState<Tab>(upstream ? 'single' : 'services');
  useEffect(() => setTab(upstream ? 'single' : 'services'), [upstream]);
  // A group opened on the graph lists its CIs.
  useEffect(() => {
    if (a.group && !(a.group.by === 'service' && a.picked === a.group.id)) setTab('cis');
  }, [a.group]);
  const tabs: Array<{ id: Tab; label: string }> = upstream
    ? [
        { id: 'single', label: `Single points of failure (${formatCount(single.length)})` },
        { id: 'cis', label: `Dependencies (${formatCount(r.counts.total)})` },
      ]
    : [
        { id: 'services', label: `Business services (${formatCount(svc.length)})` },
        { id: 'notify', label: `Notify (${formatCount(teams.length)})` },
        { id: 'cis', label: a.group ? `CIs in ${a.group.label}` : `CIs (${formatCount(r.counts.total)})` },
      ];
  const missing = a.picked && !a.pickedCi && !a.groupLoading;
  // A group's listing has the health of its own CIs; the path of a CI picked there may cross CIs listed in the answer.
  const health = useMemo(() => ({ ...r.health?.byKey, ...a.listed?.health?.byKey }), [r, a.listed]);
  return (
    <div className="impact-right">
      <Tabs tabs={tabs} tab={tab} onTab={setTab} />
      <div className="impact-tab" role="tabpanel">
        {tab === 'services' && (
          <BriefList
            rows={svc}
            label="Business services impacted"
            labelOne="Business service impacted"
            testId="impact-services"
            selected={a.picked}
            onSelect={a.setPicked}
            empty="No business service is impacted."
          />
        )}
        {tab === 'notify' && <NotifyPanel entries={teams} nobody={r.noContact} onPick={a.setPicked} />}
        {tab === 'single' && r.depthLimit != null && single.length > 0 && (
          <p className="muted small brief-note" data-testid="impact-single-depth">
            {/* Each one takes it down however far away: a depth limit narrows the dependencies listed only. */}
            {depthWholeText(r.direction)}
          </p>
        )}
        {tab === 'single' && (
          <BriefList
            rows={single}
            label="Single points of failure"
            labelOne="Single point of failure"
            testId="impact-single"
            selected={a.picked}
            onSelect={a.setPicked}
            empty="No single point of failure: every dependency has a redundant partner."
          />
        )}
        {tab === 'cis' && <CiTable a={a} r={r} />}
      </div>
      {a.pickedCi ? (
        <PathSteps ci={a.pickedCi} byKey={a.byKey} relTypes={a.relTypes} direction={r.direction} onOpen={openInBrowse} health={health} />
      ) : missing ? (
        <p className="path-hint muted">
          {a.picked} is not among the {formatCount(r.impacted.length)} CIs listed: open its group on the graph, or export the full list.
        </p>
      ) : (
        <p className="path-hint muted">
          {r.direction === 'upstream'
            ? 'Click a CI in a list or on the graph to see how the CIs asked about depend on it, step by step.'
            : 'Click a CI in a list or on the graph to see why it is impacted, step by step.'}
        </p>
      )}
    </div>
  );
}

/** The results of an analysis that has an answer. */
export function ImpactResults({ a, r, onGraph }: { a: ImpactAnalysis; r: ImpactResult; onGraph: (key: string) => void }) {
  // The graph across the lists' room too (a laptop's window fits a big answer's columns of names then); a CI picked
  // on it brings the lists back, where its explanation is (ImpactCanvas).
  const [wide, setWide] = useState(false);
  return (
    <>
      <Summary result={r} request={a.request} />
      <div className={wide ? 'impact-split wide' : 'impact-split'}>
        <ImpactCanvas a={a} r={r} onGraph={onGraph} wide={wide} onWide={setWide} />
        <ImpactLists a={a} r={r} />
      </div>
      <div className="impact-foot muted">
        {r.direction === 'downstream' ? 'Impact of' : 'Dependencies of'}{' '}
        {cutList(r.changed.map((c) => `${c.name} (${ciTypeLabel(c.type)})`))} · following {r.types.join(', ')}
        {r.depthLimit != null ? ` · ${withinHops(r.depthLimit)} listed` : ''} · {Math.round(r.durationMs)} ms
      </div>
    </>
  );
}
