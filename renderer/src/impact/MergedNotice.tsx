/** Says which keys of the draft a merge took and which CI the change names instead (useImpactAnalysis followed them). */
import type { ImpactAnalysis } from './useImpactAnalysis.js';
import { renameMessage } from './mergedKeys.js';

export function MergedNotice({ a }: { a: ImpactAnalysis }) {
  if (!a.merged) return null;
  return (
    <div className="notice merged-notice" role="status" aria-label="Merged CIs">
      <span>{renameMessage(a.merged)}</span>
      <button type="button" className="btn ghost small" onClick={a.dismissMerged}>
        Dismiss
      </button>
    </div>
  );
}
