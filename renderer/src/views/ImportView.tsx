/**
 * The import wizard: choose or drop CSV files, check how they read, map their
 * columns (suggested from the headers, saved as profiles), pick the mode and
 * the error policy, dry-run, then import with progress and a real cancel;
 * afterwards undo it, or any earlier import from the log.
 */
import type { Stats } from '../../../shared/domain.js';
import { ErrorBox } from '../ui/common.js';
import { formatCount } from '../../../shared/format.js';
import { DropZone } from '../import/DropZone.js';
import { FileCard } from '../import/FileCard.js';
import { ImportLog } from '../import/ImportLog.js';
import { ImportOptions, JobProgress } from '../import/ImportOptions.js';
import { DryRunResult, OutcomeView } from '../import/Outcome.js';
import { ProfilesBox } from '../import/ProfilesBox.js';
import { useImportWizard, useProfiles } from '../import/useImportWizard.js';
import { valuesToMap } from '../import/wizard.js';

/** The Import screen: the wizard's parts, fed by `useImportWizard`. */
export function ImportView({ stats, onImported, onBrowse }: { stats: Stats; onImported: () => void; onBrowse: () => void }) {
  const w = useImportWizard(onImported);
  const profiles = useProfiles(w);

  return (
    <div className="page import-page">
      <h1>Import CSV</h1>
      <p className="lead">
        Bring an inventory into this CMDB ({formatCount(stats.cis)} CIs now): any delimiter and any headers. Check first — a dry run reports
        what would change and every row it would reject, without writing anything.
      </p>

      <DropZone onFiles={(files) => void w.addFiles(files)} />
      {w.loadError != null && <ErrorBox error={w.loadError} title="The file could not be used" />}
      {w.twoOfAKind && (
        <div className="error">Import one CIs file and one relationships file at a time: remove a file, or change what it holds.</div>
      )}

      {w.entries.map((e, i) => (
        <FileCard
          key={e.file.name}
          entry={e}
          onKind={(kind) => w.setKind(i, kind)}
          onMap={(map) => w.setMap(i, map)}
          onDefaults={(d) => w.setDefaults(i, d)}
          onRemove={() => w.remove(i)}
          values={valuesToMap(e, w.dryValues, w.extras.ignore?.cis)}
          valueMaps={w.valueMaps}
          onValueMaps={w.setValueMaps}
          mode={w.mode}
        />
      ))}

      {w.entries.length > 0 && <ProfilesBox {...profiles} />}
      {w.entries.length > 0 && <ImportOptions w={w} />}
      {w.entries.length === 0 && w.job && (
        // An import started before this page was loaded (a reload while it ran): its progress, and Cancel.
        <section className="card" aria-label="Import running">
          <h2>An import is running</h2>
          {w.job.file && <p className="muted">Reading {w.job.file}</p>}
          <JobProgress job={w.job} onCancel={() => void w.cancel()} />
        </section>
      )}

      {w.dryFresh && !w.outcome && <DryRunResult result={w.dryFresh} />}
      {w.outcome && <OutcomeView outcome={w.outcome} onBrowse={onBrowse} onUndo={w.undoLast} undoError={w.undoError} />}
      {w.undoneMsg && (
        <div className="notice ok" role="status">
          {w.undoneMsg}
        </div>
      )}

      <ImportLog version={w.logVersion} onUndone={onImported} />
    </div>
  );
}
