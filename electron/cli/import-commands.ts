/** import, imports, undo-import, preview, profiles: the importer from a terminal. */
import { parseJsonText } from '../../shared/json-text.js';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { type Command, InvalidArgumentError } from 'commander';
import { api, type Request, type Response } from '../../shared/api.js';
import type { ImportCounts, ImportResult, RowError } from '../../shared/domain.js';
import { CmdbError, type ErrorCode } from '../../shared/errors.js';
import type { ImportProgressEvent } from '../../shared/events.js';
import {
  CI_DEFAULT_FIELDS,
  CI_MAP_FIELDS,
  emptyCellsSchema,
  encodingLabel,
  errorsToCsv,
  importModeSchema,
  type Mapping,
  mappingSchema,
  REL_MAP_FIELDS,
  REQUIRED_FIELDS,
  undoneText,
} from '../../shared/import.js';
import { statusFallbacksFor } from '../../shared/import-vocab.js';
import { defaultDbPath } from '../cmdb/paths.js';
import { prewarmImportWorker } from '../cmdb/import/jobs.js';
import type { CmdbService } from '../cmdb/service.js';
import {
  action,
  cmdbCommand,
  openService,
  shellWord,
  parseInteger,
  requestMax,
  withService,
  table,
  unwrap,
  withCommon,
  type GlobalOpts,
} from './common.js';
import { progressBar, progressLines, rejectionLines, resultLines, short, unrecognisedText } from './import-output.js';
import { exitOnceWritten, printJson, printLines, printResult, stderrIsTerminal } from './terminal.js';
import { refuseOverwrites } from './output-paths.js';
import { missingFolders, removeUnusedNewCmdb } from './new-cmdb-file.js';

interface ImportOpts extends GlobalOpts {
  cis?: string;
  relationships?: string;
  mode?: string;
  emptyCells?: string;
  dryRun?: boolean;
  skipBadRows?: boolean;
  errors?: string;
  source?: string;
  allowRenames?: boolean;
  mapping?: string;
  profile?: string;
  saveProfile?: string;
  encoding?: string;
  delimiter?: string;
  rows?: string;
  allRows?: boolean;
  progress?: string;
}

/** Reads a mapping file: a mapping, or a saved profile ({ name, mapping }). */
export function readMappingFile(path: string): Mapping {
  const parsed = parseJsonText(readFileSync(path, 'utf8'));
  if (!parsed.ok) {
    throw new CmdbError(
      'INVALID_REQUEST',
      `${path}: not a readable JSON mapping: ${parsed.message}. Fix the file; "Mappings" in docs/import.md shows its shape.`,
    );
  }
  const raw = parsed.value;
  const body = raw && typeof raw === 'object' && 'mapping' in raw ? (raw as { mapping: unknown }).mapping : raw;
  const r = mappingSchema.safeParse(body);
  if (!r.success) {
    const problems = r.error.issues.map((i) => {
      const where = i.path.join('.') || '(root)';
      const known = i.code === 'unrecognized_keys' ? MAPPING_KEYS[where] : undefined;
      // Keys are matched exactly: say which ones the place takes, so "Name" or "ciDefault" is a one-edit fix.
      const hint = known ? ` (${where === '(root)' ? 'the mapping' : where} takes ${known.join(', ')})` : '';
      return `${where}: ${i.message.replace(/\.$/, '')}${hint}`;
    });
    throw new CmdbError('INVALID_REQUEST', `${path}: not a valid mapping: ${problems.join('; ')}. See "Mappings" in docs/import.md.`);
  }
  return r.data;
}

/** The keys each part of a mapping takes, for the message about one it does not. */
const MAPPING_KEYS: Record<string, readonly string[]> = {
  '(root)': Object.keys(mappingSchema.shape),
  cis: CI_MAP_FIELDS,
  relationships: REL_MAP_FIELDS,
  ciDefaults: CI_DEFAULT_FIELDS,
  relDefaults: ['type'],
  ignore: ['cis', 'relationships'],
};

export function registerImportCommands(program: Command): void {
  registerImport(program);
  registerImportLog(program);
  registerPreview(program);
  registerProfiles(program);
}

