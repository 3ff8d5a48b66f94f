/**
 * Impact: choose the changed CIs, see what goes down or is degraded (graph,
 * table, explanation paths, a summary strip), save the analysis as a change,
 * reopen saved changes (with what differs now) and export their report.
 */
import { useState } from 'react';
import type { Stats } from '../../../shared/domain.js';
import { EmptyState, ErrorBox, Skeleton } from '../ui/common.js';
import { ChangeCompareResult, useChangeCompare } from '../compare/ChangeCompare.js';
import { ChangePanel } from '../impact/ChangePanel.js';
import { ChoicesChanged, DiffBanner, OtherChanges } from '../impact/ChangeBanners.js';
import { ExportButtons, SavedChanges } from '../impact/SavedChanges.js';
import { SaveChangeDialog } from '../impact/SaveChangeDialog.js';
import { choicesChanged } from '../impact/params.js';
import { ImpactResults } from '../impact/ImpactResults.js';
import { useImpactAnalysis, type ImpactAnalysis } from '../impact/useImpactAnalysis.js';

function OpenChangeHead({ open }: { open: NonNullable<ImpactAnalysis['open']> }) {
  return (
    <header className="change-head" aria-label="Open change">
      <div>
        <span className="mono ref">{open.summary.ref}</span> <strong>{open.summary.title}</strong>
        {open.summary.window && <span className="muted"> · window {open.summary.window}</span>}
      </div>
      <ExportButtons change={open.summary} />
    </header>
  );
}

/** The Impact screen: the change on the side, the analysis in the main area, fed by `useImpactAnalysis`. */
export function ImpactView({
  stats,
  selected,
  version,
  onGraph,
}: {
  stats: Stats;
  selected: string | null;
  /** Moves when the CMDB's data was re-read (Reload after an edit elsewhere): the analysis runs again on the same change. */
  version: number;
  onGraph: (key: string) => void;
}) {
  const a = useImpactAnalysis(selected, version);
  const { r, open } = a;
  const [saving, setSaving] = useState(false);
  const compare = useChangeCompare(open?.summary.id ?? null);
  // How the choices on screen differ from the open change's as saved (none while they are the same).
  const changed = open && open.key !== a.pkey ? choicesChanged(open.summary, a) : [];

  return (
    <div className="impact">
      <aside className="impact-side" aria-label="Change">
        <ChangePanel a={a} stats={stats} compare={compare} onSave={() => setSaving(true)} />
        <SavedChanges
          version={a.listVersion}
          openId={open?.summary.id ?? null}
          onOpen={(c) => void a.reopen(c)}
          onDeleted={(id) => open?.summary.id === id && a.setOpen(null)}
        />
      </aside>
      <div className="impact-main">
        {open && <OpenChangeHead open={open} />}
        {changed.length > 0 && open && (
          <ChoicesChanged
            change={open.summary}
            changed={changed}
            hidesNotes={open.detail != null || (open.others?.length ?? 0) > 0}
            onBack={() => void a.reopen(open.summary)}
          />
        )}
        {open?.detail && open.key === a.pkey && <DiffBanner detail={open.detail} onOpen={a.setPicked} />}
        {open?.others && open.others.length > 0 && open.key === a.pkey && (
          <OtherChanges others={open.others} names={r} onOpen={(id) => void a.reopen({ id })} />
        )}
        {open && <ChangeCompareResult c={compare} onOpen={a.setPicked} />}
        {a.error != null && <ErrorBox error={a.error} title="The impact could not be assessed" />}
        {a.missing.length > 0 && (
          <div className="missing-actions">
            <button type="button" className="btn" onClick={() => a.setKeys(a.keys.filter((k) => !a.missing.includes(k)))}>
              Remove {a.missing.length === 1 ? a.missing[0] : `the ${a.missing.length} missing CIs`} from the change
            </button>
          </div>
        )}
        {!r ? (
          a.running ? (
            <Skeleton rows={8} label="Assessing the impact" />
          ) : a.error != null ? null : (
            <EmptyState icon="⚡" title="Which CIs does the change take down?">
              Add the CIs the change touches (a server being patched, a database failing over, a load balancer pair being upgraded). The
              impact shows what goes down, what runs degraded on its redundancy, the business services hit and who to notify.
            </EmptyState>
          )
        ) : (
          <ImpactResults a={a} r={r} onGraph={onGraph} />
        )}
      </div>
      <SaveChangeDialog open={saving} initial={a.draft} onClose={() => setSaving(false)} onSave={a.save} />
    </div>
  );
}
