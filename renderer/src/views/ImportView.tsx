/**
 * The import wizard: choose or drop CSV files, check how they read, map their
 * columns (suggested from the headers, saved as profiles), pick the mode and
 * the error policy, dry-run, then import with progress and a real cancel;
 * afterwards undo it, or any earlier import from the log.
 */
import { useEffect, useRef, useState } from 'react';
import type { ImportResult, RowError, Stats } from '../../../shared/domain.js';
import type { ImportMode, Mapping, MappingProfile, Preview } from '../../../shared/import.js';
import { ApiError, cmdb, onCmdbEvent, uploadCsv } from '../api.js';
import { ErrorBox, formatCount, useAsync } from '../ui/common.js';
import { FileCard, type FieldMap, type Kind } from '../import/FileCard.js';
import type { LoadedFile } from '../import/files.js';
import { ImportLog } from '../import/ImportLog.js';
import { takeImportFiles } from '../import/pending.js';
import { CountsGrid, RowErrors } from '../import/Results.js';

interface Entry {
  file: LoadedFile;
  preview: Preview;
  kind: Kind;
  map: FieldMap;
}

const MODES: Array<{ mode: ImportMode; label: string; hint: string }> = [
  { mode: 'upsert', label: 'Create and update', hint: 'New keys are created, known keys updated.' },
  { mode: 'create-only', label: 'Create only', hint: 'Known keys are left alone.' },
  { mode: 'update-only', label: 'Update only', hint: 'New keys are left alone.' },
  { mode: 'sync', label: 'Sync', hint: 'As “create and update”, and CIs from this source missing from the file are retired.' },
];

type Job = { jobId: string; rowsDone: number; total: number | null; rate: number; phase: string; cancelling: boolean };
type Outcome =
  | { kind: 'done'; result: ImportResult }
  | { kind: 'cancelled'; message: string; before: Stats; after: Stats }
  | { kind: 'failed'; error: unknown; errors: RowError[] };

function rejectedErrors(err: unknown): RowError[] {
  if (err instanceof ApiError && err.code === 'IMPORT_REJECTED') {
    const d = err.details as { errors?: RowError[] } | undefined;
    return d?.errors ?? [];
  }
  return [];
}

