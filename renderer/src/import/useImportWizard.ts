/**
 * The import wizard's state and effects: the chosen files, the mode and error
 * policy, the dry run, the running job (progress from events, its end seen by
 * polling), the outcome, undo and the saved mapping profiles.
 */
import { useEffect, useState } from 'react';
import type { ImportResult, NewTypeValue, RowError, Stats, UnrecognisedValue } from '../../../shared/domain.js';
import { type EmptyCells, type ImportJob, type ImportMode, type MappingProfile, notCsvText, undoneText } from '../../../shared/import.js';
import { ApiError, cmdb, onCmdbEvent } from '../api.js';
import { useAsync, useSubmit } from '../ui/common.js';
import { useKeptState } from '../ui/keptState.js';
import type { LoadedFile } from './files.js';
import { takeImportFiles } from './pending.js';
import { RUNNING_PHASES, waitForJobEnd } from './jobWait.js';
import {
  applyProfileTo,
  buildMapping,
  buildRequest,
  emptyCellsOf,
  extrasOf,
  extrasText,
  hasTwoOfAKind,
  importedFiles,
  isCsvName,
  isMissingRequired,
  mergeEntries,
  newEntry,
  profileFits,
  settingsKey,
  suggestedMap,
  valueMapsOf,
  withDryValues,
  type Entry,
  type FieldMap,
  type Job,
  type Kind,
  type ProfileExtras,
  type ValueMaps,
} from './wizard.js';

/** How the last import ended. */
export type Outcome =
  /** `files`: what it read, to name it (none known for an import adopted after a reload). */
  | { kind: 'done'; result: ImportResult; files: string[] }
  | { kind: 'cancelled'; message: string; before: Stats; after: Stats }
  | { kind: 'failed'; error: unknown; errors: RowError[] };

/** A file offered to the wizard, read only once it is accepted. */
export type FileSource = { name: string; load: () => Promise<LoadedFile> };

function rejectedErrors(err: unknown): RowError[] {
  if (err instanceof ApiError && err.code === 'IMPORT_REJECTED') {
    const d = err.details as { errors?: RowError[] } | undefined;
    return d?.errors ?? [];
  }
  return [];
}

/** Waits for an import job to end (jobWait.ts), reading it from the engine and its events. */
const waitForJob = (jobId: string, onRunning: (j: ImportJob) => void) =>
  waitForJobEnd(jobId, onRunning, { getJob: (id) => cmdb.getImportJob({ jobId: id }), onEvent: onCmdbEvent });

/** The files the wizard holds: adding (previewed by the engine), editing and removing them. */
function useEntries(onAdded: () => void) {
  // Kept for the page: the files the host holds for this session, mapped, survive a look at Browse and back.
  const [entries, setEntries] = useKeptState<Entry[]>('import.entries', [], 'page');
  const [loadError, setLoadError] = useState<unknown>(null);

  const addFiles = async (files: FileSource[]) => {
    setLoadError(null);
    try {
      const loaded: Entry[] = [];
      for (const f of files) {
        if (!isCsvName(f.name)) throw new ApiError('INVALID_REQUEST', notCsvText(f.name));
        const file = await f.load();
        const preview = await cmdb.previewCsv({ file: { fileId: file.fileId }, rows: 8 });
        loaded.push(newEntry(file, preview));
      }
      setEntries((old) => mergeEntries(old, loaded));
      onAdded();
    } catch (err) {
      setLoadError(err);
    }
  };

  // Files dropped on the desktop window or chosen from File > Import CSV… (the shell has the engine open them).
  useEffect(() => takeImportFiles((files) => void addFiles(files.map((f) => ({ name: f.name, load: async () => f })))), []);

  const setKind = (i: number, kind: Kind) =>
    setEntries((es) => es.map((x, j) => (j === i ? { ...x, kind, map: suggestedMap(x.preview, kind), defaults: {} } : x)));
  const setMap = (i: number, map: FieldMap) => setEntries((es) => es.map((x, j) => (j === i ? { ...x, map } : x)));
  const setDefaults = (i: number, defaults: FieldMap) => setEntries((es) => es.map((x, j) => (j === i ? { ...x, defaults } : x)));
  const remove = (i: number) => setEntries((es) => es.filter((_, j) => j !== i));
  const applyProfile = (p: MappingProfile) => setEntries((es) => es.map((e) => applyProfileTo(e, p)));

  return { entries, loadError, setLoadError, addFiles, setKind, setMap, setDefaults, remove, applyProfile };
}

/** The rows a dry run shows of what it would create or update. */
export const DRY_ROWS = 50;