/** `cmdb import`. */
function registerImport(program: Command): void {
  withCommon(program.command('import'))
    .description('import CIs and/or relationships from CSV files (any headers, with a mapping; see docs/import.md)')
    .option(
      '--cis <file>',
      'CIs CSV (id, name, type, status, environment, owner, criticality, description; other columns become attributes)',
      once('--cis'),
    )
    .option(
      '--relationships <file>',
      'relationships CSV (source, target, type, redundancy_group, min_up; other columns become attributes)',
      once('--relationships'),
    )
    .option(
      '--mode <mode>',
      'upsert (default), create-only, update-only, or sync (upsert; retire the CIs and remove the relationships the source no longer lists)',
      'upsert',
    )
    .option(
      '--empty-cells <how>',
      'what an empty cell does to a CI or relationship the import updates: clear (default) clears that field or attribute, keep leaves the stored value (the mapping\'s "emptyCells"; this overrides it)',
    )
    .option('--dry-run', 'report what would change, row by row, and write nothing')
    .option('--skip-bad-rows', 'import the good rows and report the bad ones (default: any bad row rejects the whole import)')
    .option('--errors <file>', 'write the row error report as CSV (file,line,column,message)')
    .option(
      '--source <name>',
      'the import source label: sync retires its CIs and removes its relationships that the files no longer list (default: the CIs file name, else the relationships file name)',
    )
    .option(
      '--allow-renames',
      'import rows whose numbered keys rename and change stored CIs even when they are most of such rows (refused by default as a key collision: another tool numbering its CIs 1, 2, 3 too); give it when they are the same CIs, renamed',
    )
    .option('--mapping <file.json>', 'column mapping (JSON); see "Mappings" in docs/import.md')
    .option('--profile <name>', 'use a saved mapping profile')
    .option('--save-profile <name>', 'save the mapping used (from --mapping) as a profile under this name')
    .option('--encoding <enc>', 'utf8, utf16le, utf16be, windows-1252 or mac-roman (default: detected)')
    .option('--delimiter <d>', 'comma, semicolon, tab or pipe (default: detected)')
    .option('--rows <n>', 'how many per-row results to show in a dry run: the rows it would create or update', '20')
    .option('--all-rows', 'with --rows: list rows of every kind, unchanged, skipped and rejected ones too')
    .option('--progress <when>', 'progress on stderr: auto (a bar on a terminal), lines (a line per second, for logs), none', 'auto')
    .action(
      action(async (opts: ImportOpts) => {
        await runImport(opts);
        // Done and said: the import's thread has closed the CMDB; the process need not wait for it to wind down.
        await exitOnceWritten();
      }),
    );
}

/** A file option taken once: commander keeps only the last of a repeated option, which would drop a file without a word. */
function once(option: string): (value: string, previous: string | undefined) => string {
  return (value, previous) => {
    if (previous !== undefined) {
      throw new InvalidArgumentError(
        `${option} is given twice (${previous}, then ${value}); an import takes one file of each kind. Import the other file with a second cmdb import.`,
      );
    }
    return value;
  };
}

