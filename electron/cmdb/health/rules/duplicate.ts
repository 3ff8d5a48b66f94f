/**
 * `duplicate`: CIs that look like the same thing recorded twice: of the same
 * type, with the same name once normalised (shared/health.ts normalizeName:
 * case, accents, spaces and punctuation ignored), unless two of them hold
 * different values of an identifying attribute, or the same value (trimmed,
 * case-insensitive) of an identifying attribute (`serial_number`, ...). CIs
 * linked by either are one duplicate set: one finding each.
 *
 * Names are compared in one pass without building a string per CI: a 32-bit
 * hash of the type and the normalised name (computed char by char for ASCII
 * names, through normalizeName otherwise), sorted; only CIs sharing a hash
 * are read again and compared exactly, so a hash collision never makes a
 * finding.
 */
import { normalizeName } from '../../../../shared/health.js';
import { attributeMatchName, MATCH_NAME_SQL } from '../../attribute-names.js';
import type { RawFinding, RuleContext } from '../context.js';
import { groupLabel } from './groups.js';
import { exemptClause } from '../context.js';
import type { Db } from '../../db.js';
import type { GraphIndex } from '../../impact/graph-index.js';
import { onIndexPatched } from '../../impact/index-holder.js';

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** FNV-1a over the type's number and the normalised name; 0 for a name with nothing left to compare. */
export function nameHash(typeNo: number, name: string): number {
  let h = (FNV_OFFSET ^ typeNo) >>> 0;
  h = Math.imul(h, FNV_PRIME) >>> 0;
  let any = false;
  let ascii = true;
  for (let i = 0; i < name.length; i++) {
    let c = name.charCodeAt(i);
    if (c >= 128) {
      ascii = false;
      break;
    }
    if (c >= 65 && c <= 90) c += 32;
    else if (!((c >= 97 && c <= 122) || (c >= 48 && c <= 57))) continue;
    h = Math.imul(h ^ c, FNV_PRIME) >>> 0;
    any = true;
  }
  if (!ascii) {
    const norm = normalizeName(name);
    h = Math.imul((FNV_OFFSET ^ typeNo) >>> 0, FNV_PRIME) >>> 0;
    for (let i = 0; i < norm.length; i++) h = Math.imul(h ^ norm.charCodeAt(i), FNV_PRIME) >>> 0;
    any = norm.length > 0;
  }
  return any ? h || 1 : 0;
}

/** Joins CIs into duplicate sets (union-find over the CIs found equal to another). */
class Sets {
  private readonly parent = new Map<number, number>();
  /** Why each set's CIs look alike, by root: "the same name", "the same serial_number \"X\"". */
  readonly reasons = new Map<number, string[]>();

  private find(x: number): number {
    let root = x;
    while (this.parent.has(root) && this.parent.get(root) !== root) root = this.parent.get(root)!;
    if (!this.parent.has(root)) this.parent.set(root, root);
    for (let y = x; y !== root;) {
      const next = this.parent.get(y)!;
      this.parent.set(y, root);
      y = next;
    }
    return root;
  }

  /** Records that `ids` (2 or more) look alike, for `reason`; the reason keeps which CIs it is about (a set may join several). */
  join(ids: number[], why: string): void {
    const reason = `${why}\u0002${[...ids].sort((a, b) => a - b).join(',')}`;
    let root = this.find(ids[0]!);
    const reasons = [...(this.reasons.get(root) ?? []), reason];
    for (const id of ids.slice(1)) {
      const other = this.find(id);
      if (other === root) continue;
      reasons.push(...(this.reasons.get(other) ?? []));
      this.reasons.delete(other);
      // The smaller id stays the root, so the result does not depend on the order rules ran.
      const [keep, gone] = root < other ? [root, other] : [other, root];
      this.parent.set(gone, keep);
      this.reasons.delete(gone);
      root = keep;
    }
    this.reasons.set(root, [...new Set(reasons)]);
  }

  /** The sets, each sorted by id, with their reasons. */
  all(): Array<{ ids: number[]; reasons: string[] }> {
    const members = new Map<number, number[]>();
    for (const id of this.parent.keys()) {
      const root = this.find(id);
      let list = members.get(root);
      if (!list) members.set(root, (list = []));
      list.push(id);
    }
    return [...members].map(([root, ids]) => ({ ids: ids.sort((a, b) => a - b), reasons: this.reasons.get(root) ?? [] }));
  }
}

