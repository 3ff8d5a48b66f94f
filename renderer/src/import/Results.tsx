/** What an import did or would do: counts, and the row errors (filterable, downloadable as CSV). */
import { useMemo, useState } from 'react';
import type { ImportCounts, RowError } from '../../../shared/domain.js';
import { downloadText } from '../ui/download.js';
import { formatCount } from '../../../shared/format.js';
import { errorsCsv } from './files.js';

export function CountsGrid({ counts, dryRun }: { counts: ImportCounts; dryRun: boolean }) {
  const cells: Array<[string, number, string]> = [
    ['created', counts.created, 'ok'],
    ['updated', counts.updated, 'accent'],
    ['unchanged', counts.unchanged, ''],
    ['retired', counts.retired, 'warn'],
    ['rejected', counts.rejected, 'danger'],
  ];
  const rels =
    counts.relationshipsCreated +
    counts.relationshipsUpdated +
    counts.relationshipsUnchanged +
    counts.relationshipsRejected +
    counts.relationshipsRemoved;
  return (
    <div className="import-counts" aria-label={dryRun ? 'Would import' : 'Imported'}>
      {cells.map(([label, n, tone]) => (
        <div key={label} className={`stat ${tone}`} data-testid={`count-${label}`}>
          <b>{formatCount(n)}</b>
          <span>CIs {dryRun && label !== 'rejected' && label !== 'unchanged' ? `would be ${label}` : label}</span>
        </div>
      ))}
      {rels > 0 && (
        <div className="stat wide" data-testid="count-relationships">
          <b>{formatCount(counts.relationshipsCreated + counts.relationshipsUpdated)}</b>
          <span>
            relationships {dryRun ? 'would be ' : ''}created or updated · {formatCount(counts.relationshipsUnchanged)} unchanged ·{' '}
            {formatCount(counts.relationshipsRejected)} rejected
            {counts.relationshipsRemoved > 0 &&
              ` · ${formatCount(counts.relationshipsRemoved)} ${dryRun ? 'would be removed' : 'removed'} (no longer listed)`}
          </span>
        </div>
      )}
      {counts.skipped + counts.relationshipsSkipped > 0 && (
        <div className="stat wide">
          <b>{formatCount(counts.skipped + counts.relationshipsSkipped)}</b>
          <span>rows left alone by the mode</span>
        </div>
      )}
    </div>
  );
}

export function RowErrors({ errors, truncated }: { errors: readonly RowError[]; truncated: boolean }) {
  const [text, setText] = useState('');
  const [file, setFile] = useState('');
  const files = useMemo(() => [...new Set(errors.map((e) => e.file))], [errors]);
  const shown = useMemo(() => {
    const t = text.trim().toLowerCase();
    return errors.filter(
      (e) =>
        (!file || e.file === file) &&
        (!t || e.message.toLowerCase().includes(t) || (e.column ?? '').toLowerCase().includes(t) || String(e.line) === t),
    );
  }, [errors, text, file]);
  if (errors.length === 0) return null;
  return (
    <section className="row-errors" aria-label="Row errors">
      <div className="row-errors-head">
        <h3>
          {formatCount(errors.length)} row error{errors.length === 1 ? '' : 's'}
          {truncated ? ' (the first 1,000)' : ''}
        </h3>
        <input
          className="input"
          placeholder="Filter: message, column or line"
          value={text}
          onChange={(e) => setText(e.target.value)}
          aria-label="Filter row errors"
        />
        {files.length > 1 && (
          <select className="input" value={file} onChange={(e) => setFile(e.target.value)} aria-label="Errors in file">
            <option value="">All files</option>
            {files.map((f) => (
              <option key={f}>{f}</option>
            ))}
          </select>
        )}
        <button
          type="button"
          className="btn small"
          onClick={() => downloadText('import-errors.csv', errorsCsv(shown), 'text/csv;charset=utf-8')}
        >
          Download errors (CSV)
        </button>
      </div>
      <div className="errors-wrap">
        <table className="simple">
          <thead>
            <tr>
              <th>File</th>
              <th>Line</th>
              <th>Column</th>
              <th>Problem</th>
            </tr>
          </thead>
          <tbody data-testid="row-errors">
            {shown.slice(0, 500).map((e, i) => (
              <tr key={`${e.file}:${e.line}:${i}`}>
                <td>{e.file}</td>
                <td className="num">{e.line}</td>
                <td>{e.column ?? '—'}</td>
                <td>{e.message}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {shown.length > 500 && <span className="muted small">Showing 500 of {formatCount(shown.length)}: download the CSV for all.</span>}
    </section>
  );
}