/** A running import's progress, from the engine's events. */
function useJob() {
  // Kept for the page: an import started here and left running is still shown (and its outcome) on coming back.
  const [job, setJob] = useKeptState<Job | null>('import.job', null, 'page');
  useEffect(
    () =>
      onCmdbEvent((e) => {
        if (e.type === 'import-progress')
          setJob((j) => {
            if (j && j.jobId === e.jobId)
              return { ...j, rowsDone: e.rowsDone, total: e.total, rate: e.rate, phase: e.phase, file: e.file ?? j.file };
            // An import started before this page was loaded (a reload while it ran): shown, and cancellable, as one started here.
            if (j === null && RUNNING_PHASES.has(e.phase))
              return {
                jobId: e.jobId,
                rowsDone: e.rowsDone,
                total: e.total,
                rate: e.rate,
                phase: e.phase,
                cancelling: false,
                adopted: true,
                file: e.file,
              };
            return j;
          });
      }),
    [],
  );
  return [job, setJob] as const;
}

/** Everything the import wizard shows and does. */
export function useImportWizard(onImported: () => void) {
  const [mode, setMode] = useKeptState<ImportMode>('import.mode', 'upsert', 'page');
  const [skipBad, setSkipBad] = useKeptState('import.skipBad', false, 'page');
  // The import's source, as the CLI's --source: a newer export saved under another name syncs under the first's.
  const [source, setSource] = useKeptState('import.source', '', 'page');
  // What an empty cell does on an update (the mapping's emptyCells): a partial export keeps the stored values.
  const [emptyCells, setEmptyCells] = useKeptState<EmptyCells>('import.emptyCells', 'clear', 'page');
  // Rows renaming CIs another source wrote are those CIs renamed (the CLI's --allow-renames): offered after a key collision's refusal.
  const [allowRenames, setAllowRenames] = useKeptState('import.allowRenames', false, 'page');
  const [dry, setDry] = useKeptState<{ result: ImportResult; key: string } | null>('import.dry', null, 'page');
  const [checking, setChecking] = useState(false);
  const [runError, setRunError] = useState<unknown>(null);
  /** Why the result's Undo was refused: shown beside that button. */
  const [undoError, setUndoError] = useState<unknown>(null);
  const [job, setJob] = useJob();
  // The import from the click on: a second click (a double click) before the job shows starts nothing.
  const importing = useSubmit();
  const [outcome, setOutcome] = useKeptState<Outcome | null>('import.outcome', null, 'page');
  // A refusal belongs to the result it was asked of.
  useEffect(() => setUndoError(null), [outcome]);
  const [logVersion, setLogVersion] = useState(0);
  const [profileMsg, setProfileMsg] = useState<string | null>(null);
  const [undoneMsg, setUndoneMsg] = useState<string | null>(null);
  const [valueMaps, setValueMaps] = useKeptState<ValueMaps>('import.valueMaps', {}, 'page');
  // What the applied profile holds besides what the cards and the value mapper show: carried and sent as it is.
  const [extras, setExtras] = useKeptState<ProfileExtras>('import.extras', {}, 'page');
  // Every value to map a dry run named since the files changed (off a scale, or making a new type): offered even once mapped.
  const [dryValues, setDryValues] = useKeptState<Array<UnrecognisedValue | NewTypeValue>>('import.dryValues', [], 'page');
  const files = useEntries(() => {
    setDry(null);
    setOutcome(null);
    setDryValues([]);
    setAllowRenames(false);
  });
  const { entries } = files;

  const twoOfAKind = hasTwoOfAKind(entries);
  const mapping = buildMapping(entries, valueMaps, extras, emptyCells);
  const missingRequired = isMissingRequired(entries, mode);
  const settings = { entries, mode, skipBad, valueMaps, extras, source, emptyCells, allowRenames };
  const key = settingsKey(settings);
  const canRun = entries.length > 0 && !twoOfAKind && !missingRequired && job === null && !importing.busy;

  const dryRun = async () => {
    setChecking(true);
    setRunError(null);
    setOutcome(null);
    try {
      // The first rows it would create or update, to read what changes before importing (a cleared field among them).
      const result = await cmdb.importCsv({ ...buildRequest(settings), dryRun: true, rowsLimit: DRY_ROWS, rowsKept: 'changes' });
      setDry({ result, key });
      setDryValues((old) => withDryValues(old, result));
    } catch (err) {
      setRunError(err);
    } finally {
      setChecking(false);
    }
  };

  const importOnce = async () => {
    setRunError(null);
    setOutcome(null);
    setUndoneMsg(null);
    let before: Stats;
    let jobId: string;
    try {
      before = await cmdb.stats({});
      jobId = (await cmdb.startImport({ ...buildRequest(settings), rowsLimit: 0 })).jobId;
    } catch (err) {
      setRunError(err);
      return;
    }
    setJob({ jobId, rowsDone: 0, total: null, rate: 0, phase: 'parsing', cancelling: false });
    let j: ImportJob;
    try {
      j = await waitForJob(jobId, (r) =>
        setJob((cur) =>
          cur && cur.jobId === jobId && r.rowsDone >= cur.rowsDone ? { ...cur, rowsDone: r.rowsDone, total: r.total, rate: r.rate } : cur,
        ),
      );
    } catch (err) {
      setJob(null);
      setOutcome({ kind: 'failed', error: err, errors: [] });
      return;
    }
    await finish(j, before, importedFiles(entries));
  };
  const runImport = () => importing.run(importOnce);

  /**
   * How a job ended, shown (`before`: the counts before it, unknown for one adopted after a reload, as are
   * the `files` it read).
   */
  const finish = async (j: ImportJob, before: Stats | null, files: string[] = []) => {
    setJob(null);
    if (j.state === 'done') {
      setOutcome({ kind: 'done', result: j.result as ImportResult, files });
      setDry(null);
      setLogVersion((v) => v + 1);
      onImported();
    } else if (j.state === 'cancelled') {
      const after = await cmdb.stats({});
      setOutcome({ kind: 'cancelled', message: j.error?.message ?? 'The import was cancelled.', before: before ?? after, after });
    } else {
      const err = new ApiError(
        (j.error?.code ?? 'INTERNAL') as ApiError['code'],
        j.error?.message ?? 'The import failed.',
        j.error?.details,
      );
      setOutcome({ kind: 'failed', error: err, errors: rejectedErrors(err) });
    }
  };

  // A job adopted from its events (started before a reload): its end is waited for here, as for one started here.
  const adoptedId = job?.adopted ? job.jobId : null;
  useEffect(() => {
    if (adoptedId === null) return;
    let live = true;
    waitForJob(adoptedId, () => {})
      .then(async (j) => {
        if (live) await finish(j, null);
      })
      .catch(() => {
        if (live) setJob(null);
      });
    return () => {
      live = false;
    };
  }, [adoptedId]);

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
    setRunError(null);
    setUndoError(null);
    try {
      const u = await cmdb.undoImport({ id });
      setOutcome(null);
      setLogVersion((v) => v + 1);
      onImported();
      setProfileMsg(null);
      setUndoneMsg(undoneText(u));
    } catch (err) {
      setUndoError(err);
    }
  };

  return {
    ...files,
    applyProfile: (p: MappingProfile) => {
      files.applyProfile(p);
      setValueMaps(valueMapsOf(p));
      setExtras(extrasOf(p));
      setEmptyCells(emptyCellsOf(p));
    },
    extras,
    dropExtras: () => setExtras({}),
    valueMaps,
    setValueMaps,
    dryValues,
    mode,
    setMode,
    skipBad,
    setSkipBad,
    source,
    setSource,
    emptyCells,
    setEmptyCells,
    allowRenames,
    setAllowRenames,
    checking,
    runError: runError ?? importing.error,
    job,
    outcome,
    logVersion,
    profileMsg,
    setProfileMsg,
    undoneMsg,
    twoOfAKind,
    mapping,
    missingRequired,
    canRun,
    dryFresh: dry && dry.key === key ? dry.result : null,
    dryRun,
    runImport,
    cancel,
    undoLast,
    undoError,
  };
}