export function ImportView({ stats, onImported, onBrowse }: { stats: Stats; onImported: () => void; onBrowse: () => void }) {
  const [entries, setEntries] = useState<Entry[]>([]);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [dragging, setDragging] = useState(false);
  const [mode, setMode] = useState<ImportMode>('upsert');
  const [skipBad, setSkipBad] = useState(false);
  const [dry, setDry] = useState<{ result: ImportResult; key: string } | null>(null);
  const [checking, setChecking] = useState(false);
  const [runError, setRunError] = useState<unknown>(null);
  const [job, setJob] = useState<Job | null>(null);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [logVersion, setLogVersion] = useState(0);
  const [profilesTick, setProfilesTick] = useState(0);
  const [profiles] = useAsync(() => cmdb.listMappingProfiles({}), [profilesTick]);
  const [profileName, setProfileName] = useState('');
  const [profileMsg, setProfileMsg] = useState<string | null>(null);
  const [undoneMsg, setUndoneMsg] = useState<string | null>(null);
  const inputRef = useRef<HTMLInputElement>(null);

  const addFiles = async (files: Array<{ name: string; load: () => Promise<LoadedFile> }>) => {
    setLoadError(null);
    try {
      const loaded: Entry[] = [];
      for (const f of files) {
        if (!/\.(csv|tsv|txt)$/i.test(f.name)) throw new Error(`${f.name} is not a CSV file: choose .csv, .tsv or .txt files.`);
        const file = await f.load();
        const preview = await cmdb.previewCsv({ file: { fileId: file.fileId }, rows: 8 });
        loaded.push({
          file,
          preview,
          kind: preview.kind,
          map: { ...(preview.kind === 'cis' ? preview.suggested.cis : preview.suggested.relationships) },
        });
      }
      setEntries((old) => [...old.filter((o) => !loaded.some((l) => l.file.name === o.file.name)), ...loaded]);
      setDry(null);
      setOutcome(null);
    } catch (err) {
      setLoadError(err);
    }
  };

  // Files dropped on the desktop window or chosen from File > Import CSV… (the shell has the engine open them).
  useEffect(() => takeImportFiles((files) => void addFiles(files.map((f) => ({ name: f.name, load: async () => f })))), []);
  useEffect(
    () =>
      onCmdbEvent((e) => {
        if (e.type === 'import-progress')
          setJob((j) => (j && j.jobId === e.jobId ? { ...j, rowsDone: e.rowsDone, total: e.total, rate: e.rate, phase: e.phase } : j));
      }),
    [],
  );

  const cisEntry = entries.find((e) => e.kind === 'cis');
  const relEntry = entries.find((e) => e.kind === 'relationships');
  const twoOfAKind = entries.filter((e) => e.kind === 'cis').length > 1 || entries.filter((e) => e.kind === 'relationships').length > 1;
  const clean = (m: FieldMap) => Object.fromEntries(Object.entries(m).filter(([, v]) => !!v)) as Record<string, string>;
  const mapping: Mapping = {
    ...(cisEntry ? { cis: clean(cisEntry.map) } : {}),
    ...(relEntry ? { relationships: clean(relEntry.map) } : {}),
  };
  const missingRequired =
    (cisEntry && (!cisEntry.map.name || !cisEntry.map.type)) ||
    (relEntry && (!relEntry.map.source || !relEntry.map.target || !relEntry.map.type));
  const request = () => ({
    ...(cisEntry ? { cis: { fileId: cisEntry.file.fileId } } : {}),
    ...(relEntry ? { relationships: { fileId: relEntry.file.fileId } } : {}),
    mapping,
    mode,
    skipBadRows: skipBad,
  });
  const settingsKey = JSON.stringify([entries.map((e) => [e.file.name, e.file.size, e.kind]), mapping, mode, skipBad]);
  const canRun = entries.length > 0 && !twoOfAKind && !missingRequired && job === null;

  const dryRun = async () => {
    setChecking(true);
    setRunError(null);
    setOutcome(null);
    try {
      const result = await cmdb.importCsv({ ...request(), dryRun: true, rowsLimit: 0 });
      setDry({ result, key: settingsKey });
    } catch (err) {
      setRunError(err);
    } finally {
      setChecking(false);
    }
  };

  const runImport = async () => {
    setRunError(null);
    setOutcome(null);
    setUndoneMsg(null);
    const before = await cmdb.stats({});
    let jobId: string;
    try {
      jobId = (await cmdb.startImport({ ...request(), rowsLimit: 0 })).jobId;
    } catch (err) {
      setRunError(err);
      return;
    }
    setJob({ jobId, rowsDone: 0, total: null, rate: 0, phase: 'parsing', cancelling: false });
    // Events carry the progress; polling the job makes sure its end is seen even if an event is lost.
    for (;;) {
      await new Promise((r) => setTimeout(r, 300));
      let j;
      try {
        j = await cmdb.getImportJob({ jobId });
      } catch (err) {
        setJob(null);
        setOutcome({ kind: 'failed', error: err, errors: [] });
        return;
      }
      if (j.state === 'running') {
        setJob((cur) =>
          cur && cur.jobId === jobId && j.rowsDone >= cur.rowsDone ? { ...cur, rowsDone: j.rowsDone, total: j.total, rate: j.rate } : cur,
        );
        continue;
      }
      setJob(null);
      if (j.state === 'done') {
        setOutcome({ kind: 'done', result: j.result as ImportResult });
        setDry(null);
        setLogVersion((v) => v + 1);
        onImported();
      } else if (j.state === 'cancelled') {
        const after = await cmdb.stats({});
        setOutcome({ kind: 'cancelled', message: j.error?.message ?? 'The import was cancelled.', before, after });
      } else {
        const err = new ApiError(
          (j.error?.code ?? 'INTERNAL') as ApiError['code'],
          j.error?.message ?? 'The import failed.',
          j.error?.details,
        );
        setOutcome({ kind: 'failed', error: err, errors: rejectedErrors(err) });
      }
      return;
    }
  };

  const cancel = async () => {
    if (!job) return;
    setJob({ ...job, cancelling: true });
    try {
      await cmdb.cancelImport({ jobId: job.jobId });
    } catch (err) {
      setRunError(err);
    }
  };

  const undoLast = async (id: number) => {
    try {
      const u = await cmdb.undoImport({ id });
      setOutcome(null);
      setLogVersion((v) => v + 1);
      onImported();
      setProfileMsg(null);
      setUndoneMsg(`Import #${u.importId} undone: ${formatCount(u.cisDeleted)} CIs removed, ${formatCount(u.cisRestored)} restored.`);
    } catch (err) {
      setRunError(err);
    }
  };
  const applyProfile = (p: MappingProfile) => {
    setEntries((es) =>
      es.map((e) => {
        const m = e.kind === 'cis' ? p.mapping.cis : p.mapping.relationships;
        if (!m) return e;
        const map: FieldMap = {};
        for (const [f, h] of Object.entries(m)) if (h && e.preview.headers.includes(h)) map[f] = h;
        return { ...e, map };
      }),
    );
    setProfileName(p.name);
    setProfileMsg(`Mapping “${p.name}” applied.`);
  };

  const saveProfile = async () => {
    try {
      const p = await cmdb.saveMappingProfile({ name: profileName.trim(), mapping });
      setProfileMsg(`Mapping saved as “${p.name}”.`);
      setProfilesTick((t) => t + 1);
    } catch (err) {
      setLoadError(err);
    }
  };

  const dryFresh = dry && dry.key === settingsKey ? dry.result : null;
  const pct = job && job.total ? Math.min(100, Math.round((job.rowsDone / job.total) * 100)) : null;

  return (
    <div className="page import-page">
      <h1>Import CSV</h1>
      <p className="lead">
        Bring an inventory into this CMDB ({formatCount(stats.cis)} CIs now): any delimiter and any headers. Check first — a dry run reports
        what would change and every row it would reject, without writing anything.
      </p>

      <section
        className={`card dropzone${dragging ? ' over' : ''}`}
        aria-label="Choose CSV files"
        onDragOver={(e) => {
          e.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={(e) => {
          e.preventDefault();
          setDragging(false);
          void addFiles([...e.dataTransfer.files].map((f) => ({ name: f.name, load: () => uploadCsv(f) })));
        }}
      >
        <div>
          <strong>Drop CSV files here</strong> — a CIs file, a relationships file, or both — or{' '}
          <button type="button" className="btn small" onClick={() => inputRef.current?.click()}>
            Choose files…
          </button>
          <input
            ref={inputRef}
            type="file"
            multiple
            accept=".csv,.tsv,.txt,text/csv"
            hidden
            aria-label="CSV files"
            onChange={(e) => {
              const fs = [...(e.target.files ?? [])];
              e.target.value = '';
              void addFiles(fs.map((f) => ({ name: f.name, load: () => uploadCsv(f) })));
            }}
          />
        </div>
        <span className="muted small">Files are read here and sent to the CMDB only when you run the dry run or the import.</span>
      </section>
      {loadError != null && <ErrorBox error={loadError} title="The file could not be used" />}
      {twoOfAKind && (
        <div className="error">Import one CIs file and one relationships file at a time: remove a file, or change what it holds.</div>
      )}

      {entries.map((e, i) => (
        <FileCard
          key={e.file.name}
          file={e.file}
          preview={e.preview}
          kind={e.kind}
          map={e.map}
          onKind={(kind) =>
            setEntries((es) =>
              es.map((x, j) =>
                j === i ? { ...x, kind, map: { ...(kind === 'cis' ? x.preview.suggested.cis : x.preview.suggested.relationships) } } : x,
              ),
            )
          }
          onMap={(map) => setEntries((es) => es.map((x, j) => (j === i ? { ...x, map } : x)))}
          onRemove={() => setEntries((es) => es.filter((_, j) => j !== i))}
        />
      ))}

      {entries.length > 0 && (
        <section className="card" aria-label="Mapping profiles">
          <h2>Mapping profiles</h2>
          <div className="profile-row">
            <select
              className="input"
              aria-label="Saved mapping profiles"
              value=""
              onChange={(e) => {
                const p = profiles.data?.items.find((x) => x.name === e.target.value);
                if (p) applyProfile(p);
              }}
            >
              <option value="">{profiles.data?.items.length ? 'Apply a saved mapping…' : 'No saved mapping yet'}</option>
              {profiles.data?.items.map((p) => (
                <option key={p.name} value={p.name}>
                  {p.name}
                </option>
              ))}
            </select>
            <input
              className="input"
              placeholder="Profile name"
              value={profileName}
              onChange={(e) => setProfileName(e.target.value)}
              aria-label="Profile name"
            />
            <button type="button" className="btn" disabled={!profileName.trim()} onClick={() => void saveProfile()}>
              Save this mapping
            </button>
            {profileMsg && <span className="muted small">{profileMsg}</span>}
          </div>
        </section>
      )}

      {entries.length > 0 && (
        <section className="card" aria-label="Import options">
          <h2>How to import</h2>
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
          {missingRequired && <div className="notice">Map the required fields (marked *) before checking.</div>}
          <div className="run-row">
            <button type="button" className="btn" disabled={!canRun || checking} onClick={() => void dryRun()}>
              {checking ? 'Checking…' : 'Dry run'}
            </button>
            <button type="button" className="btn primary" disabled={!canRun || checking} onClick={() => void runImport()}>
              Import
            </button>
            {dryFresh && dryFresh.errors.length > 0 && !skipBad && (
              <span className="muted small">The dry run found row errors: with “all or nothing” the import will be rejected.</span>
            )}
          </div>
          {job && (
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
                {job.cancelling
                  ? 'Cancelling: rolling back…'
                  : `${job.phase} · ${formatCount(job.rowsDone)}${job.total ? ` of ~${formatCount(job.total)}` : ''} rows${job.rate ? ` · ${formatCount(job.rate)} rows/s` : ''}`}
              </span>
              <button type="button" className="btn danger" onClick={() => void cancel()} disabled={job.cancelling}>
                Cancel import
              </button>
            </div>
          )}
          {runError != null && <ErrorBox error={runError} title="Not done" />}
        </section>
      )}

      {dryFresh && !outcome && (
        <section className="card" aria-label="Dry run result">
          <h2>Dry run: nothing was written · {Math.round(dryFresh.durationMs)} ms</h2>
          <CountsGrid counts={dryFresh.counts} dryRun />
          {dryFresh.createdTypes.length + dryFresh.createdRelTypes.length > 0 && (
            <div className="notice">
              New types would be added and flagged for review: {[...dryFresh.createdTypes, ...dryFresh.createdRelTypes].join(', ')}.
            </div>
          )}
          {dryFresh.warnings.map((w) => (
            <div key={w} className="muted small">
              {w}
            </div>
          ))}
          <RowErrors errors={dryFresh.errors} truncated={dryFresh.errorsTruncated} />
        </section>
      )}

      {outcome?.kind === 'done' && (
        <section className="card done" aria-label="Import result">
          <h2>
            Imported: import #{outcome.result.importId} ·{' '}
            {outcome.result.durationMs < 1000
              ? `${Math.round(outcome.result.durationMs)} ms`
              : `${(outcome.result.durationMs / 1000).toFixed(1)} s`}
          </h2>
          <CountsGrid counts={outcome.result.counts} dryRun={false} />
          <RowErrors errors={outcome.result.errors} truncated={outcome.result.errorsTruncated} />
          <div className="run-row">
            <button type="button" className="btn" onClick={onBrowse}>
              Browse the CIs
            </button>
            {outcome.result.importId != null && (
              <button type="button" className="btn danger" onClick={() => void undoLast(outcome.result.importId!)}>
                Undo this import
              </button>
            )}
          </div>
        </section>
      )}
      {outcome?.kind === 'cancelled' && (
        <section className="card" aria-label="Import cancelled">
          <h2>Import cancelled</h2>
          <p role="status">
            {outcome.message}{' '}
            {outcome.after.cis === outcome.before.cis && outcome.after.relationships === outcome.before.relationships
              ? `The CMDB still holds ${formatCount(outcome.after.cis)} CIs and ${formatCount(outcome.after.relationships)} relationships, as before.`
              : `The CMDB now holds ${formatCount(outcome.after.cis)} CIs and ${formatCount(outcome.after.relationships)} relationships (${formatCount(outcome.before.cis)} and ${formatCount(outcome.before.relationships)} before): it was changed elsewhere meanwhile.`}
          </p>
        </section>
      )}
      {outcome?.kind === 'failed' && (
        <section className="card" aria-label="Import failed">
          <ErrorBox error={outcome.error} title="Nothing was imported" />
          <RowErrors errors={outcome.errors} truncated={false} />
        </section>
      )}
      {undoneMsg && (
        <div className="notice ok" role="status">
          {undoneMsg}
        </div>
      )}

      <ImportLog version={logVersion} onUndone={onImported} />
    </div>
  );
}
