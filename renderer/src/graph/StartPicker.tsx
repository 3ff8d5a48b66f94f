/** What the graph view shows without a centre CI: how to choose one, and a few services to start from. */
import type { Ci } from '../../../shared/domain.js';
import { criticalityRank } from '../../../shared/vocab.js';
import { cmdb } from '../api.js';
import { EmptyState, TypeDot, useAsync } from '../ui/common.js';

/** The CIs offered, at most: business services first, then (if there are too few) services, then applications. */
const OFFERED = 12;
const START_TYPES = ['business_service', 'service', 'application'] as const;
/** CIs of a type read to choose from (by name): the most critical of them are offered first. */
const READ_PER_TYPE = 200;

async function startCis(): Promise<Ci[]> {
  const byType = await Promise.all(START_TYPES.map((t) => cmdb.listCis({ filters: { type: [t] }, limit: READ_PER_TYPE, offset: 0 })));
  // Stable: by name within a criticality, as listed.
  const mostCritical = (cis: Ci[]) => [...cis].sort((a, b) => criticalityRank(b.criticality) - criticalityRank(a.criticality));
  return byType.flatMap((r) => mostCritical(r.items)).slice(0, OFFERED);
}

export function StartPicker({ onCenter }: { onCenter: (k: string) => void }) {
  const [state] = useAsync(startCis, []);
  return (
    <EmptyState icon="◎" title="Choose a CI to draw its neighbourhood">
      Press <span className="kbd">/</span> to search for one, use “Show in graph” in Browse, or start from a service:
      <span style={{ display: 'flex', flexWrap: 'wrap', gap: 6, justifyContent: 'center', marginTop: 10 }}>
        {state.data?.map((c) => (
          <button key={c.key} type="button" className="btn small" onClick={() => onCenter(c.key)}>
            <TypeDot type={c.type} /> {c.name}
          </button>
        ))}
      </span>
    </EmptyState>
  );
}
