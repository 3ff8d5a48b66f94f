/** import, imports, undo-import, preview, profiles: the importer from a terminal. */
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import type { ImportCounts, ImportResult, RowError } from '../../shared/domain.js';
import { CmdbError } from '../../shared/errors.js';
import { errorsToCsv, importModeSchema, importOptionsSchema, type Mapping, mappingSchema } from '../../shared/import.js';
import type { ImportProgress } from '../cmdb/import/engine.js';
import { startImportJob } from '../cmdb/import/jobs.js';
import { defaultDbPath } from '../cmdb/paths.js';
import { action, openService, parseInteger, withService, table, unwrap, withCommon, type GlobalOpts } from './common.js';
import { clearStatusLine, oneLine, printJson, printLines, statusLine, stderrIsTerminal } from './terminal.js';

interface ImportOpts extends GlobalOpts {
  cis?: string;
  relationships?: string;
  mode?: string;
  dryRun?: boolean;
  skipBadRows?: boolean;
  errors?: string;
  source?: string;
  mapping?: string;
  profile?: string;
  saveProfile?: string;
  encoding?: string;
  delimiter?: string;
  rows?: string;
  progress?: string;
}

/** Reads a mapping file: a mapping, or a saved profile ({ name, mapping }). */
export function readMappingFile(path: string): Mapping {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new CmdbError('INVALID_REQUEST', `${path}: not a readable JSON mapping (${err instanceof Error ? err.message : String(err)}).`);
  }
  const body = raw && typeof raw === 'object' && 'mapping' in raw ? (raw as { mapping: unknown }).mapping : raw;
  const r = mappingSchema.safeParse(body);
  if (!r.success) {
    throw new CmdbError(
      'INVALID_REQUEST',
      `${path}: not a valid mapping: ${r.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}. See "Mappings" in docs/import.md.`,
    );
  }
  return r.data;
}

function countsLine(c: ImportCounts): string {
  const parts = [
    `CIs ${c.created} created, ${c.updated} updated, ${c.unchanged} unchanged`,
    c.retired ? `${c.retired} retired` : '',
    c.skipped ? `${c.skipped} skipped` : '',
    c.rejected ? `${c.rejected} rejected` : '',
  ].filter(Boolean);
  const rel = [
    `relationships ${c.relationshipsCreated} created, ${c.relationshipsUpdated} updated, ${c.relationshipsUnchanged} unchanged`,
    c.relationshipsSkipped ? `${c.relationshipsSkipped} skipped` : '',
    c.relationshipsRejected ? `${c.relationshipsRejected} rejected` : '',
  ].filter(Boolean);
  return `${parts.join(', ')}; ${rel.join(', ')}`;
}

function errorLines(errors: readonly RowError[], max = 20): string[] {
  const shown = errors.slice(0, max).map((e) => `  ${e.file}:${e.line}${e.column ? ` [${e.column}]` : ''}  ${e.message}`);
  if (errors.length > max) shown.push(`  ... and ${errors.length - max} more (write them all with --errors FILE)`);
  return shown;
}

/** A value on one line (a quoted cell can hold line breaks: shown as ↵), cut at 40 characters before it is escaped. */
function short(v: unknown): string {
  const s = typeof v === 'string' ? v : JSON.stringify(v);
  return oneLine(s.length > 40 ? `${s.slice(0, 37)}...` : s);
}

/** A one-line progress bar on stderr, redrawn at most 10 times a second. */
function progressBar(): { update(p: ImportProgress): void; clear(): void } {
  let last = 0;
  return {
    update(p) {
      const now = Date.now();
      if (now - last < 100) return;
      last = now;
      const frac = p.bytesTotal > 0 ? Math.min(1, p.bytesDone / p.bytesTotal) : 0;
      const width = 30;
      const filled = Math.round(frac * width);
      const rate = p.elapsedMs > 0 ? Math.round((p.rowsDone * 1000) / p.elapsedMs) : 0;
      const phase = p.phase === 'validating' ? 'indexing' : (p.file ?? '');
      statusLine(
        `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(frac * 100).toFixed(0).padStart(3)}%  ${p.rowsDone.toLocaleString('en')} rows  ${rate.toLocaleString('en')}/s  ${phase}`,
      );
    },
    clear: clearStatusLine,
  };
}

/** Progress as plain lines on stderr, at most one a second: for logs, scripts and tests. */
function progressLines(): { update(p: ImportProgress): void; clear(): void } {
  let last = 0;
  return {
    update(p) {
      const now = Date.now();
      if (now - last < 1000) return;
      last = now;
      const rate = p.elapsedMs > 0 ? Math.round((p.rowsDone * 1000) / p.elapsedMs) : 0;
      printLines([`progress: ${p.rowsDone} rows, ${p.bytesDone}/${p.bytesTotal} bytes, ${rate} rows/s, ${p.phase}`], 'stderr');
    },
    clear() {},
  };
}

