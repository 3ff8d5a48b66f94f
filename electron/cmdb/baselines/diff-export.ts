/**
 * A diff as a file for an audit or a CAB pack: CSV (one row per added or
 * removed CI or relationship, one row per changed field), Markdown (what was
 * compared, a summary, then a table per kind of change) or JSON (the diff as
 * the API answers it, its provenance included). CSV rows stay rows: a line of
 * provenance above the header would break the readers that take the first
 * line as the header, so CSV carries none. CSV goes through the one CSV writer (shared/csv.ts), with its
 * formula guard; Markdown escapes data as the impact reports do.
 */
import { type Diff, type DiffPoint, NOW } from '../../../shared/baseline.js';
import type { DataExportFormat } from '../../../shared/domain.js';
import type { CsvCell } from '../../../shared/csv.js';
import { dataFile } from '../export-file.js';
import { type CiNamer, ciNamer, type NamedCi } from '../../../shared/ci-label.js';
import { formatCount, formatValue, NOT_SET } from '../../../shared/format.js';
import { mdEscape, slug } from '../impact/report.js';

export const DIFF_CSV_HEADER = [
  'entity',
  'change',
  'key',
  'name',
  'type',
  'owner',
  'source',
  'target',
  'relationship',
  'field',
  'from',
  'to',
];

/** A field's value as one CSV cell: '' when not set (an empty cell), text as it is, anything else (numbers, lists, objects from attributes) as JSON. */
function csvValue(v: unknown): string {
  if (v === null || v === undefined) return '';
  return typeof v === 'string' ? v : JSON.stringify(v);
}

/** The diff's rows, in the order of DIFF_CSV_HEADER. */
export function diffRows(d: Diff): CsvCell[][] {
  const rows: CsvCell[][] = [];
  const ci = (change: string, c: { key: string; name: string; type: string; owner: string | null }, field = '', from = '', to = '') =>
    rows.push(['ci', change, c.key, c.name, c.type, c.owner, '', '', '', field, from, to]);
  const rel = (change: string, r: { source: string; target: string; type: string }, field = '', from = '', to = '') =>
    rows.push(['relationship', change, '', '', '', '', r.source, r.target, r.type, field, from, to]);
  for (const c of d.cis.added) ci('added', c);
  for (const c of d.cis.removed) ci('removed', c);
  for (const c of d.cis.changed) for (const [f, v] of Object.entries(c.fields)) ci('changed', c, f, csvValue(v.from), csvValue(v.to));
  for (const r of d.relationships.added) rel('added', r);
  for (const r of d.relationships.removed) rel('removed', r);
  for (const r of d.relationships.changed)
    for (const [f, v] of Object.entries(r.fields)) rel('changed', r, f, csvValue(v.from), csvValue(v.to));
  for (const t of d.types.added) rows.push(['type', 'added', '', '', t, '', '', '', '', '', '', '']);
  for (const t of d.types.removed) rows.push(['type', 'removed', '', '', t, '', '', '', '', '', '', '']);
  return rows;
}

/** What a type filter (--types) kept, as the counts say it; null when the diff kept every CI and relationship. */
function filterText(d: Diff): string | null {
  const types = d.provenance.types;
  if (types === null) return null;
  const one = types.length === 1;
  return `only CIs of ${one ? 'type' : 'types'} ${types.join(', ')} (and relationships with an end of ${one ? 'that type' : 'one of them'})`;
}

/** One line saying how much changed, and under a type filter what the counts cover (a filtered 0 is not an unchanged CMDB). */
export function diffSummary(d: Diff): string {
  const c = d.counts;
  const n = formatCount;
  const of = (k: number, one: string, many: string) => `${n(k)} ${k === 1 ? one : many}`;
  const filter = filterText(d);
  return `${of(c.cisAdded, 'CI', 'CIs')} added, ${n(c.cisRemoved)} removed, ${n(c.cisChanged)} changed${c.cisRetired > 0 ? ` (${n(c.cisRetired)} of them retired)` : ''}; ${of(c.relationshipsAdded, 'relationship', 'relationships')} added, ${n(c.relationshipsRemoved)} removed, ${n(c.relationshipsChanged)} changed; ${of(d.types.added.length, 'type', 'types')} added, ${n(d.types.removed.length)} removed${filter ? `; counting ${filter}` : ''}`;
}

