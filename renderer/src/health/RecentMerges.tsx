/** The latest merges, newest first, each with its Undo. */
import { cmdb } from '../api.js';
import { useState } from 'react';
import { ErrorBox, Skeleton, useAsync } from '../ui/common.js';
import { OLDER_MAX, OLDER_STEP, ShowOlder } from '../ui/ShowOlder.js';
import { MergeLine } from './MergeLine.js';

export function RecentMerges({
  version,
  onChanged,
  onOpenCi,
}: {
  version: number;
  onChanged: () => void;
  onOpenCi: (key: string) => void;
}) {
  const [shown, setShown] = useState(OLDER_STEP);
  const [merges, reload] = useAsync(() => cmdb.listMerges({ limit: shown }), [version, shown]);
  const items = merges.data?.items;
  return (
    <section className="card" aria-label="Recent merges">
      <h2>Recent merges</h2>
      {merges.status === 'error' && <ErrorBox error={merges.error} title="The merges could not be read" onRetry={reload} />}
      {!items ? (
        merges.status !== 'error' && <Skeleton rows={2} label="Reading the merges" />
      ) : items.length === 0 ? (
        <p className="muted small">None yet. A possible duplicate’s “Merge…” keeps one CI and moves the other’s relationships to it.</p>
      ) : (
        <div className="merge-lines">
          {items.map((m) => (
            <MergeLine key={m.id} m={m} onUndone={onChanged} onOpenCi={onOpenCi} />
          ))}
        </div>
      )}
      {/* As many as asked for: there may be older ones. */}
      <ShowOlder
        shown={shown}
        mayHaveMore={items?.length === shown}
        what="merges"
        onMore={() => setShown((n) => Math.min(n + OLDER_STEP, OLDER_MAX))}
      />
    </section>
  );
}
