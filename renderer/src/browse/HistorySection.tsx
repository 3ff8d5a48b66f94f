/**
 * A CI's history, newest first: the entries getCi brought, "Showing N of M",
 * and the next ones (ciHistory) on request, so a hub's thousands of entries
 * are never all read at once and never silently cut.
 */
import type { HistoryEntry } from '../../../shared/domain.js';
import { ChangesList } from '../ui/FieldChanges.js';
import { cmdb } from '../api.js';
import { ErrorBox, formatTime } from '../ui/common.js';
import { formatCount } from '../../../shared/format.js';
import { LIST_PAGE, type Page, usePagedList } from './usePagedList.js';

export function HistorySection({ ciKey, first, version }: { ciKey: string; first: Page<HistoryEntry>; version: number }) {
  const list = usePagedList((offset, limit) => cmdb.ciHistory({ key: ciKey, offset, limit }), { ciKey, version }, first);
  const total = list.total ?? first.total;
  const entries: HistoryEntry[] = [];
  for (let i = 0; i < list.loaded; i++) entries.push(list.itemAt(i)!);
  return (
    <section className="section" aria-label="History section">
      <h3>
        History <span className="muted">{formatCount(total)}</span>
      </h3>
      {total === 0 ? (
        <p className="muted">No recorded changes.</p>
      ) : (
        <ol className="history" aria-label="History">
          {entries.map((h) => (
            <li key={h.id}>
              <span className={`bullet ${h.action}`} aria-hidden="true" />
              <div>
                <div>{h.summary}</div>
                <div className="meta">
                  {formatTime(h.at)} · {h.source}
                  {h.importId !== null ? ` · import #${h.importId}` : ''}
                </div>
                {/* Each changed attribute by its name, as the CLI shows an import's rows. */}
                {h.changes && h.action === 'update' && <ChangesList changes={h.changes} />}
              </div>
            </li>
          ))}
        </ol>
      )}
      {list.error != null && (
        <ErrorBox error={list.error} title="More history could not be loaded" onRetry={() => list.fetchRange(list.loaded, list.loaded)} />
      )}
      {entries.length < total && (
        <div className="history-more">
          <span className="muted" data-testid="history-shown">
            Showing {formatCount(entries.length)} of {formatCount(total)}
          </span>
          <button type="button" className="btn ghost small" onClick={() => list.fetchRange(list.loaded, list.loaded)}>
            Load {formatCount(Math.min(LIST_PAGE, total - entries.length))} more
          </button>
        </div>
      )}
    </section>
  );
}
