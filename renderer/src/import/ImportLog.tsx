/** The import log, newest first, with undo (and the reason when undo is refused). */
import { useState } from 'react';
import { type ImportRecord, undoneText } from '../../../shared/import.js';
import { asApiError, cmdb } from '../api.js';
import { ErrorBox, formatTime, Skeleton } from '../ui/common.js';
import { formatCount, formatCountOf } from '../../../shared/format.js';
import { ShowOlder, useNewestRows } from '../ui/ShowOlder.js';
import { contentTags } from './logFiles.js';
import { UndoImportDialog } from './UndoImportDialog.js';

function countsText(r: ImportRecord): string {
  const c = r.counts;
  const parts = [
    c.created ? `${formatCount(c.created)} created` : '',
    c.updated ? `${formatCount(c.updated)} updated` : '',
    c.retired ? `${formatCount(c.retired)} retired` : '',
    c.rejected ? `${formatCount(c.rejected)} rejected` : '',
    c.relationshipsCreated ? formatCountOf(c.relationshipsCreated, 'relationship', 'relationships') : '',
    c.relationshipsRemoved ? `${formatCountOf(c.relationshipsRemoved, 'relationship', 'relationships')} removed` : '',
  ].filter(Boolean);
  return parts.join(' · ') || 'no change';
}

export function ImportLog({ version, onUndone }: { version: number; onUndone: () => void }) {
  const [tick, setTick] = useState(0);
  const older = useNewestRows((limit, offset) => cmdb.listImports({ limit, offset }), [version, tick]);
  const { rows: log, reload } = older;
  const tags = contentTags(log.data?.items ?? []);
  const [refusals, setRefusals] = useState<Map<number, unknown>>(new Map());
  const [busy, setBusy] = useState<number | null>(null);
  const [done, setDone] = useState<string | null>(null);
  // The import whose Undo was clicked, until the question is answered.
  const [asking, setAsking] = useState<ImportRecord | null>(null);
  /** Undoes import `id`; a refusal is kept to show in its row, under what the import did. */
  const undo = async (id: number) => {
    setBusy(id);
    setDone(null);
    try {
      const u = await cmdb.undoImport({ id });
      setRefusals((m) => {
        const n = new Map(m);
        n.delete(id);
        return n;
      });
      setDone(undoneText(u));
      setTick((t) => t + 1);
      onUndone();
    } catch (err) {
      setRefusals((m) => new Map(m).set(id, err));
    } finally {
      setBusy(null);
    }
  };
  return (
    <section className="card" aria-label="Import log">
      <h2>Import log</h2>
      <UndoImportDialog target={asking} onUndo={undo} onClose={() => setAsking(null)} />
      {done && (
        <div className="notice ok" role="status">
          {done}
        </div>
      )}
      {log.status === 'error' ? (
        <ErrorBox error={log.error} title="The import log could not be read" onRetry={reload} />
      ) : !log.data ? (
        <Skeleton rows={3} />
      ) : log.data.items.length === 0 ? (
        <p className="muted">No import yet.</p>
      ) : (
        <table className="simple import-log">
          <thead>
            <tr>
              <th>#</th>
              <th>When</th>
              <th>Files</th>
              <th>Mode</th>
              <th>What it did</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {log.data.items.map((r) => (
              <tr key={r.id} data-import={r.id}>
                <td className="num">{r.id}</td>
                <td className="when">{formatTime(r.startedAt)}</td>
                <td className="files">
                  {r.files.join(', ')}
                  {/* The source a sync retires and removes under, where it is not the CIs file's name (--source, the wizard's Source). */}
                  {r.source !== null && r.source !== r.files[0] && <div className="muted small">source {r.source}</div>}
                  {tags.has(r.id) && (
                    <div className="muted small" title="The start of each file's SHA-256: files of the same names, other contents">
                      content {tags.get(r.id)}
                    </div>
                  )}
                </td>
                <td>{r.mode}</td>
                <td>
                  {countsText(r)}
                  {refusals.has(r.id) && (
                    <div className="error" role="alert">
                      <strong>Import #{r.id} was not undone</strong>
                      <div>{asApiError(refusals.get(r.id)).message}</div>
                    </div>
                  )}
                </td>
                <td>
                  {r.undoneAt ? (
                    <span className="pill undone" title={`Undone ${formatTime(r.undoneAt)}`}>
                      undone
                    </span>
                  ) : (
                    <button
                      type="button"
                      className="btn small"
                      disabled={busy !== null}
                      onClick={() => setAsking(r)}
                      aria-label={`Undo import ${r.id}`}
                    >
                      {busy === r.id ? 'Undoing…' : 'Undo'}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <ShowOlder mayHaveMore={older.mayHaveMore} what="imports" onMore={older.more} />
    </section>
  );
}