/** Groups of ids sharing a value of `keyOf`, of two or more. */
function groupsOf<T>(rows: Iterable<T>, id: (r: T) => number, keyOf: (r: T) => string): number[][] {
  const by = new Map<string, number[]>();
  for (const r of rows) {
    const k = keyOf(r);
    const list = by.get(k);
    if (list) list.push(id(r));
    else by.set(k, [id(r)]);
  }
  return [...by.values()].filter((ids) => ids.length > 1);
}

/** Sets of CIs of one type whose names normalise alike, over the whole CMDB. */
function sameNames(ctx: RuleContext, sets: Sets): void {
  const { db, config } = ctx;
  const exempt = exemptClause('type', config.duplicateExemptTypes);
  const where = `1${exempt.sql}`;
  const binds = exempt.binds;
  // In the order of the (type, name) index, which covers these reads: each type's rows are one run, so the
  // type of the k-th row comes from the counts, and names and ids are read apart as plain values (pluck),
  // about twice as fast as rows of three columns. One read transaction (HealthService) keeps the order.
  const order = `FROM cis WHERE ${where} ORDER BY type, name, id`;
  const runs = db.prepare(`SELECT count(*) FROM cis WHERE ${where} GROUP BY type ORDER BY type`).pluck().all(binds) as number[];
  const n = runs.reduce((x, y) => x + y, 0);
  const hashes = new Uint32Array(n);
  let k = 0;
  let typeNo = 0;
  let runEnd = runs[0] ?? 0;
  for (const name of db.prepare(`SELECT name ${order}`).pluck().iterate(binds) as IterableIterator<string>) {
    if (k === n) break;
    while (k === runEnd) runEnd += runs[++typeNo]!;
    hashes[k++] = nameHash(typeNo, name);
  }
  // Hashes seen twice or more (0: nothing to compare, skipped).
  const sorted = hashes.slice().sort();
  const shared = new Set<number>();
  for (let i = 1; i < n; i++) if (sorted[i] === sorted[i - 1] && sorted[i] !== 0) shared.add(sorted[i]!);
  if (shared.size === 0) return;
  const candidates: number[] = [];
  let row = 0;
  for (const id of db.prepare(`SELECT id ${order}`).pluck().iterate(binds) as IterableIterator<number>) {
    if (row === n) break;
    if (shared.has(hashes[row++]!)) candidates.push(id);
  }
  // The candidates compared exactly.
  const read = db.prepare('SELECT id, type, name FROM cis WHERE id IN (SELECT value FROM json_each(?))').raw();
  const exact: Array<[number, string, string]> = [];
  for (let i = 0; i < candidates.length; i += CHUNK) {
    // A loop, not push(...rows): spreading tens of thousands of arguments can overflow the stack.
    for (const row of read.all(JSON.stringify(candidates.slice(i, i + CHUNK))) as Array<[number, string, string]>) exact.push(row);
  }
  const groups = groupsOf(
    exact,
    (r) => r[0],
    (r) => `${r[1]}\u0000${normalizeName(r[2])}`,
  );
  for (const group of alikeByIdentity(ctx, groups)) sets.join(group, 'name');
}

/**
 * The name groups whose CIs do not tell themselves apart: a group in which two CIs hold different values of
 * one identifying attribute (two serial numbers, two ARNs) is of distinct things that share a name (Terraform's
 * `for_each` instances, replicas named alike), not one thing recorded twice, and is left out. CIs sharing a
 * value are found by the attribute half of the rule either way.
 */
