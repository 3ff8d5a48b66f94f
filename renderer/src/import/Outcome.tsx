/** What a dry run or an import came to: the counts, the row errors, a cancel's or a failure's account. */
import { useEffect, useRef, useState } from 'react';
import type { ImportResult } from '../../../shared/domain.js';
import { newTypesLines, unlistedLines } from '../../../shared/import.js';
import { ChangesList, CreatedFields } from '../ui/FieldChanges.js';
import { ErrorBox } from '../ui/common.js';
import { formatCount, formatCountOf } from '../../../shared/format.js';
import { CountsGrid, RowErrors } from './Results.js';
import { UndoImportDialog, type UndoTarget } from './UndoImportDialog.js';
import { UnrecognisedNotice } from './Unrecognised.js';
import type { Outcome } from './useImportWizard.js';

/** What a sync retires and removes because its files no longer list it, named (the first few): the part to check before it runs. */
function Unlisted({ result }: { result: ImportResult }) {
  const lines = unlistedLines(result);
  if (lines.length === 0) return null;
  return (
    <div className="notice" data-testid="import-unlisted">
      {lines.map((l) => (
        <div key={l}>{l}</div>
      ))}
    </div>
  );
}

/** The types the import adds to the registry, flagged for review, and its notes (a sync that retired nothing and why, keys that look changed, CIs listed again): the same after a dry run and an import. */
function Notes({ result, dryRun }: { result: ImportResult; dryRun: boolean }) {
  const types = newTypesLines(result, dryRun, 'app');
  return (
    <>
      {types.length > 0 && (
        <div className="notice" data-testid="new-types">
          {types.map((t) => (
            <div key={t}>{t}</div>
          ))}
        </div>
      )}
      <UnrecognisedNotice values={result.unrecognisedValues} dryRun={dryRun} />
      {result.warnings.length > 0 && (
        <div data-testid="import-notes">
          {result.warnings.map((w) => (
            <div key={w} className="muted small">
              {w}
            </div>
          ))}
        </div>
      )}
    </>
  );
}

/** The “Dry run result” card: nothing written, what would change and what would be rejected. */
/** The first rows the dry run would create or update, each update field by field. */
function DryRows({ result }: { result: ImportResult }) {
  const rows = result.rows.filter((r) => r.action === 'create' || r.action === 'update');
  if (rows.length === 0) return null;
  const changing = result.counts.created + result.counts.updated + result.counts.relationshipsCreated + result.counts.relationshipsUpdated;
  return (
    <details className="dry-rows" open={rows.some((r) => r.action === 'update')}>
      <summary>
        What would change{changing > rows.length ? `: the first ${formatCount(rows.length)} of ${formatCount(changing)} rows` : ''}
      </summary>
      <ul aria-label="What would change">
        {rows.map((r) => (
          <li key={`${r.file}:${r.line}`}>
            <span className={`pill ${r.action === 'update' ? 'warn' : 'ok'}`}>{r.action === 'update' ? 'update' : 'create'}</span>{' '}
            <span className="mono">{r.key}</span>{' '}
            <span className="muted small">
              {r.file} line {r.line}
            </span>
            {r.action === 'update' && r.changes && <ChangesList changes={r.changes} />}
            {r.action === 'create' && r.changes && <CreatedFields changes={r.changes} />}
          </li>
        ))}
      </ul>
    </details>
  );
}

export function DryRunResult({ result }: { result: ImportResult }) {
  return (
    <section className="card" aria-label="Dry run result">
      <h2>Dry run: nothing was written · {Math.round(result.durationMs)} ms</h2>
      {result.refusedWhole && (
        // A row error that refuses the import as a whole (a group's conflicting settings, a quote never closed):
        // skipping bad rows would not import the others, as the command line says (it was a note here only).
        <div className="notice" role="alert" data-testid="dry-run-refused">
          The import would be refused as a whole, even skipping bad rows:{' '}
          {result.errors.length === 1 ? 'the row error below refuses it' : 'one of the row errors below refuses it'}. Fix the rows and run
          the dry run again.
        </div>
      )}
      <CountsGrid counts={result.counts} dryRun />
      <DryRows result={result} />
      <Unlisted result={result} />
      <Notes result={result} dryRun />
      <RowErrors errors={result.errors} truncated={result.errorsTruncated} />
    </section>
  );
}

