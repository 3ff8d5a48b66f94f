/** One merge as a line: what went into what, what moved, dropped and was filled, and its Undo (or when it was undone). */
import type { MergeRecord } from '../../../shared/health.js';
import { cmdb } from '../api.js';
import { ErrorBox, formatTime, useSubmit } from '../ui/common.js';
import { mergeOutcome } from './model.js';

export function MergeLine({
  m,
  onUndone,
  onOpenCi,
}: {
  m: MergeRecord;
  onUndone: (m: MergeRecord) => void;
  onOpenCi?: ((key: string) => void) | undefined;
}) {
  const { busy, error, run } = useSubmit();
  const undo = () => run(async () => onUndone(await cmdb.undoMerge({ id: m.id })));
  const key = (k: string) =>
    onOpenCi ? (
      <button type="button" className="linkish mono" onClick={() => onOpenCi(k)} aria-label={`Open ${k}`}>
        {k}
      </button>
    ) : (
      <span className="mono">{k}</span>
    );
  return (
    <div className={`merge-line${m.undoneAt ? ' undone' : ''}`} data-testid={`merge-${m.id}`}>
      <div className="what">
        {m.undoneAt ? <span className="pill">undone</span> : <span className="pill ok">merged</span>} {key(m.mergedKey)}{' '}
        <span className="muted">into</span> {key(m.keptKey)}
      </div>
      <div className="muted small">{mergeOutcome(m)}</div>
      <div className="meta muted small">
        #{m.id} · {formatTime(m.at)}
        {m.undoneAt && ` · undone ${formatTime(m.undoneAt)}`}
      </div>
      {!m.undoneAt && (
        <button type="button" className="btn small" onClick={undo} disabled={busy} aria-label={`Undo merge ${m.id}`}>
          {busy ? 'Undoing…' : 'Undo'}
        </button>
      )}
      {error != null && <ErrorBox error={error} title="Not undone" />}
    </div>
  );
}