/** The import as `cmdb import` runs it: options checked before the CMDB is opened (which may create it), then one job. */
async function runImport(opts: ImportOpts): Promise<void> {
  if (!opts.cis && !opts.relationships) throw new CmdbError('INVALID_REQUEST', 'give --cis FILE, --relationships FILE, or both.');
  const mode = importModeSchema.safeParse(opts.mode);
  if (!mode.success) throw new CmdbError('INVALID_REQUEST', `unknown --mode "${opts.mode}": use upsert, create-only, update-only or sync.`);
  const emptyCells = opts.emptyCells === undefined ? undefined : emptyCellsSchema.safeParse(opts.emptyCells);
  if (emptyCells && !emptyCells.success) {
    throw new CmdbError(
      'INVALID_REQUEST',
      `unknown --empty-cells "${opts.emptyCells}": use clear (an empty cell clears the stored field or attribute) or keep (an empty cell leaves it).`,
    );
  }
  // Either names the whole mapping (a profile is a saved mapping file): one of them would be dropped without a word.
  if (opts.mapping && opts.profile) {
    throw new CmdbError(
      'INVALID_REQUEST',
      `--mapping ${opts.mapping} and --profile ${opts.profile} each give the whole mapping: give one of them. To keep the file's mapping as that profile, save it (${cmdbCommand(opts, 'profiles save', shellWord(opts.profile), shellWord(opts.mapping))}), then import with --profile ${shellWord(opts.profile)}.`,
    );
  }
  const rowsLimit = parseInteger('--rows', opts.rows, 0, requestMax('startImport', 'rowsLimit')) ?? 20;
  refuseOverwrites(
    opts.db,
    [['--errors', opts.errors]],
    [
      ['--cis', opts.cis],
      ['--relationships', opts.relationships],
      ['--mapping', opts.mapping],
    ],
  );
  const fromFile = opts.mapping ? readMappingFile(opts.mapping) : undefined;
  // --empty-cells over the file's "emptyCells", so that --save-profile keeps it too.
  const mapping = fromFile && emptyCells ? { ...fromFile, emptyCells: emptyCells.data } : fromFile;
  // Before opening (which creates the CMDB file): a missing input must leave no new file behind.
  for (const f of [opts.cis, opts.relationships]) {
    if (f && !existsSync(f)) throw new CmdbError('FILE_NOT_FOUND', `${f}: no such file. Check the path.`);
  }
  // A dry run against a CMDB that does not exist yet runs against an empty one in memory: it creates no file.
  const target = opts.db ?? defaultDbPath();
  const dbPath = opts.dryRun && !existsSync(target) ? ':memory:' : target;
  // The import's thread starts loading now, while this one opens the CMDB and checks the request.
  if (dbPath !== ':memory:') prewarmImportWorker();
  // A failed import into a CMDB that did not exist yet must leave no new file behind.
  const createsFile = dbPath !== ':memory:' && !existsSync(dbPath);
  const newFolders = createsFile ? missingFolders(dbPath) : [];
  let committed = false;
  const svc = openService({ ...opts, db: dbPath }, 'create');
  try {
    if (opts.saveProfile && !mapping)
      throw new CmdbError('INVALID_REQUEST', '--save-profile needs --mapping FILE.json: the mapping to save.');
    // The contract's startImport request, as the app sends it (here naming the files, and the error report to
    // write, by path, which only a local door may), run by the same service method as the app's import.
    const req = api.startImport.request.parse({
      mode: mode.data,
      dryRun: opts.dryRun ?? false,
      skipBadRows: opts.skipBadRows ?? false,
      source: opts.source,
      allowRenames: opts.allowRenames ?? false,
      mapping,
      profile: opts.profile,
      emptyCells: emptyCells?.data,
      encoding: opts.encoding,
      delimiter: opts.delimiter,
      rowsLimit,
      // A re-import's rows are mostly unchanged: by default only those it would create or update are listed.
      rowsKept: opts.allRows ? 'all' : 'changes',
      cis: opts.cis ? { path: opts.cis } : undefined,
      relationships: opts.relationships ? { path: opts.relationships } : undefined,
      errorsFile: opts.errors,
    });
    const result = await runImportJob(svc, req, opts);
    committed = true;
    // The profile is saved with an import that was written: not by a dry run, nor by a rejected import. (On a
    // connection of its own: the service gave its connection up for the import's job.)
    if (opts.saveProfile && mapping && !result.dryRun) await saveProfile({ ...opts, db: dbPath }, opts.saveProfile, mapping);
    // An import into an in-memory CMDB runs in this thread and has its report written from its result.
    if (opts.errors && dbPath === ':memory:' && result.errors.length > 0) writeFileSync(opts.errors, errorsToCsv(result.errors));
    printResult(opts, result, (r) => resultLines(r, opts, opts.errors, opts.skipBadRows));
    if (opts.saveProfile && result.dryRun)
      printLines([`cmdb: the mapping was not saved as profile "${opts.saveProfile}": a dry run writes nothing.`], 'stderr');
    // A dry run that the import would reject fails as the import would (exit 1), so a script can check a file with it.
    if (result.dryRun && result.errors.length > 0 && (!opts.skipBadRows || result.refusedWhole)) {
      const n = result.errors.length;
      printLines(
        [
          `cmdb: the import would be rejected: ${n} row error${n === 1 ? '' : 's'}. ${
            result.refusedWhole
              ? `${n === 1 ? 'It refuses' : 'One of them refuses'} the whole import, even with --skip-bad-rows: fix the rows.`
              : 'Fix the rows, or run with --skip-bad-rows to import the others.'
          }`,
        ],
        'stderr',
      );
      process.exitCode = 1;
    }
  } finally {
    svc.close();
    if (createsFile && !committed) removeUnusedNewCmdb(dbPath, newFolders);
  }
}

