/**
 * The Compare screen's data, apart from React: the engine's diff as one list
 * of rows (CIs, relationships and types, each added, removed or changed), the
 * filters over it, the summary, and the choice of the two points. Pure, so it
 * is unit-tested; every rule of what changed is the engine's (shared/baseline.ts).
 */
import { NOW, type Baseline, type Diff, type ImpactCompare } from '../../../shared/baseline.js';
import { formatCount } from '../../../shared/format.js';

export type Entity = 'ci' | 'relationship' | 'type';
export type ChangeKind = 'added' | 'removed' | 'changed';
export const ENTITIES: readonly Entity[] = ['ci', 'relationship', 'type'];
export const CHANGE_KINDS: readonly ChangeKind[] = ['added', 'removed', 'changed'];

export type FieldChanges = Record<string, { from: unknown; to: unknown }>;

/** One line of the list: a CI, a relationship or a type that was added, removed or changed. */
export interface DiffRow {
  /** Unique within a diff: `ci:KEY`, `rel:SOURCE>TYPE>TARGET`, `type:NAME`. */
  id: string;
  entity: Entity;
  kind: ChangeKind;
  /** CI key, or the relationship's source key, or the type's name. */
  key: string;
  /** CI name; for a relationship `source type target`; for a type its name. */
  label: string;
  /** CI type, relationship type, or the type's own name. */
  type: string;
  owner: string | null;
  /** A relationship's ends. */
  source?: string;
  target?: string;
  /** Changed CIs and relationships: each field's old and new value. */
  fields?: FieldChanges;
  /** What the text filter looks in: key, label, type and ends, in lower case. */
  text: string;
}

const relId = (r: { source: string; target: string; type: string }) => `rel:${r.source}>${r.type}>${r.target}`;

/** The diff as rows: CIs first (added, removed, changed), then relationships, then types. */
export function diffRows(d: Diff): DiffRow[] {
  const rows: DiffRow[] = [];
  for (const kind of CHANGE_KINDS)
    for (const c of d.cis[kind]) {
      const fields = 'fields' in c ? c.fields : undefined;
      const text = `${c.key}\n${c.name}\n${c.type}`.toLowerCase();
      rows.push({ id: `ci:${c.key}`, entity: 'ci', kind, key: c.key, label: c.name, type: c.type, owner: c.owner, fields, text });
    }
  for (const kind of CHANGE_KINDS)
    for (const r of d.relationships[kind]) {
      const fields = 'fields' in r ? r.fields : undefined;
      const label = `${r.source} ${r.type} ${r.target}`;
      const row: DiffRow = {
        id: relId(r),
        entity: 'relationship',
        kind,
        key: r.source,
        label,
        type: r.type,
        owner: null,
        fields,
        text: label.toLowerCase(),
      };
      row.source = r.source;
      row.target = r.target;
      rows.push(row);
    }
  for (const kind of ['added', 'removed'] as const)
    for (const t of d.types[kind])
      rows.push({ id: `type:${t}`, entity: 'type', kind, key: t, label: t, type: t, owner: null, text: t.toLowerCase() });
  return rows;
}

export interface RowFilter {
  /** Kinds of change shown; empty = all. */
  kinds: ChangeKind[];
  /** What is shown (CIs, relationships, types); empty = all. */
  entities: Entity[];
  /** Owners shown (null = CIs with no owner); empty = all. A relationship is kept when one of its ends is a kept CI of the diff. */
  owners: (string | null)[];
  /** Case-insensitive text in a key, name or relationship end. */
  text: string;
}

export const NO_FILTER: RowFilter = { kinds: [], entities: [], owners: [], text: '' };

export function isFiltered(f: RowFilter): boolean {
  return f.kinds.length > 0 || f.entities.length > 0 || f.owners.length > 0 || f.text.trim() !== '';
}

/** The rows the filter keeps, in their order. */
export function filterRows(rows: readonly DiffRow[], f: RowFilter): DiffRow[] {
  const q = f.text.trim().toLowerCase();
  const owners = new Set(f.owners);
  const ownedKeys = new Set<string>();
  if (owners.size > 0) for (const r of rows) if (r.entity === 'ci' && owners.has(r.owner)) ownedKeys.add(r.key);
  return rows.filter((r) => {
    if (f.kinds.length > 0 && !f.kinds.includes(r.kind)) return false;
    if (f.entities.length > 0 && !f.entities.includes(r.entity)) return false;
    if (owners.size > 0) {
      if (r.entity === 'type') return false;
      if (r.entity === 'ci' && !owners.has(r.owner)) return false;
      if (r.entity === 'relationship' && !ownedKeys.has(r.source!) && !ownedKeys.has(r.target!)) return false;
    }
    return !q || r.text.includes(q);
  });
}

/** The owners of the CIs in the rows, the most frequent first (null = not set), with their counts. */
export function ownerOptions(rows: readonly DiffRow[]): { owner: string | null; count: number }[] {
  const counts = new Map<string | null, number>();
  for (const r of rows) if (r.entity === 'ci') counts.set(r.owner, (counts.get(r.owner) ?? 0) + 1);
  return [...counts]
    .map(([owner, count]) => ({ owner, count }))
    .sort((a, b) => b.count - a.count || (a.owner ?? '').localeCompare(b.owner ?? ''));
}

