/**
 * Merging possible duplicates: the CIs side by side (key, name, type,
 * owner, relationship counts), the one to keep chosen, the others merged
 * into it on confirmation; then what each merge did, with its Undo.
 */
import { useEffect, useState } from 'react';
import type { CiDetail } from '../../../shared/domain.js';
import type { MergeRecord } from '../../../shared/health.js';
import { ciTypeLabel } from '../../../shared/ci-types.js';
import { cmdb } from '../api.js';
import { ErrorBox, Modal, Skeleton, useAsync, useSubmit } from '../ui/common.js';
import { formatCount } from '../../../shared/format.js';
import { MergeLine } from './MergeLine.js';
import { likelyKeep } from './model.js';

const rels = (d: CiDetail) => d.outgoingTotal + d.incomingTotal;

function Candidate({ d, keep, onKeep }: { d: CiDetail; keep: boolean; onKeep: () => void }) {
  const c = d.ci;
  return (
    <label className={`merge-candidate${keep ? ' keep' : ''}`} data-testid={`candidate-${c.key}`}>
      <span className="choice">
        <input type="radio" name="merge-keep" checked={keep} onChange={onKeep} aria-label={`Keep ${c.key}`} />
        {keep ? 'Keep this one' : 'Merge into the kept one'}
      </span>
      <dl className="kv">
        <dt>Key</dt>
        <dd className="mono">{c.key}</dd>
        <dt>Name</dt>
        <dd className="exact" data-testid="candidate-name">
          {c.name}
        </dd>
        <dt>Type</dt>
        <dd>{ciTypeLabel(c.type)}</dd>
        <dt>Owner</dt>
        <dd>{c.owner ?? '—'}</dd>
        <dt>Criticality</dt>
        <dd>{c.criticality ?? '—'}</dd>
        <dt>Environment</dt>
        <dd>{c.environment ?? '—'}</dd>
        <dt>Relationships</dt>
        <dd data-testid="candidate-rels">
          {formatCount(rels(d))}{' '}
          <span className="muted">
            ({formatCount(d.outgoingTotal)} out, {formatCount(d.incomingTotal)} in)
          </span>
        </dd>
        <dt>Attributes</dt>
        <dd>{formatCount(Object.keys(c.attributes).length)}</dd>
      </dl>
    </label>
  );
}

export function MergeDialog({
  keys,
  onClose,
  onChanged,
  onOpenCi,
}: {
  /** The possible duplicates (a finding's keys). */
  keys: string[];
  onClose: () => void;
  onChanged: () => void;
  onOpenCi: (key: string) => void;
}) {
  const [details, reload] = useAsync(
    () => Promise.all(keys.map((key) => cmdb.getCi({ key, relLimit: 0, historyLimit: 0 }))),
    [keys.join('\n')],
  );
  const [keep, setKeep] = useState<string | null>(null);
  const [done, setDone] = useState<MergeRecord[] | null>(null);
  const { busy, error, run } = useSubmit();
  useEffect(() => {
    if (details.data && keep === null) setKeep(likelyKeep(details.data));
  }, [details.data]);

  const others = keys.filter((k) => k !== keep);
  const merge = () =>
    run(async () => {
      if (!keep) return;
      const made: MergeRecord[] = [];
      try {
        for (const merge of others) made.push(await cmdb.mergeCis({ keep, merge }));
      } finally {
        // Those merged before one failed are done: shown (to undo) with the error.
        if (made.length > 0) {
          setDone(made);
          onChanged();
        }
      }
    });

  const footer = done ? (
    <>
      <button type="button" className="btn" onClick={() => onOpenCi(done[0]!.keptKey)}>
        Open {done[0]!.keptKey} in Browse
      </button>
      <button type="button" className="btn primary" onClick={onClose}>
        Done
      </button>
    </>
  ) : (
    <>
      <button type="button" className="btn" onClick={onClose} disabled={busy}>
        Cancel
      </button>
      <button type="button" className="btn primary" onClick={merge} disabled={busy || !keep || !details.data}>
        {busy ? 'Merging…' : `Merge ${others.length === 1 ? others[0] : `${others.length} CIs`} into ${keep ?? '…'}`}
      </button>
    </>
  );
  return (
    <Modal open title={done ? 'Merged' : 'Merge possible duplicates'} onClose={onClose} footer={footer}>
      {done ? (
        <div className="merge-lines" aria-label="Merge result">
          {done.map((m) => (
            <MergeLine
              key={m.id}
              m={m}
              onUndone={(u) => {
                setDone((d) => d && d.map((x) => (x.id === u.id ? u : x)));
                onChanged();
              }}
            />
          ))}
        </div>
      ) : details.status === 'error' ? (
        <ErrorBox error={details.error} title="The CIs could not be read" onRetry={reload} />
      ) : !details.data ? (
        <Skeleton rows={6} label="Reading the CIs" />
      ) : (
        <>
          <p className="muted small">
            The kept CI takes the others’ relationships (one it already has, or one between the two, is dropped) and fills its empty fields
            (an owner or criticality such as “n/a” counts as empty) and missing attributes from them, never overwriting; the others are
            deleted. Every step is recorded in history and can be undone.
          </p>
          <div className="merge-candidates">
            {details.data.map((d) => (
              <Candidate key={d.ci.key} d={d} keep={d.ci.key === keep} onKeep={() => setKeep(d.ci.key)} />
            ))}
          </div>
        </>
      )}
      {error != null && <ErrorBox error={error} title="Not merged" />}
    </Modal>
  );
}
