/**
 * `duplicate`: CIs that look like the same thing recorded twice: of the same
 * type, with the same name once normalised (shared/health.ts normalizeName:
 * case, accents, spaces and punctuation ignored), or the same value (trimmed,
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
import type { RawFinding, RuleContext } from '../context.js';
import { exemptClause, jsonList } from '../context.js';

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

  /** Records that `ids` (2 or more) look alike, for `reason`. */
  join(ids: number[], reason: string): void {
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

function grow<T extends Uint32Array | Float64Array>(from: T, to: T): T {
  to.set(from);
  return to;
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

/** Sets of CIs of one type whose names normalise alike. */
function sameNames(ctx: RuleContext, sets: Sets): void {
  const { db, config } = ctx;
  const scopeTypes =
    ctx.scope === null
      ? null
      : (db
          .prepare('SELECT DISTINCT type FROM cis WHERE id IN (SELECT value FROM json_each(?))')
          .pluck()
          .all(JSON.stringify([...ctx.scope])) as string[]);
  const exempt = exemptClause('type', config.duplicateExemptTypes);
  const where = `1${exempt.sql}${scopeTypes === null ? '' : ' AND type IN (SELECT value FROM json_each(@types))'}`;
  const binds = { ...exempt.binds, ...(scopeTypes === null ? {} : { types: jsonList(scopeTypes) }) };
  // Grown as read (a count first would cost a second scan).
  let hashes = new Uint32Array(1 << 16);
  let ids = new Float64Array(1 << 16);
  const typeNo = new Map<string, number>();
  let n = 0;
  // Read from the (type, name) index: it covers id, type and name, and is a fraction of the table.
  const rows = db.prepare(`SELECT id, type, name FROM cis WHERE ${where}`).raw().iterate(binds) as IterableIterator<
    [number, string, string]
  >;
  for (const [id, type, name] of rows) {
    if (n === hashes.length) {
      hashes = grow(hashes, new Uint32Array(2 * n));
      ids = grow(ids, new Float64Array(2 * n));
    }
    let t = typeNo.get(type);
    if (t === undefined) typeNo.set(type, (t = typeNo.size));
    ids[n] = id;
    hashes[n++] = nameHash(t, name);
  }
  // Hashes seen twice or more (0: nothing to compare, skipped).
  const sorted = hashes.slice(0, n).sort();
  const shared = new Set<number>();
  for (let i = 1; i < n; i++) if (sorted[i] === sorted[i - 1] && sorted[i] !== 0) shared.add(sorted[i]!);
  if (shared.size === 0) return;
  const candidates: number[] = [];
  for (let i = 0; i < n; i++) if (shared.has(hashes[i]!)) candidates.push(ids[i]!);
  // The candidates compared exactly.
  const read = db.prepare('SELECT id, type, name FROM cis WHERE id IN (SELECT value FROM json_each(?))').raw();
  const exact: Array<[number, string, string]> = [];
  for (let i = 0; i < candidates.length; i += CHUNK) {
    // A loop, not push(...rows): spreading tens of thousands of arguments can overflow the stack.
    for (const row of read.all(JSON.stringify(candidates.slice(i, i + CHUNK))) as Array<[number, string, string]>) exact.push(row);
  }
  for (const group of groupsOf(
    exact,
    (r) => r[0],
    (r) => `${r[1]}\u0000${normalizeName(r[2])}`,
  ))
    sets.join(group, 'name');
}

/** Whitespace trimmed from attribute values: space, tab, line feed, carriage return. */
const TRIM = "' ' || char(9, 10, 13)";

/**
 * Sets of CIs of one type sharing a value of an identifying attribute, trimmed
 * and compared without case (ASCII letters: identifiers are ASCII). Of one
 * type: a cache node and the VM it runs on share an IP address without being
 * one CI. A value with no letter or digit ("-", "?") is a placeholder, not an
 * identity. Grouped in SQL, one scan per attribute: only the shared values
 * come back.
 */
function sameAttributes(ctx: RuleContext, sets: Sets): void {
  const exempt = exemptClause('type', ctx.config.duplicateExemptTypes);
  const groups = ctx.db
    .prepare(
      `SELECT group_concat(id), min(v) FROM (
         SELECT id, type, trim(CAST(json_extract(attributes, @path) AS TEXT), ${TRIM}) AS v
         FROM cis WHERE attributes != '{}'${exempt.sql}
       ) WHERE v != '' AND (v GLOB '*[A-Za-z0-9]*' OR v GLOB '*[^ -~]*')
       GROUP BY type, lower(v) HAVING count(*) > 1`,
    )
    .raw();
  for (const attr of ctx.config.identifyingAttributes) {
    const path = `$."${attr.replace(/"/g, '""')}"`;
    for (const [list, value] of groups.all({ ...exempt.binds, path }) as Array<[string, string]>) {
      const ids = list.split(',').map(Number);
      if (ctx.scope !== null && !ids.some((id) => ctx.scope!.has(id))) continue;
      sets.join(ids, `${attr}\u0000${value}`);
    }
  }
}

const CHUNK = 50_000;

/**
 * One finding per duplicate set: ids sorted by id (messages sort them by key);
 * detail: the reasons, each "name" or "attribute\u0000value", joined by \u0001.
 */
export function duplicate(ctx: RuleContext): RawFinding[] {
  const sets = new Sets();
  sameNames(ctx, sets);
  sameAttributes(ctx, sets);
  const out: RawFinding[] = [];
  for (const set of sets.all()) {
    if (ctx.scope !== null && !set.ids.some((id) => ctx.scope!.has(id))) continue;
    out.push({ rule: 'duplicate', ids: set.ids, detail: set.reasons.join('\u0001') });
  }
  return out;
}