/** Saves `mapping` as the profile `name` in the CMDB. */
async function saveProfile(opts: GlobalOpts, name: string, mapping: Mapping): Promise<void> {
  const svc = openService(opts, 'write');
  try {
    await unwrap(svc.call('saveMappingProfile', { name, mapping }));
  } finally {
    svc.close();
  }
}

/**
 * Runs the import through the service's startImport, as the app does, with
 * progress on stderr from its events; Ctrl+C cancels it (writing nothing). A
 * rejection for row errors is shown to a person at a terminal (or as the JSON
 * error with --json) before it is thrown.
 */
async function runImportJob(svc: CmdbService, req: Request<'startImport'>, opts: ImportOpts): Promise<ImportResult> {
  const how = opts.progress ?? 'auto';
  if (!['auto', 'lines', 'none'].includes(how))
    throw new CmdbError('INVALID_REQUEST', `unknown --progress "${how}": use auto, lines or none.`);
  const bar = how === 'lines' ? progressLines() : how === 'auto' && stderrIsTerminal() && !opts.json ? progressBar() : null;
  // Subscribed before the job starts: its events come from the job's thread, and the end must not be missed.
  let jobId: string | null = null;
  const early: ImportProgressEvent[] = [];
  let ended: (() => void) | null = null;
  const end = new Promise<void>((go) => (ended = go));
  const onEvent = (e: ImportProgressEvent): void => {
    if (e.phase === 'done' || e.phase === 'failed' || e.phase === 'cancelled') return ended?.();
    if (bar && e.bytesTotal !== undefined) {
      bar.update({
        phase: e.phase,
        file: e.file ?? null,
        rowsDone: e.rowsDone,
        bytesDone: e.bytesDone ?? 0,
        bytesTotal: e.bytesTotal,
        elapsedMs: e.elapsedMs ?? 0,
      });
    }
  };
  const off = svc.onEvent((e) => {
    if (e.type !== 'import-progress') return;
    if (jobId === null) early.push(e);
    else if (e.jobId === jobId) onEvent(e);
  });
  /** Ctrl+C before the job has its id: cancelled as soon as it has. */
  let cancelAsked = false;
  const cancel = (id: string) =>
    // The import's thread decides (cancel-gate.ts): a cancel that comes as it commits is refused, and said so.
    void svc
      .call('cancelImport', { jobId: id })
      .then((r) =>
        printLines(
          [
            '',
            r.ok && !r.value.cancelled
              ? 'cmdb: too late to cancel: the import is being written. Undo it afterwards with the command printed below.'
              : 'cmdb: cancelling the import (nothing will be written)...',
          ],
          'stderr',
        ),
      );
  const onSigint = () => {
    if (jobId) return cancel(jobId);
    cancelAsked = true;
    printLines(['', 'cmdb: cancelling the import (nothing will be written)...'], 'stderr');
  };
  process.once('SIGINT', onSigint);
  try {
    jobId = (await unwrap(svc.call('startImport', req))).jobId;
    if (cancelAsked) void svc.call('cancelImport', { jobId });
    for (const e of early.splice(0)) if (e.jobId === jobId) onEvent(e);
    await end;
    bar?.clear();
    const job = await unwrap(svc.call('getImportJob', { jobId }));
    if (job.state === 'done' && job.result) return job.result;
    const err = new CmdbError(
      (job.error?.code ?? 'INTERNAL') as ErrorCode,
      job.error?.message ?? 'The import did not finish.',
      job.error?.details,
    );
    if (err.code === 'IMPORT_REJECTED') {
      const d = err.details as { errors: RowError[]; counts: ImportCounts };
      if (opts.json) printJson({ ok: false, error: err.toInfo() });
      // A person at a terminal sees every row error; scripts get the one-line reason below.
      else if (stderrIsTerminal()) printLines(rejectionLines(d.errors, opts.errors), 'stderr');
    }
    throw err;
  } finally {
    bar?.clear();
    off();
    process.removeListener('SIGINT', onSigint);
  }
}