/** What was compared, a line each: each point as it was read (a baseline's saved time and note; when now was read) and the CMDB file. */
export function provenanceLines(d: Diff): string[] {
  const point = (name: string, p: DiffPoint) =>
    p.kind === NOW
      ? `${name}: the CMDB as it was read at ${p.at}`
      : `${name}: baseline saved at ${p.at}${p.note === null ? '' : `, with the note ${JSON.stringify(p.note)}`}`;
  const points = d.from === d.to ? [point(d.from, d.provenance.from)] : [point(d.from, d.provenance.from), point(d.to, d.provenance.to)];
  return [...points, `CMDB: ${d.provenance.cmdb}`];
}

/** The relationship ends a diff lists that its own CI lists do not name: the names to look up for the Markdown. */
export function relationshipEnds(d: Diff): string[] {
  const known = new Set([...d.cis.added, ...d.cis.removed, ...d.cis.changed].map((c) => c.key));
  const rels = [...d.relationships.added, ...d.relationships.removed, ...d.relationships.changed];
  return [...new Set(rels.flatMap((r) => [r.source, r.target]))].filter((k) => !known.has(k));
}

/** How a diff names CIs to a person: by its own CI lists, and `looked` (names of the other relationship ends, looked up). */
export function diffNamer(d: Diff, looked: readonly NamedCi[]): CiNamer {
  return ciNamer([...looked, ...d.cis.added, ...d.cis.removed, ...d.cis.changed]);
}

/** The diff in Markdown, for people: each relationship end by name and key (`looked` names the ends its CI lists do not). */
function markdown(d: Diff, looked: readonly NamedCi[]): string {
  const names = diffNamer(d, looked);
  const lines = [
    `# What changed from ${mdEscape(d.from)} to ${mdEscape(d.to)}`,
    '',
    ...provenanceLines(d).map((l) => `- ${mdEscape(l)}`),
    '',
    mdEscape(diffSummary(d)),
    '',
  ];
  const table = (heading: string, head: string[], rows: CsvCell[][]) => {
    if (rows.length === 0) return;
    lines.push(`## ${heading}`, '', `| ${head.join(' | ')} |`, `|${' --- |'.repeat(head.length)}`);
    for (const r of rows) lines.push(`| ${r.map((v) => mdEscape(v === null || v === undefined ? '' : String(v))).join(' | ')} |`);
    lines.push('');
  };
  const ciRow = (c: { key: string; name: string; type: string; owner: string | null }) => [c.key, c.name, c.type, c.owner];
  table('CIs added', ['Key', 'Name', 'Type', 'Owner'], d.cis.added.map(ciRow));
  table('CIs removed', ['Key', 'Name', 'Type', 'Owner'], d.cis.removed.map(ciRow));
  table(
    'CIs changed',
    ['Key', 'Name', 'Field', 'From', 'To'],
    d.cis.changed.flatMap((c) =>
      Object.entries(c.fields).map(([f, v]) => [c.key, c.name, f, formatValue(v.from, NOT_SET), formatValue(v.to, NOT_SET)]),
    ),
  );
  const relRow = (r: { source: string; target: string; type: string }) => [names.label(r.source), r.type, names.label(r.target)];
  table('Relationships added', ['Source', 'Type', 'Target'], d.relationships.added.map(relRow));
  table('Relationships removed', ['Source', 'Type', 'Target'], d.relationships.removed.map(relRow));
  table(
    'Relationships changed',
    ['Source', 'Type', 'Target', 'Field', 'From', 'To'],
    d.relationships.changed.flatMap((r) =>
      Object.entries(r.fields).map(([f, v]) => [...relRow(r), f, formatValue(v.from, NOT_SET), formatValue(v.to, NOT_SET)]),
    ),
  );
  table(
    'Types added',
    ['Type'],
    d.types.added.map((t) => [t]),
  );
  table(
    'Types removed',
    ['Type'],
    d.types.removed.map((t) => [t]),
  );
  return lines.join('\n');
}

/** The diff as a file's name, type and content; `looked`: names of the relationship ends (`relationshipEnds`), for Markdown. */
export function diffFile(
  d: Diff,
  format: DataExportFormat,
  looked: readonly NamedCi[] = [],
): { filename: string; mime: string; content: string } {
  return dataFile(`diff-${slug(d.from, 'point')}-to-${slug(d.to, 'point')}`, format, {
    csvRows: () => [DIFF_CSV_HEADER, ...diffRows(d)],
    markdown: () => markdown(d, looked),
    json: () => d,
  });
}