function alikeByIdentity(ctx: RuleContext, groups: number[][]): number[][] {
  const wanted = ctx.config.identifyingAttributes.map(attributeMatchName);
  if (groups.length === 0 || wanted.length === 0) return groups;
  const read = ctx.db
    .prepare(
      `SELECT id, name, lower(v) FROM (${IDENTITY_ROWS} AND c.id IN (SELECT value FROM json_each(@ids)))
       WHERE name IN (SELECT value FROM json_each(@names)) AND ${IDENTITY_VALUE}`,
    )
    .raw();
  const values = new Map<number, Map<string, string>>();
  const ids = groups.flat();
  for (let i = 0; i < ids.length; i += CHUNK) {
    const params = { ids: JSON.stringify(ids.slice(i, i + CHUNK)), names: JSON.stringify(wanted) };
    for (const [id, name, v] of read.iterate(params) as IterableIterator<[number, string, string]>) {
      let m = values.get(id);
      if (!m) values.set(id, (m = new Map()));
      m.set(name, v);
    }
  }
  return groups.filter((group) => {
    const seen = new Map<string, string>();
    for (const id of group)
      for (const [name, v] of values.get(id) ?? []) {
        const other = seen.get(name);
        if (other !== undefined && other !== v) return false;
        seen.set(name, v);
      }
    return true;
  });
}

/**
 * What a run for a few CIs keeps with its graph index (a new index object
 * means the data changed), so answers in a row on the same data read the
 * CMDB once: per type, its CIs by normalised name; the identifying
 * attributes' shared values, by the settings they were read for. An index
 * patched after an edit takes the names over, updated for the CIs the edit
 * changed (carryNames), rather than reading each type again.
 */
interface Tables {
  names: Map<string, TypeNames>;
  values: { for: string; groups: Map<number, Array<{ ids: number[]; reason: string }>> } | null;
}

/** One type's CIs by normalised name (one id, or the list when two or more share it), as read, then the CIs changed since. */
interface TypeNames {
  read: Map<string, number | number[]>;
  /** CIs changed since `read`: their normalised name if they are still of this type (and have one), else null. */
  changed: Map<number, string | null>;
  /** `changed` by name. */
  changedByName: Map<string, Set<number>>;
}

const tables = new WeakMap<GraphIndex, Tables>();

function tablesOf(index: GraphIndex): Tables {
  let t = tables.get(index);
  if (!t) tables.set(index, (t = { names: new Map(), values: null }));
  return t;
}

/** The CIs of `type` (all of them, retired too) with normalised name `n`. */
function namedAlike(names: TypeNames, n: string): number[] {
  const out: number[] = [];
  const read = names.read.get(n);
  for (const id of read === undefined ? [] : typeof read === 'number' ? [read] : read) if (!names.changed.has(id)) out.push(id);
  for (const id of names.changedByName.get(n) ?? []) out.push(id);
  return out;
}

/** The names of `type`, read from the (type, name) index the first time (names with nothing to compare left out). */
function namesOf(ctx: RuleContext, type: string): TypeNames {
  const t = tablesOf(ctx.index);
  let names = t.names.get(type);
  if (names) return names;
  const read = new Map<string, number | number[]>();
  for (const [id, name] of ctx.db.prepare('SELECT id, name FROM cis WHERE type = ?').raw().iterate(type) as IterableIterator<
    [number, string]
  >) {
    const n = normalizeName(name);
    if (n === '') continue;
    const had = read.get(n);
    if (had === undefined) read.set(n, id);
    else if (typeof had === 'number') read.set(n, [had, id]);
    else had.push(id);
  }
  t.names.set(type, (names = { read, changed: new Map(), changedByName: new Map() }));
  return names;
}

/** Moves the names kept with `old` to the index patched from it, with the changed CIs' names as they are now. */
function carryNames(db: Db, old: GraphIndex, next: GraphIndex, changedCis: readonly number[]): void {
  const t = tables.get(old);
  if (!t) return;
  tables.delete(old);
  tables.set(next, { names: t.names, values: null });
  if (t.names.size === 0 || changedCis.length === 0) return;
  const now = new Map(
    (
      db
        .prepare('SELECT id, type, name FROM cis WHERE id IN (SELECT value FROM json_each(?))')
        .raw()
        .all(JSON.stringify(changedCis)) as Array<[number, string, string]>
    ).map(([id, type, name]) => [id, { type, n: normalizeName(name) }]),
  );
  for (const [type, names] of t.names) {
    for (const id of changedCis) {
      const was = names.changed.get(id);
      if (was) names.changedByName.get(was)?.delete(id);
      const ci = now.get(id);
      const n = ci !== undefined && ci.type === type && ci.n !== '' ? ci.n : null;
      names.changed.set(id, n);
      if (n === null) continue;
      let set = names.changedByName.get(n);
      if (!set) names.changedByName.set(n, (set = new Set()));
      set.add(id);
    }
  }
}
onIndexPatched(carryNames);

