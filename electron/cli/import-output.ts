/** What `cmdb import` and `cmdb preview` print for people: counts, row errors, dry-run rows, progress. */
import type { ImportCounts, ImportResult, RowError } from '../../shared/domain.js';
import { changedFields, formatCount } from '../../shared/format.js';
import { newTypesLines, unlistedLines } from '../../shared/import.js';
import { unrecognisedLines } from '../../shared/import-vocab.js';
import type { ImportProgress } from '../cmdb/import/engine.js';
import { cmdbCommand, type GlobalOpts } from './common.js';
import { clearStatusLine, oneLine, printLines, statusLine, valueText } from './terminal.js';

/** An import's counts on one line: CIs, then relationships; zero retired, removed, skipped and rejected left out. */
function countsLine(c: ImportCounts): string {
  const parts = [
    `CIs ${c.created} created, ${c.updated} updated, ${c.unchanged} unchanged`,
    c.retired ? `${c.retired} retired` : '',
    c.skipped ? `${c.skipped} skipped` : '',
    c.rejected ? `${c.rejected} rejected` : '',
  ].filter(Boolean);
  const rel = [
    `relationships ${c.relationshipsCreated} created, ${c.relationshipsUpdated} updated, ${c.relationshipsUnchanged} unchanged`,
    c.relationshipsRemoved ? `${c.relationshipsRemoved} removed` : '',
    c.relationshipsSkipped ? `${c.relationshipsSkipped} skipped` : '',
    c.relationshipsRejected ? `${c.relationshipsRejected} rejected` : '',
  ].filter(Boolean);
  return `${parts.join(', ')}; ${rel.join(', ')}`;
}

/** Row errors, one a line, the first `max` of them. */
export function errorLines(errors: readonly RowError[], max = 20): string[] {
  const shown = errors.slice(0, max).map((e) => `  ${e.file}:${e.line}${e.column ? ` [${e.column}]` : ''}  ${e.message}`);
  if (errors.length > max) shown.push(`  ... and ${errors.length - max} more (write them all with --errors FILE)`);
  return shown;
}

/** A value on one line (a quoted cell can hold line breaks: shown as ↵), cut at 40 characters before it is escaped. */
export function short(v: unknown): string {
  const s = typeof v === 'string' ? v : JSON.stringify(v);
  return oneLine(s.length > 40 ? `${s.slice(0, 37)}...` : s);
}

/** A value in a change as every command writes it (valueText: NOT_SET when not set), cut as `short` cuts it. */
const changeValue = (v: unknown): string => short(valueText(v));

/**
 * A row's changes on one line: `owner: team-a -> team-b, Rack: (not set) -> R12`, each changed attribute by its
 * name (shared/format.ts changedFields); a created CI's values as `field=value`.
 */
export function changesText(changes: Record<string, { from: unknown; to: unknown }>, created: boolean): string {
  return changedFields(changes)
    .map((c) => (created ? `${c.field}=${changeValue(c.to)}` : `${c.field}: ${changeValue(c.from)} -> ${changeValue(c.to)}`))
    .join(', ');
}

/** A one-line progress bar on stderr, redrawn at most 10 times a second. */
export function progressBar(): { update(p: ImportProgress): void; clear(): void } {
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
export function progressLines(): { update(p: ImportProgress): void; clear(): void } {
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

/**
 * A dry run's rows, each with its changes: the rows it would create or update (`rowsKept: 'changes'`, the
 * CLI's default, so a re-import's unchanged rows do not crowd them out), or its first rows of every kind.
 */
function dryRowLines(result: ImportResult): string[] {
  const c = result.counts;
  const changing = c.created + c.updated + c.relationshipsCreated + c.relationshipsUpdated;
  const out: string[] = [];
  if (result.rowsKept === 'changes') {
    if (changing === 0) return ['No row would be created or updated.'];
    if (result.rows.length === 0) return [];
    out.push(
      result.rows.length < changing
        ? `Rows that would change (the first ${formatCount(result.rows.length)} of ${formatCount(changing)}; --rows N for more):`
        : 'Rows that would change:',
    );
  } else {
    if (result.rows.length === 0) return [];
    out.push('First rows:');
  }
  for (const r of result.rows) {
    const ch = r.changes ? changesText(r.changes, r.action === 'create') : '';
    // A sync's retirements and removals are of rows the file does not list: no line to name.
    const at = r.line > 0 ? `${r.file}:${r.line}` : `${r.file} (not listed)`;
    out.push(`  ${at}  ${r.action.padEnd(9)} ${r.key}${ch ? `  ${ch}` : ''}`);
  }
  return out;
}

/**
 * An import's result for a person: the counts, a dry run's first rows, row
 * errors, new types, notes, how to undo it. `skipBadRows`: whether the import
 * skips bad rows (a dry run's row errors then say so, not that it would be rejected).
 */
export function resultLines(result: ImportResult, opts: GlobalOpts, errorsFile: string | undefined, skipBadRows = false): string[] {
  const out: string[] = [];
  out.push(
    `${result.dryRun ? `Dry run (${result.mode}; nothing written): would import` : `Import ${result.importId} (${result.mode}):`} ${countsLine(result.counts)} (${result.durationMs} ms).`,
    ...unlistedLines(result),
  );
  if (result.dryRun) out.push(...dryRowLines(result));
  if (result.errors.length > 0) {
    out.push(
      !result.dryRun
        ? 'Skipped bad rows:'
        : result.refusedWhole
          ? 'Row errors (the import would be refused as a whole, even with --skip-bad-rows):'
          : skipBadRows
            ? 'Row errors (the import would skip these rows):'
            : 'Row errors (the import would be rejected unless --skip-bad-rows):',
    );
    out.push(...errorLines(result.errors));
    if (errorsFile) out.push(`The full error report is in ${errorsFile}.`);
  }
  out.push(...newTypesLines(result, result.dryRun));
  out.push(...unrecognisedText(result.unrecognisedValues));
  for (const w of result.warnings) out.push(`Note: ${w}`);
  if (!result.dryRun && result.importId !== null) out.push(`Undo it with: ${cmdbCommand(opts, 'undo-import', String(result.importId))}`);
  return out;
}

/** Criticality and status values not on the scales, a line per field (none when every value was understood). */
export function unrecognisedText(values: ImportResult['unrecognisedValues'], where = ''): string[] {
  const lines = unrecognisedLines(values);
  if (lines.length === 0) return [];
  return lines.length === 1
    ? [`Values not on the registry's scales${where}: ${lines[0]}`]
    : [`Values not on the registry's scales${where}:`, ...lines.map((l) => `  ${l}`)];
}

/** What a person at a terminal sees of an import rejected for its row errors (scripts get the one-line reason). */
export function rejectionLines(errors: readonly RowError[], errorsFile: string | undefined): string[] {
  return [
    `Rejected: nothing was imported. ${errors.length} row error${errors.length === 1 ? '' : 's'}:`,
    ...errorLines(errors),
    ...(errorsFile ? [`The full error report is in ${errorsFile}.`] : []),
  ];
}
