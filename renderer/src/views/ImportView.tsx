/** Import: CSV files of CIs and relationships, checked first (dry run), then applied. */
import { useState } from 'react';
import type { CsvFile, ImportResult, Stats } from '../../../shared/domain.js';
import { cmdb } from '../api.js';
import { ErrorBox, formatCount } from '../ui/common.js';

async function readFile(input: HTMLInputElement | null): Promise<CsvFile | undefined> {
  const f = input?.files?.[0];
  if (!f) return undefined;
  return { name: f.name, content: await f.text() };
}

function Counts({ r }: { r: ImportResult }) {
  const c = r.counts;
  const cells: Array<[string, number]> = [
    ['CIs created', c.created],
    ['CIs updated', c.updated],
    ['CIs unchanged', c.unchanged],
    ['CIs rejected', c.rejected],
    ['Relationships created', c.relationshipsCreated],
    ['Relationships updated', c.relationshipsUpdated],
    ['Relationships unchanged', c.relationshipsUnchanged],
    ['Relationships rejected', c.relationshipsRejected],
  ];
  return (
    <div className="stats">
      {cells.map(([label, n]) => (
        <div className="stat" key={label}>
          <b>{formatCount(n)}</b>
          <span>{label}</span>
        </div>
      ))}
    </div>
  );
}

export function ImportView({ stats, onImported, onBrowse }: { stats: Stats; onImported: () => void; onBrowse: () => void }) {
  const [cisInput, setCisInput] = useState<HTMLInputElement | null>(null);
  const [relInput, setRelInput] = useState<HTMLInputElement | null>(null);
  const [result, setResult] = useState<ImportResult | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState<'check' | 'import' | null>(null);
  const [chosen, setChosen] = useState(0);
  const [skipBad, setSkipBad] = useState(false);

  const run = async (dryRun: boolean) => {
    setBusy(dryRun ? 'check' : 'import');
    setError(null);
    try {
      const cis = await readFile(cisInput);
      const relationships = await readFile(relInput);
      if (!cis && !relationships) throw new Error('Choose a CIs file, a relationships file, or both.');
      const r = await cmdb.importCsv({ cis, relationships, dryRun, skipBadRows: skipBad });
      setResult(r);
      if (!dryRun) onImported();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(null);
    }
  };

  return (
    <div className="page">
      <h1>Import</h1>
      <p className="lead">
        Bring a CSV inventory into this CMDB ({formatCount(stats.cis)} CIs now). Check first: a dry run reports what would change and every
        row it would reject, without writing anything.
      </p>
      <section className="card" aria-label="Files">
        <div className="grid2">
          <label className="field">
            <span>CIs CSV</span>
            <input
              ref={setCisInput}
              type="file"
              accept=".csv,text/csv"
              aria-label="CIs CSV file"
              onChange={() => setChosen((n) => n + 1)}
            />
            <span className="hint">
              Columns: id, name, type, status, environment, owner, criticality, description; others become attributes.
            </span>
          </label>
          <label className="field">
            <span>Relationships CSV</span>
            <input
              ref={setRelInput}
              type="file"
              accept=".csv,text/csv"
              aria-label="Relationships CSV file"
              onChange={() => setChosen((n) => n + 1)}
            />
            <span className="hint">Columns: source, target, type, redundancy_group, min_up; others become attributes.</span>
          </label>
        </div>
        <label style={{ display: 'flex', gap: 8, alignItems: 'center' }}>
          <input type="checkbox" checked={skipBad} onChange={(e) => setSkipBad(e.target.checked)} aria-label="Skip bad rows" />
          Import the good rows and report the bad ones (otherwise one bad row rejects the whole import)
        </label>
        <div style={{ display: 'flex', gap: 8 }} data-chosen={chosen}>
          <button type="button" className="btn" onClick={() => run(true)} disabled={busy !== null}>
            {busy === 'check' ? 'Checking…' : 'Check (dry run)'}
          </button>
          <button type="button" className="btn primary" onClick={() => run(false)} disabled={busy !== null}>
            {busy === 'import' ? 'Importing…' : 'Import'}
          </button>
        </div>
        <span className="muted">
          Very large files import faster from a terminal: <code>cmdb import --cis FILE --relationships FILE</code>.
        </span>
      </section>
      {error != null && <ErrorBox error={error} title="Import failed" />}
      {result && (
        <section className="card" aria-label="Import result">
          <h2>
            {result.dryRun ? 'Dry run: nothing was written' : `Imported (import #${result.importId ?? '—'})`} ·{' '}
            {Math.round(result.durationMs)} ms
          </h2>
          <Counts r={result} />
          {(result.createdTypes.length > 0 || result.createdRelTypes.length > 0) && (
            <div className="notice">
              New types {result.dryRun ? 'would be' : 'were'} created and flagged for review:{' '}
              {[...result.createdTypes, ...result.createdRelTypes].join(', ')}.
            </div>
          )}
          {result.errors.length > 0 && (
            <table className="simple" aria-label="Rejected rows">
              <thead>
                <tr>
                  <th>File</th>
                  <th>Line</th>
                  <th>Column</th>
                  <th>Problem</th>
                </tr>
              </thead>
              <tbody>
                {result.errors.slice(0, 200).map((e, i) => (
                  <tr key={i}>
                    <td>{e.file}</td>
                    <td>{e.line}</td>
                    <td>{e.column ?? '—'}</td>
                    <td>{e.message}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {!result.dryRun && (
            <div>
              <button type="button" className="btn" onClick={onBrowse}>
                Browse the CIs
              </button>
            </div>
          )}
        </section>
      )}
    </div>
  );
}