export function registerImportCommands(program: Command): void {
  withCommon(program.command('import'))
    .description('import CIs and/or relationships from CSV files (any headers, with a mapping; see docs/import.md)')
    .option(
      '--cis <file>',
      'CIs CSV (id, name, type, status, environment, owner, criticality, description; other columns become attributes)',
    )
    .option('--relationships <file>', 'relationships CSV (source, target, type, redundancy_group, min_up; other columns become attributes)')
    .option(
      '--mode <mode>',
      'upsert (default), create-only, update-only, or sync (upsert, and retire what the source no longer lists)',
      'upsert',
    )
    .option('--dry-run', 'report what would change, row by row, and write nothing')
    .option('--skip-bad-rows', 'import the good rows and report the bad ones (default: any bad row rejects the whole import)')
    .option('--errors <file>', 'write the row error report as CSV (file,line,column,message)')
    .option('--source <name>', 'the import source label sync mode retires by (default: the CIs file name)')
    .option('--mapping <file.json>', 'column mapping (JSON); see "Mappings" in docs/import.md')
    .option('--profile <name>', 'use a saved mapping profile')
    .option('--save-profile <name>', 'save the mapping used (from --mapping) as a profile under this name')
    .option('--encoding <enc>', 'utf8, utf16le, utf16be or windows-1252 (default: detected)')
    .option('--delimiter <d>', 'comma, semicolon, tab or pipe (default: detected)')
    .option('--rows <n>', 'how many per-row results to show in a dry run', '20')
    .option('--progress <when>', 'progress on stderr: auto (a bar on a terminal), lines (a line per second, for logs), none', 'auto')
    .action(
      action(async (opts: ImportOpts) => {
        if (!opts.cis && !opts.relationships) throw new CmdbError('INVALID_REQUEST', 'give --cis FILE, --relationships FILE, or both.');
        const mode = importModeSchema.safeParse(opts.mode);
        if (!mode.success)
          throw new CmdbError('INVALID_REQUEST', `unknown --mode "${opts.mode}": use upsert, create-only, update-only or sync.`);
        const rowsLimit = parseInteger('--rows', opts.rows) ?? 20;
        const mapping = opts.mapping ? readMappingFile(opts.mapping) : undefined;
        // Before opening (which creates the CMDB file): a missing input must leave no new file behind.
        for (const f of [opts.cis, opts.relationships]) {
          if (f && !existsSync(f)) throw new CmdbError('FILE_NOT_FOUND', `${f}: no such file. Check the path.`);
        }
        // A dry run against a CMDB that does not exist yet runs against an empty one in memory: it creates no file.
        const target = opts.db ?? defaultDbPath();
        const dbPath = opts.dryRun && !existsSync(target) ? ':memory:' : target;
        // A failed import into a CMDB that did not exist yet must leave no new file behind.
        const createsFile = dbPath !== ':memory:' && !existsSync(dbPath);
        let committed = false;
        const svc = openService({ ...opts, db: dbPath }, 'create');
        try {
          if (opts.saveProfile) {
            if (!mapping) throw new CmdbError('INVALID_REQUEST', '--save-profile needs --mapping FILE.json: the mapping to save.');
            await unwrap(svc.call('saveMappingProfile', { name: opts.saveProfile, mapping }));
          }
          const req = importOptionsSchema.parse({
            mode: mode.data,
            dryRun: opts.dryRun ?? false,
            skipBadRows: opts.skipBadRows ?? false,
            source: opts.source,
            mapping,
            profile: opts.profile,
            encoding: opts.encoding,
            delimiter: opts.delimiter,
            rowsLimit,
          });
          const spec = svc.imports.spec({
            ...req,
            cis: opts.cis ? { path: opts.cis } : undefined,
            relationships: opts.relationships ? { path: opts.relationships } : undefined,
          });
          spec.errorsFile = opts.errors;
          const how = opts.progress ?? 'auto';
          if (!['auto', 'lines', 'none'].includes(how))
            throw new CmdbError('INVALID_REQUEST', `unknown --progress "${how}": use auto, lines or none.`);
          const bar = how === 'lines' ? progressLines() : how === 'auto' && stderrIsTerminal() && !opts.json ? progressBar() : null;
          // The import runs on a connection of its own (a worker thread): this one closes first, so a big load
          // into an empty CMDB finds itself alone with the file and can skip the WAL (see engine.ts). Only an
          // in-memory CMDB (a dry run with no file) is shared, as nothing else can reach it.
          const inMemory = dbPath === ':memory:';
          if (!inMemory) svc.close();
          const job = startImportJob(dbPath, inMemory ? svc.db : null, spec, bar ? (p) => bar.update(p) : undefined);
          const onSigint = () => {
            printLines(['', 'cmdb: cancelling the import (nothing will be written)...'], 'stderr');
            job.cancel();
          };
          process.once('SIGINT', onSigint);
          let result: ImportResult;
          try {
            result = await job.done;
          } catch (err) {
            bar?.clear();
            if (err instanceof CmdbError && err.code === 'IMPORT_REJECTED') {
              const d = err.details as { errors: RowError[]; counts: ImportCounts };
              if (opts.json) printJson({ ok: false, error: err.toInfo() });
              else if (stderrIsTerminal()) {
                // A person at a terminal sees every row error; scripts get the one-line reason below.
                printLines(
                  [
                    `Rejected: nothing was imported. ${d.errors.length} row error${d.errors.length === 1 ? '' : 's'}:`,
                    ...errorLines(d.errors),
                    ...(opts.errors ? [`The full error report is in ${opts.errors}.`] : []),
                  ],
                  'stderr',
                );
              }
            }
            throw err;
          } finally {
            process.removeListener('SIGINT', onSigint);
          }
          committed = true;
          bar?.clear();
          if (opts.errors && !job.threaded && result.errors.length > 0) writeFileSync(opts.errors, errorsToCsv(result.errors));
          if (opts.json) return printJson(result);
          const out: string[] = [];
          out.push(
            `${result.dryRun ? `Dry run (${result.mode}; nothing written): would import` : `Import ${result.importId} (${result.mode}):`} ${countsLine(result.counts)} (${result.durationMs} ms).`,
          );
          if (result.dryRun && result.rows.length > 0) {
            out.push('First rows:');
            for (const r of result.rows) {
              const ch = r.changes
                ? Object.entries(r.changes)
                    .map(([f, c]) => (r.action === 'create' ? `${f}=${short(c.to)}` : `${f}: ${short(c.from)} -> ${short(c.to)}`))
                    .join(', ')
                : '';
              out.push(`  ${r.file}:${r.line}  ${r.action.padEnd(9)} ${r.key}${ch ? `  ${ch}` : ''}`);
            }
          }
          if (result.errors.length > 0) {
            out.push(`${result.dryRun ? 'Row errors (the import would be rejected unless --skip-bad-rows):' : 'Skipped bad rows:'}`);
            out.push(...errorLines(result.errors));
            if (opts.errors) out.push(`The full error report is in ${opts.errors}.`);
          }
          if (result.createdTypes.length + result.createdRelTypes.length > 0) {
            out.push(
              `New types added to the registry and flagged for review: ${[...result.createdTypes, ...result.createdRelTypes].join(', ')}`,
            );
          }
          for (const w of result.warnings) out.push(`Note: ${w}`);
          if (!result.dryRun && result.importId !== null) out.push(`Undo it with: cmdb undo-import ${result.importId}`);
          printLines(out);
        } finally {
          svc.close();
          if (createsFile && !committed) for (const f of [dbPath, `${dbPath}-wal`, `${dbPath}-shm`]) rmSync(f, { force: true });
        }
      }),
    );

  withCommon(program.command('imports'))
    .description('list the imports, newest first')
    .option('--limit <n>', 'how many', '20')
    .action(
      action(async (opts: GlobalOpts & { limit: string }) => {
        const limit = parseInteger('--limit', opts.limit, 1);
        await withService(opts, 'read', async (svc) => {
          const r = await unwrap(svc.call('listImports', { limit }));
          if (opts.json) return printJson(r);
          if (r.items.length === 0) return printLines(['No imports yet.']);
          const c = (n: number | undefined) => String(n ?? 0);
          printLines(
            table([
              ['ID', 'STARTED', 'MODE', 'FILES', 'CREATED', 'UPDATED', 'RETIRED', 'RELS', 'MS', 'UNDONE'],
              ...r.items.map((i) => [
                String(i.id),
                i.startedAt.replace('T', ' ').slice(0, 19),
                i.mode,
                i.files.join(', '),
                c(i.counts.created),
                c(i.counts.updated),
                c(i.counts.retired),
                c((i.counts.relationshipsCreated ?? 0) + (i.counts.relationshipsUpdated ?? 0)),
                String(i.durationMs ?? ''),
                i.undoneAt ? i.undoneAt.replace('T', ' ').slice(0, 19) : '',
              ]),
            ]),
          );
        });
      }),
    );

  withCommon(program.command('undo-import'))
    .description('revert one import as a whole (refused when a later import or edit changed the same CIs)')
    .argument('<id>', 'the import number (see cmdb imports)')
    .action(
      action(async (id: string, opts: GlobalOpts) => {
        if (!/^\d+$/.test(id)) throw new CmdbError('INVALID_REQUEST', `"${id}" is not an import number; see cmdb imports.`);
        await withService(opts, 'write', async (svc) => {
          const r = await unwrap(svc.call('undoImport', { id: Number(id) }));
          if (opts.json) return printJson(r);
          printLines([
            `Undid import ${r.importId}: ${r.cisDeleted} CIs removed, ${r.cisRestored} restored; ${r.relationshipsDeleted} relationships removed, ${r.relationshipsRestored} restored.${r.typesRemoved.length > 0 ? ` Types removed: ${r.typesRemoved.join(', ')}.` : ''}`,
          ]);
        });
      }),
    );

  withCommon(program.command('preview'))
    .description('show how a CSV reads: encoding, delimiter, header, first rows and the suggested mapping')
    .argument('<file>', 'the CSV file')
    .option('--rows <n>', 'how many rows', '5')
    .option('--encoding <enc>', 'force the encoding')
    .option('--delimiter <d>', 'force the delimiter')
    .option('--write-mapping <file.json>', 'write the suggested mapping to a file, to edit and pass to cmdb import --mapping')
    .action(
      action(async (file: string, opts: GlobalOpts & { rows: string; encoding?: string; delimiter?: string; writeMapping?: string }) => {
        // Reading a CSV needs no CMDB: an empty one in memory serves the request.
        await withService({ db: ':memory:' }, 'create', async (svc) => {
          const p = await unwrap(
            svc.call('previewCsv', {
              file: { path: file },
              rows: parseInteger('--rows', opts.rows, 1),
              encoding: opts.encoding,
              delimiter: opts.delimiter,
            }),
          );
          if (opts.writeMapping) writeFileSync(opts.writeMapping, `${JSON.stringify(p.suggested, null, 2)}\n`);
          if (opts.json) return printJson(p);
          const delim = p.delimiter === '\t' ? 'tab' : p.delimiter;
          printLines(
            [
              `${p.name}: ${p.kind === 'cis' ? 'a CIs file' : 'a relationships file'}, encoding ${p.encoding}, delimiter ${delim}`,
              ...table([p.headers, ...p.rows.map((r) => r.map((v) => short(v)))]),
              'Suggested mapping (field <- column):',
              ...Object.entries(p.suggested.cis ?? p.suggested.relationships ?? {}).map(([f, h]) => `  ${f.padEnd(16)} <- ${h}`),
              ...p.warnings.map((w) => `Note: ${w}`),
              opts.writeMapping ? `Wrote the suggested mapping to ${opts.writeMapping}.` : '',
            ].filter(Boolean),
          );
        });
      }),
    );

  withCommon(program.command('profiles'))
    .description('list, save or delete saved mapping profiles')
    .argument('[action]', 'list (default), save or delete', 'list')
    .argument('[name]', 'the profile name (save, delete)')
    .argument('[file]', 'the mapping JSON file (save)')
    .action(
      action(async (act: string, name: string | undefined, file: string | undefined, opts: GlobalOpts) => {
        await withService(opts, act === 'save' ? 'create' : act === 'list' ? 'read' : 'write', async (svc) => {
          if (act === 'list') {
            const r = await unwrap(svc.call('listMappingProfiles', {}));
            if (opts.json) return printJson(r);
            printLines(r.items.length === 0 ? ['No mapping profiles saved.'] : r.items.map((p) => `${p.name}  (updated ${p.updatedAt})`));
          } else if (act === 'save') {
            if (!name || !file) throw new CmdbError('INVALID_REQUEST', 'usage: cmdb profiles save NAME FILE.json');
            const p = await unwrap(svc.call('saveMappingProfile', { name, mapping: readMappingFile(file) }));
            if (opts.json) return printJson(p);
            printLines([`Saved mapping profile "${p.name}". Use it with: cmdb import --profile "${p.name}" ...`]);
          } else if (act === 'delete') {
            if (!name) throw new CmdbError('INVALID_REQUEST', 'usage: cmdb profiles delete NAME');
            const r = await unwrap(svc.call('deleteMappingProfile', { name }));
            if (opts.json) return printJson(r);
            printLines([r.deleted ? `Deleted mapping profile "${name}".` : `No mapping profile named "${name}".`]);
          } else {
            throw new CmdbError('INVALID_REQUEST', `unknown action "${act}": use list, save or delete.`);
          }
        });
      }),
    );
}