function ImportDone({
  result,
  files,
  onBrowse,
  onUndo,
  undoError,
}: {
  result: ImportResult;
  files: string[];
  onBrowse: () => void;
  onUndo: (id: number) => Promise<void>;
  undoError: unknown;
}) {
  const [asking, setAsking] = useState<UndoTarget | null>(null);
  // A refusal comes below the button pressed, at the foot of the page: brought into view.
  const refusal = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (undoError != null) refusal.current?.scrollIntoView({ block: 'nearest' });
  }, [undoError]);
  return (
    <section className="card done" aria-label="Import result">
      <h2>
        Imported: import #{result.importId} ·{' '}
        {result.durationMs < 1000 ? `${Math.round(result.durationMs)} ms` : `${(result.durationMs / 1000).toFixed(1)} s`}
      </h2>
      <CountsGrid counts={result.counts} dryRun={false} />
      <Unlisted result={result} />
      <Notes result={result} dryRun={false} />
      <RowErrors errors={result.errors} truncated={result.errorsTruncated} />
      <div className="run-row">
        <button type="button" className="btn" onClick={onBrowse}>
          Browse the CIs
        </button>
        {result.importId != null && (
          <button type="button" className="btn danger" onClick={() => setAsking({ id: result.importId!, files })}>
            Undo this import
          </button>
        )}
      </div>
      {/* A refusal says itself what to undo first (not the generic "pick another key" of a conflict). */}
      {undoError != null && (
        <div ref={refusal}>
          <ErrorBox error={undoError} title="Not undone" next={(code) => (code === 'CONFLICT' ? null : undefined)} />
        </div>
      )}
      <UndoImportDialog target={asking} onUndo={onUndo} onClose={() => setAsking(null)} />
    </section>
  );
}

/** How the last import ended: its result, its cancellation or its failure. */
export function OutcomeView({
  outcome,
  onBrowse,
  onUndo,
  undoError,
}: {
  outcome: Outcome;
  onBrowse: () => void;
  /** Undoes the import; it resolves either way, a refusal coming back as `undoError`. */
  onUndo: (id: number) => Promise<void>;
  /** Why the last Undo of this result was refused, shown below its button. */
  undoError: unknown;
}) {
  switch (outcome.kind) {
    case 'done':
      return <ImportDone result={outcome.result} files={outcome.files} onBrowse={onBrowse} onUndo={onUndo} undoError={undoError} />;
    case 'cancelled':
      return (
        <section className="card" aria-label="Import cancelled">
          <h2>Import cancelled</h2>
          <p role="status">
            {outcome.message}{' '}
            {outcome.after.cis === outcome.before.cis && outcome.after.relationships === outcome.before.relationships
              ? `The CMDB still holds ${formatCountOf(outcome.after.cis, 'CI', 'CIs')} and ${formatCountOf(outcome.after.relationships, 'relationship', 'relationships')}, as before.`
              : `The CMDB now holds ${formatCountOf(outcome.after.cis, 'CI', 'CIs')} and ${formatCountOf(outcome.after.relationships, 'relationship', 'relationships')} (${formatCount(outcome.before.cis)} and ${formatCount(outcome.before.relationships)} before): it was changed elsewhere meanwhile.`}
          </p>
        </section>
      );
    case 'failed':
      return (
        <section className="card" aria-label="Import failed">
          <ErrorBox error={outcome.error} title="Nothing was imported" />
          <RowErrors errors={outcome.errors} truncated={false} />
        </section>
      );
  }
}
