/** The Impact screen's results: the summary strip, the graph beside the table and the path to the CI picked, and what was followed. */
import { ciTypeLabel } from '../../../shared/ci-types.js';
import type { ImpactCi, ImpactResult } from '../../../shared/impact.js';
import type { RelType } from '../../../shared/domain.js';
import { EmptyState } from '../ui/common.js';
import { ImpactCanvas } from './ImpactCanvas.js';
import { PathSteps } from './PathSteps.js';
import { ResultsTable } from './ResultsTable.js';
import { Summary } from './Summary.js';
import type { ImpactAnalysis } from './useImpactAnalysis.js';

function openInBrowse(key: string): void {
  window.location.hash = `#/browse?ci=${encodeURIComponent(key)}`;
}

function ImpactTable({
  r,
  picked,
  pickedCi,
  byKey,
  relTypes,
  onPick,
}: {
  r: ImpactResult;
  picked: string | null;
  pickedCi: ImpactCi | null;
  byKey: Map<string, ImpactCi>;
  relTypes: Map<string, RelType>;
  onPick: (key: string | null) => void;
}) {
  return (
    <div className="impact-right">
      {r.impacted.length === 0 ? (
        <EmptyState icon="✓" title="Nothing else is impacted">
          No CI depends on {r.changed.map((c) => c.name).join(', ')} through the relationship types followed.
        </EmptyState>
      ) : (
        <ResultsTable rows={r.impacted} selected={picked} onSelect={onPick} />
      )}
      {pickedCi ? (
        <PathSteps ci={pickedCi} byKey={byKey} relTypes={relTypes} upstream={r.direction === 'upstream'} onOpen={openInBrowse} />
      ) : (
        r.impacted.length > 0 && (
          <p className="path-hint muted">Click a CI in the table or on the graph to see why it is impacted, step by step.</p>
        )
      )}
    </div>
  );
}

/** The results of an analysis that has an answer. */
export function ImpactResults({ a, r, onGraph }: { a: ImpactAnalysis; r: ImpactResult; onGraph: (key: string) => void }) {
  return (
    <>
      <Summary result={r} onOpen={a.setPicked} />
      <div className="impact-split">
        <ImpactCanvas
          r={r}
          graph={a.graph}
          running={a.running}
          path={a.pickedCi ? a.pickedCi.path.map((s) => s.key) : null}
          picked={a.picked}
          onPick={a.setPicked}
          onGraph={onGraph}
        />
        <ImpactTable r={r} picked={a.picked} pickedCi={a.pickedCi} byKey={a.byKey} relTypes={a.relTypes} onPick={a.setPicked} />
      </div>
      <div className="impact-foot muted">
        {r.direction === 'downstream' ? 'Impact of' : 'Dependencies of'}{' '}
        {r.changed.map((c) => `${c.name} (${ciTypeLabel(c.type)})`).join(', ')} · following {r.types.join(', ')}
        {r.depthLimit != null ? ` up to ${r.depthLimit} hops` : ''} · {Math.round(r.durationMs)} ms
      </div>
    </>
  );
}
