/** The latest merges, newest first, each with its Undo. */
import { cmdb } from '../api.js';
import { ErrorBox, Skeleton } from '../ui/common.js';
import { ShowOlder, useNewestRows } from '../ui/ShowOlder.js';
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
  const older = useNewestRows((limit, offset) => cmdb.listMerges({ limit, offset }), [version]);
  const { rows: merges, reload } = older;
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
      <ShowOlder mayHaveMore={older.mayHaveMore} what="merges" onMore={older.more} />
    </section>
  );
}
