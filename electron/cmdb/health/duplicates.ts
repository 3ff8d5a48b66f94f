/**
 * `duplicate` for a few CIs: another live CI of the same type with the same
 * name once normalised (normalizeName), or with the same value of an
 * identifying attribute (of the same type: a database shares the address of
 * the VM it runs on). Normalised names cannot be looked up by
 * an SQLite index, so the names of each type asked about are read once into
 * a table of counts, and the identifying values likewise (only when a CI
 * asked about has one); both are kept with the graph index they were read
 * for (a new index object means the data changed), so answers in a row on
 * the same data pay for them once.
 */
import { normalizeName, type HealthConfig } from '../../../shared/health.js';
import type { Db } from '../db.js';
import type { GraphIndex } from '../impact/graph-index.js';

interface Candidate {
  id: number;
  type: string;
  name: string;
  status: string | null;
  attributes: string;
}

interface Tables {
  /** Per type: normalised name -> live CIs carrying it. */
  names: Map<string, Map<string, number>>;
  /** `type\0attribute\0value` -> live CIs carrying it; null until a CI asked about has an identifying attribute. */
  values: Map<string, number> | null;
  /** The identifying attributes `values` was read for. */
  valuesFor: string;
}

const cache = new WeakMap<GraphIndex, Tables>();
const LIVE = "(status IS NULL OR status != 'retired')";

function namesOf(db: Db, type: string): Map<string, number> {
  const counts = new Map<string, number>();
  const tally = (names: string[], by: number) => {
    for (const name of names) {
      const n = normalizeName(name);
      if (n !== '') counts.set(n, (counts.get(n) ?? 0) + by);
    }
  };
  // Every name of the type from the (type, name) index alone, then the few retired ones taken off.
  tally(db.prepare('SELECT name FROM cis WHERE type = ?').pluck().all(type) as string[], 1);
  tally(db.prepare("SELECT name FROM cis WHERE status = 'retired' AND type = ?").pluck().all(type) as string[], -1);
  return counts;
}

function valuesOf(db: Db, config: HealthConfig): Map<string, number> {
  const counts = new Map<string, number>();
  const rows = db
    .prepare(
      `SELECT cis.type || char(0) || j.key || char(0) || trim(j.value) FROM cis, json_each(cis.attributes) AS j
       WHERE cis.attributes <> '{}' AND ${LIVE} AND cis.type NOT IN (SELECT value FROM json_each(@exempt))
         AND j.key IN (SELECT value FROM json_each(@attrs)) AND trim(j.value) <> ''`,
    )
    .pluck()
    .iterate({ exempt: JSON.stringify(config.duplicateExemptTypes), attrs: JSON.stringify(config.identifyingAttributes) });
  for (const v of rows as IterableIterator<string>) counts.set(v, (counts.get(v) ?? 0) + 1);
  return counts;
}

/** The identifying attribute values of one CI, as `type\0attribute\0value`. */
function identifying(type: string, attributes: string, config: HealthConfig): string[] {
  if (attributes === '{}') return [];
  const parsed = JSON.parse(attributes) as Record<string, unknown>;
  const out: string[] = [];
  for (const a of config.identifyingAttributes) {
    const v = parsed[a];
    if (typeof v === 'string' && v.trim() !== '') out.push(`${type}\0${a}\0${v.trim()}`);
  }
  return out;
}

/** The ids among `cis` that have a possible duplicate; `index` is the graph index current with `db`. */
export function duplicateIds(db: Db, cis: readonly Candidate[], config: HealthConfig, index: GraphIndex): number[] {
  let tables = cache.get(index);
  if (!tables) cache.set(index, (tables = { names: new Map(), values: null, valuesFor: '' }));
  const out: number[] = [];
  const attrsKey = JSON.stringify([config.identifyingAttributes, config.duplicateExemptTypes]);
  for (const c of cis) {
    if (c.status === 'retired' || config.duplicateExemptTypes.includes(c.type)) continue;
    let names = tables.names.get(c.type);
    if (!names) tables.names.set(c.type, (names = namesOf(db, c.type)));
    if ((names.get(normalizeName(c.name)) ?? 0) > 1) {
      out.push(c.id);
      continue;
    }
    const own = identifying(c.type, c.attributes, config);
    if (own.length === 0) continue;
    if (tables.values === null || tables.valuesFor !== attrsKey) {
      tables.values = valuesOf(db, config);
      tables.valuesFor = attrsKey;
    }
    if (own.some((v) => (tables.values!.get(v) ?? 0) > 1)) out.push(c.id);
  }
  return out;
}