/** `cmdb imports` and `cmdb undo-import`: the import log and undoing one import. */
function registerImportLog(program: Command): void {
  withCommon(program.command('imports'))
    .description('list the imports, newest first')
    .option('--limit <n>', 'how many', '20')
    .action(
      action(async (opts: GlobalOpts & { limit: string }) => {
        const limit = parseInteger('--limit', opts.limit, 1, requestMax('listImports', 'limit'));
        await withService(opts, 'read', async (svc) => {
          printResult(opts, await unwrap(svc.call('listImports', { limit })), importLogLines);
        });
      }),
    );

  withCommon(program.command('undo-import'))
    .description('revert one import as a whole (refused when a later import or edit changed the same CIs)')
    .argument('<id>', 'the import number (see cmdb imports)')
    .action(
      action(async (id: string, opts: GlobalOpts) => {
        if (!/^\d+$/.test(id) || !Number.isSafeInteger(Number(id)))
          throw new CmdbError(
            'INVALID_REQUEST',
            `"${id}" is not an import number. The imports are listed by: ${cmdbCommand(opts, 'imports')}`,
          );
        await withService(opts, 'write', async (svc) => {
          printResult(opts, await unwrap(svc.call('undoImport', { id: Number(id) })), (r) => [undoneText(r)]);
        });
      }),
    );
}

/** The import log for a person: one row per import, newest first. */
function importLogLines(r: Response<'listImports'>): string[] {
  if (r.items.length === 0) return ['No imports yet.'];
  const c = (n: number | undefined) => String(n ?? 0);
  return table([
    ['ID', 'STARTED', 'MODE', 'FILES', 'SOURCE', 'CREATED', 'UPDATED', 'RETIRED', 'RELS', 'MS', 'UNDONE'],
    ...r.items.map((i) => [
      String(i.id),
      i.startedAt.replace('T', ' ').slice(0, 19),
      i.mode,
      i.files.join(', '),
      // What a sync retires and removes under (--source; the CIs file's name by default).
      i.source ?? '',
      c(i.counts.created),
      c(i.counts.updated),
      c(i.counts.retired),
      // Created or updated, and what a sync removed (the source's relationships its file no longer lists).
      `${c((i.counts.relationshipsCreated ?? 0) + (i.counts.relationshipsUpdated ?? 0))}${i.counts.relationshipsRemoved ? ` (${i.counts.relationshipsRemoved} removed)` : ''}`,
      String(i.durationMs ?? ''),
      i.undoneAt ? i.undoneAt.replace('T', ' ').slice(0, 19) : '',
    ]),
  ]);
}

/** `cmdb preview`: how a CSV reads, and the mapping suggested for it. */
function registerPreview(program: Command): void {
  withCommon(program.command('preview'))
    .description('show how a CSV reads: encoding, delimiter, header, first rows and the suggested mapping')
    .argument('<file>', 'the CSV file')
    .option('--rows <n>', 'how many rows', '5')
    .option('--encoding <enc>', 'force the encoding')
    .option('--delimiter <d>', 'force the delimiter')
    .option('--write-mapping <file.json>', 'write the suggested mapping to a file, to edit and pass to cmdb import --mapping')
    .action(
      action(async (file: string, opts: GlobalOpts & { rows: string; encoding?: string; delimiter?: string; writeMapping?: string }) => {
        refuseOverwrites(opts.db, [['--write-mapping', opts.writeMapping]], [['preview', file]]);
        // Reading a CSV needs no CMDB: an empty one in memory serves the request.
        await withService({ db: ':memory:' }, 'create', async (svc) => {
          const p = await unwrap(
            svc.call('previewCsv', {
              file: { path: file },
              rows: parseInteger('--rows', opts.rows, 1, requestMax('previewCsv', 'rows')),
              encoding: opts.encoding,
              delimiter: opts.delimiter,
            }),
          );
          if (opts.writeMapping) writeFileSync(opts.writeMapping, `${JSON.stringify(p.suggested, null, 2)}\n`);
          printResult(opts, p, previewLines(opts.writeMapping));
        });
      }),
    );
}

/** `, or where it is empty install_status`: the columns the suggested status is read from where its cell is empty. */
function orWhereEmpty(p: Response<'previewCsv'>): string {
  const fallbacks = p.kind === 'cis' ? statusFallbacksFor(p.statusFallbacks, p.suggested.cis ?? {}) : [];
  return fallbacks.length > 0 ? `, or where it is empty ${fallbacks.join(', then ')}` : '';
}

