/**
 * The import's plain constants and the row-error report's row, apart from
 * the contract's schemas (shared/import.ts re-exports them): the import's
 * worker threads load these without zod, which would take a tenth of their
 * start-up to parse and build.
 */
import type { RowError } from './domain.js';

/** The CI fields a CSV column can map onto. `id` is the external key. */
export const CI_MAP_FIELDS = ['id', 'name', 'type', 'status', 'environment', 'owner', 'criticality', 'description'] as const;
export type CiMapField = (typeof CI_MAP_FIELDS)[number];

/**
 * The relationship fields a CSV column can map onto. `source`/`target` name
 * the endpoint CIs (by key, or by name where unique); `source_type`/
 * `target_type` narrow a name match to one CI type.
 */
export const REL_MAP_FIELDS = ['source', 'target', 'type', 'redundancy_group', 'min_up', 'source_type', 'target_type'] as const;
export type RelMapField = (typeof REL_MAP_FIELDS)[number];

/** An earlier source a refused sync names (import/stages/source-split.ts): its name, and how many of the file's CIs it holds. */
export interface EarlierSource {
  source: string;
  cis: number;
}

/** The earlier sources a refused sync's error names in its details, the most CIs first (none for any other error). */
export function earlierSourcesOf(details: unknown): EarlierSource[] {
  const list = (details as { earlierSources?: unknown } | null | undefined)?.earlierSources;
  if (!Array.isArray(list)) return [];
  return list.filter(
    (e): e is EarlierSource => typeof (e as EarlierSource)?.source === 'string' && typeof (e as EarlierSource).cis === 'number',
  );
}

/** Whether an import's error is the refusal of a key collision (import/stages/renames.ts): the wizard then offers Allow renames. */
export function isKeyCollision(details: unknown): boolean {
  const d = details as { renamed?: unknown; matched?: unknown } | null | undefined;
  return typeof d?.renamed === 'number' && typeof d.matched === 'number';
}

/** How many of a sync's retired CIs and removed relationships an import result names. */
export const UNLISTED_SHOWN = 100;

/** The columns of the row-error report (`cmdb import --errors FILE`, the wizard's Download errors). */
export const ERROR_COLUMNS = ['file', 'line', 'column', 'message'] as const;

/** One row error as a row of the report. */
export function errorReportRow(e: RowError): string[] {
  return [e.file, String(e.line), e.column ?? '', e.message];
}

/**
 * Whether a header is the name a column without a header name gets by its place (index from 0), as Excel names it in a table:
 * `Column4`, with `_2` after it when another column has that name (electron/cmdb/import/unnamed-columns.ts).
 */
export function isPlaceName(header: string, index: number): boolean {
  // Asked of every empty attribute cell an import reads (row-cells.ts): most names are turned away at once.
  if (!header.startsWith('Column')) return false;
  const rest = header.slice(`Column${index + 1}`.length);
  return header.startsWith(`Column${index + 1}`) && (rest === '' || /^_\d+$/.test(rest));
}
