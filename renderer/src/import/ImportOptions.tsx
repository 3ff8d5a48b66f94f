/** How to import: the mode, the error policy, the dry-run and import buttons, and the running job's progress. */
import { earlierSourcesOf, type EmptyCells, type ImportMode, isKeyCollision } from '../../../shared/import.js';
import { asApiError } from '../api.js';
import { ErrorBox } from '../ui/common.js';
import { formatCountOf } from '../../../shared/format.js';
import { EMPTY_CELLS, jobPercent, MODES, progressText, type Job } from './wizard.js';
import type { useImportWizard } from './useImportWizard.js';

function ModeChoice({ mode, setMode }: { mode: ImportMode; setMode: (m: ImportMode) => void }) {
  return (
    <div className="modes" role="radiogroup" aria-label="Mode">
      {MODES.map((m) => (
        <label key={m.mode} className={`mode${mode === m.mode ? ' on' : ''}`}>
          <input type="radio" name="mode" checked={mode === m.mode} onChange={() => setMode(m.mode)} />
          <span>
            <strong>{m.label}</strong>
            <span className="muted small">{m.hint}</span>
          </span>
        </label>
      ))}
    </div>
  );
}

/** The import's source: what a sync retires by (the CLI's --source); empty, the CIs file's name. */
function SourceField({ source, setSource, fallback }: { source: string; setSource: (s: string) => void; fallback: string | undefined }) {
  return (
    <label className="source-field">
      <span>Source</span>
      <input
        type="text"
        value={source}
        placeholder={fallback ?? 'the CIs file’s name'}
        onChange={(e) => setSource(e.target.value)}
        // Named "Source" alone: the label holds the hint too, which aria-describedby reads once (found by a new user).
        aria-label="Source"
        aria-describedby="source-hint"
      />
      <span id="source-hint" className="muted small">
        What a sync retires by: the CIs earlier imports of this export brought. Empty: the file’s name. Give the first export’s name when a
        newer one is saved under another.
      </span>
    </label>
  );
}

function PolicyChoice({ skipBad, setSkipBad }: { skipBad: boolean; setSkipBad: (v: boolean) => void }) {
  return (
    <div className="modes" role="radiogroup" aria-label="Error policy">
      <label className={`mode${!skipBad ? ' on' : ''}`}>
        <input type="radio" name="policy" checked={!skipBad} onChange={() => setSkipBad(false)} />
        <span>
          <strong>All or nothing</strong>
          <span className="muted small">One bad row rejects the whole import.</span>
        </span>
      </label>
      <label className={`mode${skipBad ? ' on' : ''}`}>
        <input type="radio" name="policy" checked={skipBad} onChange={() => setSkipBad(true)} />
        <span>
          <strong>Skip bad rows</strong>
          <span className="muted small">Import the good rows; report the bad ones.</span>
        </span>
      </label>
    </div>
  );
}

/** What an empty cell does to a CI or relationship the import updates (the mapping's emptyCells; the CLI's --empty-cells). */
function EmptyCellsChoice({ emptyCells, setEmptyCells }: { emptyCells: EmptyCells; setEmptyCells: (v: EmptyCells) => void }) {
  return (
    <div className="modes" role="radiogroup" aria-label="Empty cells">
      {EMPTY_CELLS.map((c) => (
        <label key={c.value} className={`mode${emptyCells === c.value ? ' on' : ''}`}>
          <input type="radio" name="empty-cells" checked={emptyCells === c.value} onChange={() => setEmptyCells(c.value)} />
          <span>
            <strong>{c.label}</strong>
            <span className="muted small">{c.hint}</span>
          </span>
        </label>
      ))}
    </div>
  );
}

export function JobProgress({ job, onCancel }: { job: Job; onCancel: () => void }) {
  const pct = jobPercent(job);
  return (
    <div className="progress-row" aria-label="Import progress">
      <div
        className="progress"
        role="progressbar"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={pct ?? undefined}
        aria-label="Import progress"
      >
        <div style={{ width: `${pct ?? 3}%` }} className={pct === null ? 'indeterminate' : ''} />
      </div>
      <span className="small" data-testid="progress-text">
        {progressText(job)}
      </span>
      <button type="button" className="btn danger" onClick={onCancel} disabled={job.cancelling}>
        Cancel import
      </button>
    </div>
  );
}

/**
 * Rows renaming CIs another source wrote are those CIs renamed (the CLI's --allow-renames): offered once an import
 * was refused as a key collision (import/stages/renames.ts), and while it is on.
 */
function AllowRenames({ w, error }: { w: ReturnType<typeof useImportWizard>; error: unknown }) {
  if (!w.allowRenames && (error == null || !isKeyCollision(asApiError(error).details))) return null;
  return (
    <label className="mode on">
      <input type="checkbox" checked={w.allowRenames} onChange={(e) => w.setAllowRenames(e.target.checked)} />
      <span>
        <strong>Allow renames</strong>
        <span className="muted small">
          The rows are the CIs another source wrote, renamed: import them (not other CIs under the same keys).
        </span>
      </span>
    </label>
  );
}

/** The “How to import” card. */
export function ImportOptions({ w }: { w: ReturnType<typeof useImportWizard> }) {
  const error = w.runError ?? (w.outcome?.kind === 'failed' ? w.outcome.error : null);
  return (
    <section className="card" aria-label="Import options">
      <h2>How to import</h2>
      <ModeChoice mode={w.mode} setMode={w.setMode} />
      <PolicyChoice skipBad={w.skipBad} setSkipBad={w.setSkipBad} />
      <EmptyCellsChoice emptyCells={w.emptyCells} setEmptyCells={w.setEmptyCells} />
      <SourceField
        source={w.source}
        setSource={w.setSource}
        fallback={w.entries.find((e) => e.kind === 'cis')?.file.name ?? w.entries[0]?.file.name}
      />
      <AllowRenames w={w} error={error} />
      {w.missingRequired && <div className="notice">Map the required fields (marked *) before checking.</div>}
      <div className="run-row">
        <button type="button" className="btn" disabled={!w.canRun || w.checking} onClick={() => void w.dryRun()}>
          {w.checking ? 'Checking…' : 'Dry run'}
        </button>
        <button type="button" className="btn primary" disabled={!w.canRun || w.checking} onClick={() => void w.runImport()}>
          Import
        </button>
        {w.dryFresh && w.dryFresh.errors.length > 0 && !w.skipBad && (
          <span className="muted small">The dry run found row errors: with “all or nothing” the import will be rejected.</span>
        )}
      </div>
      {w.job && <JobProgress job={w.job} onCancel={() => void w.cancel()} />}
      {w.runError != null && <ErrorBox error={w.runError} title="Not done" />}
      <SourceChoices error={error} setSource={w.setSource} />
    </section>
  );
}

/** A sync refused for its new source (the engine names the earlier sources of the file's CIs): each offered as the Source. */
function SourceChoices({ error, setSource }: { error: unknown; setSource: (s: string) => void }) {
  const earlier = error == null ? [] : earlierSourcesOf(asApiError(error).details);
  if (earlier.length === 0) return null;
  return (
    <div className="run-row" role="group" aria-label="Sync under an earlier source">
      {earlier.slice(0, 5).map((e) => (
        <button key={e.source} type="button" className="btn" onClick={() => setSource(e.source)}>
          Set Source to “{e.source}” ({formatCountOf(e.cis, 'CI', 'CIs')})
        </button>
      ))}
    </div>
  );
}