/** The scope's CIs: id, type, name, attributes (one read for both halves of the rule). */
function scopeRows(ctx: RuleContext, scope: ReadonlySet<number>): Array<[number, string, string, string]> {
  return ctx.db
    .prepare('SELECT id, type, name, attributes FROM cis WHERE id IN (SELECT value FROM json_each(?))')
    .raw()
    .all(JSON.stringify([...scope])) as Array<[number, string, string, string]>;
}

/** sameNames for the scope's CIs only: their types' names, read once and then kept up to date (carryNames). */
function sameNamesInScope(ctx: RuleContext, rows: ReadonlyArray<[number, string, string, string]>, sets: Sets): void {
  const exempt = new Set(ctx.config.duplicateExemptTypes);
  const joined = new Set<string>();
  for (const [, type, name] of rows) {
    if (exempt.has(type)) continue;
    const n = normalizeName(name);
    const key = `${type}\u0000${n}`;
    if (n === '' || joined.has(key)) continue;
    joined.add(key);
    const ids = namedAlike(namesOf(ctx, type), n);
    if (ids.length > 1) for (const group of alikeByIdentity(ctx, [ids.sort((a, b) => a - b)])) sets.join(group, 'name');
  }
}

/** Whitespace trimmed from attribute values: space, tab, line feed, carriage return. */
const TRIM = "' ' || char(9, 10, 13)";

/** Every CI's attributes as rows (id, type, match name, trimmed value), for the identifying ones to be picked from. */
const IDENTITY_ROWS = `SELECT c.id AS id, c.type AS type, ${MATCH_NAME_SQL} AS name, trim(CAST(j.value AS TEXT), ${TRIM}) AS v
  FROM cis c, json_each(c.attributes) j WHERE c.attributes != '{}'`;
/**
 * What exports and discovery tools write where an identifier is not known (compared trimmed, in any case):
 * words, the BIOS's own placeholders for a serial number, and the addresses that name no machine.
 */
export const IDENTITY_PLACEHOLDERS = [
  'n/a',
  'na',
  'none',
  'null',
  'tbd',
  'tba',
  'unknown',
  'not available',
  'not applicable',
  'not specified',
  'to be filled by o.e.m.',
  'default string',
  'system serial number',
  '0',
  '0.0.0.0',
  '127.0.0.1',
  '::1',
  '::',
  '00:00:00:00:00:00',
  'ff:ff:ff:ff:ff:ff',
] as const;
/**
 * A value that identifies: with a letter or digit, or any character beyond ASCII ("-" and "?" are
 * placeholders), and not one of IDENTITY_PLACEHOLDERS.
 */
const IDENTITY_VALUE = `v != '' AND (v GLOB '*[A-Za-z0-9]*' OR v GLOB '*[^ -~]*')
  AND lower(v) NOT IN (SELECT value FROM json_each('${JSON.stringify(IDENTITY_PLACEHOLDERS)}'))`;

/**
 * Sets of CIs of one type sharing a value of an identifying attribute, trimmed
 * and compared without case (ASCII letters: identifiers are ASCII). Of one
 * type: a cache node and the VM it runs on share an IP address without being
 * one CI. A value with no letter or digit ("-", "?"), or one of
 * IDENTITY_PLACEHOLDERS ("N/A", "0.0.0.0"), is a placeholder, not an
 * identity. The attribute is found by its name as `attributeMatchName` reads
 * it. Grouped in SQL, one scan of the attributes for all of them: only the
 * shared values come back.
 */
function sameAttributes(ctx: RuleContext, join: (ids: number[], reason: string) => void): void {
  const exempt = exemptClause('c.type', ctx.config.duplicateExemptTypes);
  // The configured name each match name stands for (the first, when two configured names read alike).
  const configured = new Map<string, string>();
  for (const attr of ctx.config.identifyingAttributes) {
    const m = attributeMatchName(attr);
    if (!configured.has(m)) configured.set(m, attr);
  }
  if (configured.size === 0) return;
  const groups = ctx.db
    .prepare(
      `SELECT group_concat(DISTINCT id), min(v), name FROM (${IDENTITY_ROWS}${exempt.sql})
       WHERE name IN (SELECT value FROM json_each(@names)) AND ${IDENTITY_VALUE}
       GROUP BY name, type, lower(v) HAVING count(DISTINCT id) > 1`,
    )
    .raw();
  for (const [list, value, name] of groups.all({ ...exempt.binds, names: JSON.stringify([...configured.keys()]) }) as Array<
    [string, string, string]
  >) {
    join(list.split(',').map(Number), `${configured.get(name)!}\u0000${value}`);
  }
}