/** The saved mapping profiles: the list, the name being typed, applying and saving (over a saved one only once confirmed). */
export function useProfiles(wizard: ReturnType<typeof useImportWizard>) {
  const [profilesTick, setProfilesTick] = useState(0);
  const [profiles] = useAsync(() => cmdb.listMappingProfiles({}), [profilesTick]);
  const [profileName, setProfileName] = useState('');
  // The saved profile the next save replaces, once asked: the mapping on screen replaces it whole.
  const [replacing, setReplacing] = useState<string | null>(null);
  // The profile last applied (or saved from the screen): not offered again as one that fits.
  const [applied, setApplied] = useState<string | null>(null);
  const name = profileName.trim();

  const apply = (p: MappingProfile) => {
    wizard.applyProfile(p);
    setApplied(p.name);
    setProfileName(p.name);
    setReplacing(null);
    wizard.setProfileMsg(`Mapping “${p.name}” applied.`);
  };

  const save = async () => {
    if (replacing !== name && profiles.data?.items.some((p) => p.name === name)) {
      setReplacing(name);
      return;
    }
    setReplacing(null);
    try {
      const p = await cmdb.saveMappingProfile({ name, mapping: wizard.mapping });
      setApplied(p.name);
      wizard.setProfileMsg(`Mapping saved as “${p.name}”.`);
      setProfilesTick((t) => t + 1);
    } catch (err) {
      wizard.setLoadError(err);
    }
  };

  return {
    items: profiles.data?.items,
    fitting: (profiles.data?.items ?? []).filter((p) => p.name !== applied && profileFits(p, wizard.entries)),
    profileName,
    setProfileName,
    apply,
    save,
    replacing: replacing === name ? replacing : null,
    cancelReplace: () => setReplacing(null),
    message: wizard.profileMsg,
    extras: extrasText(wizard.extras),
    dropExtras: wizard.dropExtras,
  };
}
