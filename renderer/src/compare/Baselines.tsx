/** The baselines manager: save the CMDB as it is now with a note, list the baselines (when, size, counts), delete one after asking. */
import { useState } from 'react';
import type { Baseline } from '../../../shared/baseline.js';
import { cmdb } from '../api.js';
import { ConfirmDialog, ErrorBox, formatTime, Skeleton, type AsyncState, useSubmit } from '../ui/common.js';
import { formatBytes, formatCount, formatCountOf } from '../../../shared/format.js';
import { tellOtherTabs } from '../ui/ElsewhereNotice.js';
import { newestFirst } from './model.js';

function SaveBaseline({ onSaved }: { onSaved: (b: Baseline) => void }) {
  const [name, setName] = useState('');
  const [note, setNote] = useState('');
  const { busy, error, run } = useSubmit();
  const submit = () =>
    run(async () => {
      const b = await cmdb.saveBaseline({ name: name.trim(), note: note.trim() || null });
      tellOtherTabs();
      setName('');
      setNote('');
      onSaved(b);
    });
  return (
    <form
      className="baseline-form"
      aria-label="Save a baseline"
      onSubmit={(e) => {
        e.preventDefault();
        if (name.trim()) void submit();
      }}
    >
      <label className="field">
        <span>Name</span>
        <input className="input" value={name} onChange={(e) => setName(e.target.value)} placeholder="cab-2026-12-03" maxLength={100} />
      </label>
      <label className="field">
        <span>Note</span>
        <input
          className="input"
          value={note}
          onChange={(e) => setNote(e.target.value)}
          placeholder="Before the December CAB"
          maxLength={2000}
        />
      </label>
      <button type="submit" className="btn primary" disabled={busy || !name.trim()}>
        {busy ? 'Saving…' : 'Save baseline'}
      </button>
      <span className="hint">A read-only copy of the whole CMDB as it is now.</span>
      {error != null && <ErrorBox error={error} title="The baseline was not saved" />}
    </form>
  );
}

function BaselineItem({ b, onCompare, onDelete }: { b: Baseline; onCompare: () => void; onDelete: () => void }) {
  return (
    <li data-baseline={b.name}>
      <button type="button" className="open" onClick={onCompare} aria-label={`Compare ${b.name} with now`}>
        <span className="nm">{b.name}</span>
        {b.note && <span className="note">{b.note}</span>}
        <span className="muted small">
          {formatTime(b.createdAt)} · {formatCountOf(b.cis, 'CI', 'CIs')} ·{' '}
          {formatCountOf(b.relationships, 'relationship', 'relationships')} · {formatBytes(b.bytes)}
        </span>
      </button>
      <button
        type="button"
        className="btn ghost icon small"
        aria-label={`Delete baseline ${b.name}`}
        title="Delete this baseline"
        onClick={onDelete}
      >
        ✕
      </button>
    </li>
  );
}

/** Files in the baselines folder that cannot be read as one: named (they hold their name), each with a delete. */
function Unreadable({ names, onDelete }: { names: readonly string[]; onDelete: (name: string) => void }) {
  if (names.length === 0) return null;
  return (
    <div className="muted small" role="note" aria-label="Unreadable baselines">
      Not readable as a baseline (damaged, or not one), so not listed:{' '}
      {names.map((n) => (
        <span key={n}>
          <strong>{n}</strong>{' '}
          <button type="button" className="btn ghost small" onClick={() => onDelete(n)} aria-label={`Delete unreadable baseline ${n}`}>
            Delete
          </button>{' '}
        </span>
      ))}
      Delete one to use its name again.
    </div>
  );
}

export function Baselines({
  list,
  onChanged,
  onCompare,
  onRetry,
}: {
  list: AsyncState<{ baselines: Baseline[]; unreadable: string[] }>;
  /** A baseline was saved, or (`saved` null) the baseline `deleted` was deleted. */
  onChanged: (saved: Baseline | null, deleted?: string) => void;
  /** Compare this baseline with now. */
  onCompare: (name: string) => void;
  onRetry: () => void;
}) {
  /** The baseline to delete once confirmed, and how the question names it. */
  const [deleting, setDeleting] = useState<{ name: string; what: string } | null>(null);
  const askDelete = (b: Baseline) =>
    setDeleting({ name: b.name, what: `${b.name} (saved ${formatTime(b.createdAt)}, ${formatBytes(b.bytes)})` });
  const all = list.data ? newestFirst(list.data.baselines) : [];
  const bytes = all.reduce((s, b) => s + b.bytes, 0);
  return (
    <section className="card baselines" aria-label="Baselines">
      <h2>Baselines</h2>
      <SaveBaseline onSaved={(b) => onChanged(b)} />
      <ConfirmDialog
        open={deleting !== null}
        title="Delete the baseline?"
        message={deleting ? `${deleting.what} is deleted: it can no longer be compared or restored.` : ''}
        confirmLabel="Delete baseline"
        onClose={() => setDeleting(null)}
        onConfirm={async () => {
          if (!deleting) return;
          await cmdb.deleteBaseline({ name: deleting.name });
          tellOtherTabs();
          onChanged(null, deleting.name);
        }}
      />
      {list.status === 'error' ? (
        <ErrorBox error={list.error} title="The baselines could not be listed" onRetry={onRetry} />
      ) : !list.data ? (
        <Skeleton rows={3} label="Listing the baselines" />
      ) : all.length === 0 ? (
        <p className="muted small">No baseline yet: save one before a change, then compare it with now.</p>
      ) : (
        <>
          <ul className="baseline-list" aria-label="Saved baselines">
            {all.map((b) => (
              <BaselineItem key={b.name} b={b} onCompare={() => onCompare(b.name)} onDelete={() => askDelete(b)} />
            ))}
          </ul>
          <span className="muted small">
            {formatCount(all.length)} baseline{all.length === 1 ? '' : 's'}, {formatBytes(bytes)} on disk
          </span>
        </>
      )}
      {list.data && (
        <Unreadable
          names={list.data.unreadable}
          onDelete={(name) => setDeleting({ name, what: `The unreadable baseline file of ${name}` })}
        />
      )}
    </section>
  );
}
