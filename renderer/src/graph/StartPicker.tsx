/** What the graph view shows without a centre CI: how to choose one, and a few services to start from. */
import type { Ci } from '../../../shared/domain.js';
import { cmdb } from '../api.js';
import { EmptyState, TypeDot, useAsync } from '../ui/common.js';

export function StartPicker({ onCenter }: { onCenter: (k: string) => void }) {
  const [state] = useAsync(
    () => cmdb.listCis({ filters: { type: ['business_service', 'service', 'application'] }, limit: 12, offset: 0 }),
    [],
  );
  return (
    <EmptyState icon="◎" title="Choose a CI to draw its neighbourhood">
      Press <span className="kbd">/</span> to search for one, use “Show in graph” in Browse, or start from a service:
      <span style={{ display: 'flex', flexWrap: 'wrap', gap: 6, justifyContent: 'center', marginTop: 10 }}>
        {state.data?.items.map((c: Ci) => (
          <button key={c.key} type="button" className="btn small" onClick={() => onCenter(c.key)}>
            <TypeDot type={c.type} /> {c.name}
          </button>
        ))}
      </span>
    </EmptyState>
  );
}