/** Toggles `v` in a list kept as a set. */
export function toggle<T>(list: readonly T[], v: T): T[] {
  return list.includes(v) ? list.filter((x) => x !== v) : [...list, v];
}

/** A changed item's fields in a stable order: core fields first as the engine named them, then attributes by name. */
export function fieldEntries(fields: FieldChanges): { field: string; from: unknown; to: unknown }[] {
  return Object.entries(fields)
    .map(([field, c]) => ({ field, from: c.from, to: c.to }))
    .sort((a, b) => {
      const aa = a.field.startsWith('attributes.') ? 1 : 0;
      const bb = b.field.startsWith('attributes.') ? 1 : 0;
      return aa - bb || a.field.localeCompare(b.field);
    });
}

/** The summary strip's figures. */
export function summaryOf(d: Diff): { label: string; value: number; entity: Entity; kind: ChangeKind; note?: string }[] {
  const c = d.counts;
  // The CIs retired since, a sync's retirements, said apart from the other changes (found by a tester).
  const retired = c.cisRetired > 0 ? { note: `${formatCount(c.cisRetired)} of them retired` } : {};
  return [
    { label: 'CIs added', value: c.cisAdded, entity: 'ci', kind: 'added' },
    { label: 'CIs removed', value: c.cisRemoved, entity: 'ci', kind: 'removed' },
    { label: 'CIs changed', value: c.cisChanged, entity: 'ci', kind: 'changed', ...retired },
    { label: 'Relationships added', value: c.relationshipsAdded, entity: 'relationship', kind: 'added' },
    { label: 'Relationships removed', value: c.relationshipsRemoved, entity: 'relationship', kind: 'removed' },
    { label: 'Relationships changed', value: c.relationshipsChanged, entity: 'relationship', kind: 'changed' },
    { label: 'Types added', value: d.types.added.length, entity: 'type', kind: 'added' },
    { label: 'Types removed', value: d.types.removed.length, entity: 'type', kind: 'removed' },
  ];
}

/**
 * The list's count line: how many rows the filters show of those listed, and,
 * when the engine cut the lists at `limit` per kind, how many changes there
 * are in all (the summary's), so "10,000 of 11,937" never reads as all there is.
 */
export function countLine(shown: number, listed: number, d: Diff, limit: number): string {
  const part = shown === listed ? `${formatCount(listed)} changes` : `${formatCount(shown)} of ${formatCount(listed)} changes`;
  if (!d.truncated) return part;
  const all = summaryOf(d).reduce((n, s) => n + s.value, 0);
  const listedPart =
    shown === listed
      ? `${formatCount(listed)} of ${formatCount(all)} changes listed`
      : `${formatCount(shown)} shown of ${formatCount(listed)} listed of ${formatCount(all)} changes`;
  return `${listedPart} (at most ${formatCount(limit)} of each kind; export for all)`;
}

/**
 * What to do when a comparison could not be made, by error code: a damaged
 * baseline is that baseline (the engine's message says to delete it and save
 * a new one), not the CMDB to replace; undefined for the generic step of the code.
 */
export function diffErrorNext(code: string): string | null | undefined {
  return code === 'DB_CORRUPT' ? null : undefined;
}

/** Nothing differs between the two points. */
export function isEmptyDiff(d: Diff): boolean {
  return summaryOf(d).every((s) => s.value === 0);
}

/** The newest baseline first (by when it was saved, then name). */
export function newestFirst(baselines: readonly Baseline[]): Baseline[] {
  return [...baselines].sort((a, b) => b.createdAt.localeCompare(a.createdAt) || a.name.localeCompare(b.name));
}

/**
 * The two points compared: those asked for (the address), else the newest
 * baseline against now; null when there is no baseline to start from.
 */
export function defaultPoints(asked: { from?: string; to?: string }, baselines: readonly Baseline[]): { from: string; to: string } | null {
  const to = asked.to || NOW;
  if (asked.from) return { from: asked.from, to };
  const newest = newestFirst(baselines)[0];
  return newest ? { from: newest.name, to } : null;
}

/** A point as people read it. */
export function pointLabel(p: string): string {
  return p === NOW ? 'now (the live CMDB)' : p;
}

/** One list of a saved change's compare with a baseline, as shown: each CI with its name when known and its state in words. */
export interface CompareSection {
  id: 'newly' | 'gone' | 'state';
  label: string;
  items: { key: string; name: string | null; note: string }[];
}

/** How a change's blast radius now differs from the same change asked of a baseline, as sections (empty ones left out). */
export function impactCompareSections(c: ImpactCompare, names: ReadonlyMap<string, string>): CompareSection[] {
  const name = (k: string) => names.get(k) ?? null;
  const sections: CompareSection[] = [
    {
      id: 'newly',
      label: 'Newly impacted',
      items: c.newlyImpacted.map((x) => ({ key: x.key, name: name(x.key) ?? x.name, note: x.state })),
    },
    {
      id: 'gone',
      label: 'No longer impacted',
      items: c.noLongerImpacted.map((x) => ({ key: x.key, name: name(x.key) ?? x.name, note: `was ${x.state}` })),
    },
    {
      id: 'state',
      label: 'State changed',
      items: c.stateChanged.map((x) => ({ key: x.key, name: name(x.key) ?? x.name, note: `${x.from} → ${x.to}` })),
    },
  ];
  return sections.filter((s) => s.items.length > 0);
}