/** `cmdb preview` for a person: what the file is, its first rows, the suggested mapping. */
function previewLines(writeMapping: string | undefined): (p: Response<'previewCsv'>) => string[] {
  return (p) => {
    const delim = p.delimiter === '\t' ? 'tab' : p.delimiter;
    return [
      `${p.name}: ${p.kind === 'cis' ? 'a CIs file' : 'a relationships file'}, encoding ${encodingLabel(p.encoding)}, delimiter ${delim}`,
      ...table([p.headers, ...p.rows.map((r) => r.map((v) => short(v)))]),
      'Suggested mapping (field <- column):',
      ...Object.entries(p.suggested.cis ?? p.suggested.relationships ?? {}).map(
        ([f, h]) => `  ${f.padEnd(16)} <- ${h}${f === 'status' ? orWhereEmpty(p) : ''}`,
      ),
      ...p.warnings.map((w) => `Note: ${w}`),
      ...missingFieldsNote(p),
      ...unrecognisedText(p.unrecognisedValues, ` (in the ${p.rows.length} rows shown)`),
      writeMapping ? `Wrote the suggested mapping to ${writeMapping}.` : '',
    ].filter(Boolean);
  };
}

/** The fields an import needs that no column was recognised for: the import would stop there, so preview says what to do. */
function missingFieldsNote(p: Response<'previewCsv'>): string[] {
  const found: Partial<Record<string, string>> = (p.kind === 'cis' ? p.suggested.cis : p.suggested.relationships) ?? {};
  const missing = REQUIRED_FIELDS[p.kind].filter((f) => !found[f]);
  if (missing.length === 0) return [];
  const part = p.kind === 'cis' ? 'cis' : 'relationships';
  const example = missing.map((f) => `"${f}": "COLUMN"`).join(', ');
  const byDefault = missing.includes('type')
    ? `, or give every row one type with ${p.kind === 'cis' ? 'ciDefaults' : 'relDefaults'}.type`
    : '';
  // Read as CIs for want of source and target headers; a link export (a column per end) is a relationships file all the same.
  const orRelationships =
    p.kind === 'cis' && missing.includes('name')
      ? ' If the file links CIs (a column per end), import it with --relationships and map "relationships": { "source", "target" }.'
      : '';
  return [
    `Note: no column was recognised for ${missing.join(', ')}, which the import needs. Name the columns in a mapping ("${part}": { ${example} })${byDefault}; see "Mappings" in docs/import.md.${orRelationships}`,
  ];
}

/** `cmdb profiles`: saved mapping profiles. */
function registerProfiles(program: Command): void {
  withCommon(program.command('profiles'))
    .description('list, save or delete saved mapping profiles')
    .argument('[action]', 'list (default), save or delete', 'list')
    .argument('[name]', 'the profile name (save, delete)')
    .argument('[file]', 'the mapping JSON file (save)')
    .action(
      action(async (act: string, name: string | undefined, file: string | undefined, opts: GlobalOpts) => {
        await withService(opts, act === 'save' ? 'create' : act === 'list' ? 'read' : 'write', async (svc) => {
          if (act === 'list') {
            printResult(opts, await unwrap(svc.call('listMappingProfiles', {})), (r) =>
              r.items.length === 0 ? ['No mapping profiles saved.'] : r.items.map((p) => `${p.name}  (updated ${p.updatedAt})`),
            );
          } else if (act === 'save') {
            if (!name || !file) throw new CmdbError('INVALID_REQUEST', 'usage: cmdb profiles save NAME FILE.json');
            printResult(opts, await unwrap(svc.call('saveMappingProfile', { name, mapping: readMappingFile(file) })), (p) => [
              `Saved mapping profile "${p.name}". Use it with: ${cmdbCommand(opts, 'import', '--profile', shellWord(p.name), '...')}`,
            ]);
          } else if (act === 'delete') {
            if (!name) throw new CmdbError('INVALID_REQUEST', 'usage: cmdb profiles delete NAME');
            const r = await unwrap(svc.call('deleteMappingProfile', { name }));
            // Nothing deleted is a failure, as deleting a baseline that is not there is: a script learns by the exit.
            if (!r.deleted)
              throw new CmdbError('NOT_FOUND', `No mapping profile named "${name}". List them with: ${cmdbCommand(opts, 'profiles list')}`);
            printResult(opts, r, () => [`Deleted mapping profile "${name}".`]);
          } else {
            throw new CmdbError('INVALID_REQUEST', `unknown action "${act}": use list, save or delete.`);
          }
        });
      }),
    );
}
