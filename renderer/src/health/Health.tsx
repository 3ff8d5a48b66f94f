/**
 * The Health screen (issue 18): the score and its parts, each rule's count
 * and severity, the findings of the rule picked (filtered, paged), each CI
 * opened in Browse or fixed in place, possible duplicates merged, a value
 * spelled several ways given one spelling, and the
 * recent merges with their Undo. Every rule and count is the engine's
 * (cmdb.health); this screen only shows them.
 */
import { useState } from 'react';
import type { HealthReport, HealthRuleId } from '../../../shared/health.js';
import { cmdb } from '../api.js';
import { EmptyState, ErrorBox, Skeleton, useAsync } from '../ui/common.js';
import { EditCi } from './EditCi.js';
import type { FindingActions } from './FindingRow.js';
import { Findings } from './Findings.js';
import { HealthExport } from './HealthExport.js';
import { MergeDialog } from './MergeDialog.js';
import { isHealthy, isRule, reportErrorNext } from './model.js';
import { RecentMerges } from './RecentMerges.js';
import { RuleList } from './RuleList.js';
import { ScoreCard } from './ScoreCard.js';
import './health.css';

/** The address's parameters: the rule whose findings are listed, the filter. */
export type HealthParams = { rule?: string; q?: string };

function Main({
  report,
  rule,
  params,
  version,
  onParams,
  actions,
}: {
  report: HealthReport;
  rule: HealthRuleId | null;
  params: HealthParams;
  version: number;
  onParams: (p: Record<string, string>) => void;
  actions: FindingActions;
}) {
  if (report.cis === 0)
    return (
      <EmptyState icon="⇪" title="This CMDB has no CIs yet">
        Import an inventory from the Import tab; its health is checked here once it holds CIs.
      </EmptyState>
    );
  if (isHealthy(report))
    return (
      <EmptyState icon="✓" title="Healthy: every enabled rule passes">
        Score 100: no duplicates, orphans, missing owners or criticalities, stale CIs, retired dependencies, hard cycles, unsatisfiable or
        mixed redundancy groups, or values spelled several ways were found.
      </EmptyState>
    );
  return (
    <>
      <HealthExport rule={rule} query={params.q ?? ''} />
      <Findings
        rule={rule}
        query={params.q ?? ''}
        onQuery={(q) => onParams({ ...(rule ? { rule } : {}), q })}
        version={version}
        actions={actions}
      />
    </>
  );
}

export function Health({
  params,
  version,
  onParams,
  onChanged,
  onOpenCi,
}: {
  params: HealthParams;
  version: number;
  onParams: (p: Record<string, string>) => void;
  onChanged: () => void;
  onOpenCi: (key: string) => void;
}) {
  const rule = isRule(params.rule) ? params.rule : null;
  const [report, reload] = useAsync(() => cmdb.health({ limit: 0 }), [version]);
  const [merging, setMerging] = useState<string[] | null>(null);
  const [editing, setEditing] = useState<string | null>(null);
  const actions: FindingActions = { onOpenCi, onEdit: setEditing, onMerge: (f) => setMerging(f.keys), onFixed: onChanged };
  const r = report.data;
  return (
    <div className="health">
      <aside className="health-side" aria-label="Score and rules">
        {r ? (
          <>
            <ScoreCard report={r} />
            <RuleList rules={r.rules} selected={rule} onSelect={(x) => onParams({ ...(x ? { rule: x } : {}), q: params.q ?? '' })} />
          </>
        ) : (
          report.status !== 'error' && <Skeleton rows={10} label="Checking the CMDB's health" />
        )}
        <RecentMerges version={version} onChanged={onChanged} onOpenCi={onOpenCi} />
      </aside>
      <div className="health-main">
        {report.status === 'loading' && r && <div className="loading-bar" />}
        {report.status === 'error' && (
          <ErrorBox error={report.error} title="The CMDB's health could not be checked" onRetry={reload} next={reportErrorNext} />
        )}
        {r && <Main report={r} rule={rule} params={params} version={version} onParams={onParams} actions={actions} />}
      </div>
      {merging && <MergeDialog keys={merging} onClose={() => setMerging(null)} onChanged={onChanged} onOpenCi={onOpenCi} />}
      {editing && (
        <EditCi
          ciKey={editing}
          onClose={() => setEditing(null)}
          onSaved={() => {
            setEditing(null);
            onChanged();
          }}
        />
      )}
    </div>
  );
}