/**
 * sameAttributes for the scope's CIs only: nothing to read when none of them
 * has an identifying attribute; else the shared values, grouped once per
 * graph index and settings.
 */
function sameAttributesInScope(ctx: RuleContext, rows: ReadonlyArray<[number, string, string, string]>, sets: Sets): void {
  const attrs = ctx.config.identifyingAttributes;
  const wanted = new Set(attrs.map(attributeMatchName));
  const asked = rows.filter(
    ([, , , a]) => a !== '{}' && Object.keys(JSON.parse(a) as object).some((name) => wanted.has(attributeMatchName(name))),
  );
  if (asked.length === 0) return;
  const t = tablesOf(ctx.index);
  const settings = JSON.stringify([attrs, ctx.config.duplicateExemptTypes]);
  if (t.values?.for !== settings) {
    const groups = new Map<number, Array<{ ids: number[]; reason: string }>>();
    sameAttributes(ctx, (ids, reason) => {
      const group = { ids, reason };
      for (const id of ids) {
        const list = groups.get(id);
        if (list) list.push(group);
        else groups.set(id, [group]);
      }
    });
    t.values = { for: settings, groups };
  }
  for (const [id] of asked) for (const { ids, reason } of t.values.groups.get(id) ?? []) sets.join(ids, reason);
}

const CHUNK = 50_000;

/**
 * One finding per duplicate set: ids sorted by id (messages sort them by key);
 * detail: the reasons, each "name" or "attribute\u0000value" then \u0002 and
 * the ids it holds for (comma-separated), joined by \u0001.
 */
export function duplicate(ctx: RuleContext): RawFinding[] {
  const sets = new Sets();
  if (ctx.scope === null) {
    sameNames(ctx, sets);
    sameAttributes(ctx, (ids, reason) => sets.join(ids, reason));
  } else {
    const rows = scopeRows(ctx, ctx.scope);
    sameNamesInScope(ctx, rows, sets);
    sameAttributesInScope(ctx, rows, sets);
  }
  const out: RawFinding[] = [];
  const peers = groupPeers(ctx);
  for (const set of sets.all()) {
    if (ctx.scope !== null && !set.ids.some((id) => ctx.scope!.has(id))) continue;
    const group = peers(set.ids);
    out.push({ rule: 'duplicate', ids: set.ids, detail: set.reasons.join('\u0001') + (group ? `\u0003${group}` : '') });
  }
  return out;
}

/**
 * Whether a set's CIs are all members of one redundancy group (of one dependent CI): `dependent key\u0000label`
 * of the first such group, else null. Read from the graph index's member slots; few sets, few groups each.
 */
function groupPeers(ctx: RuleContext): (ids: readonly number[]) => string | null {
  const { index } = ctx;
  const label = groupLabel(ctx);
  const keyOf = ctx.db.prepare('SELECT key FROM cis WHERE id = ?').pluck();
  /** The groups a CI is a member of: group slot -> its dependent node and the relationship type. */
  const groupsOf = (id: number): Map<number, { dependent: number; type: string }> => {
    const out = new Map<number, { dependent: number; type: string }>();
    const v = index.nodeOf(id);
    if (v < 0) return out;
    for (let k = index.downRange[2 * v]!, end = index.downRange[2 * v + 1]!; k < end; k++) {
      const g = index.downSlots[3 * k + 2]!;
      if (g >= 0) out.set(g, { dependent: index.downSlots[3 * k]!, type: index.relTypes[index.downSlots[3 * k + 1]!]!.name });
    }
    return out;
  };
  return (ids) => {
    const [first, ...rest] = ids.map(groupsOf);
    for (const [g, { dependent, type }] of first ?? []) {
      if (!rest.every((m) => m.has(g))) continue;
      const id = index.ciIdOf(dependent);
      return `${keyOf.get(id) as string}\u0000${label(id, ids[0]!, type)}`;
    }
    return null;
  };
}
