/** Export of the whole CMDB in the default CSV formats (what import reads back losslessly). */
import { stringify } from 'csv-stringify/sync';
import type { Db } from './db.js';
import { CI_CORE, REL_CORE } from './import/default-import.js';
import { parseAttributes } from './rows.js';

interface AttributeColumn {
  header: string;
  /** The attribute keys this column holds: spellings that differ only in case. */
  keys: string[];
}

/**
 * One column per attribute key, matched case-insensitively as CSV headers are
 * read back, and never under a core column's name, so the file always
 * re-imports. Keys that differ only in case share a column under the first
 * spelling; an attribute named like a core column gets " (attribute)" added.
 */
function attributeColumns(rows: Array<{ attributes: string }>, core: readonly string[]): AttributeColumn[] {
  const byLower = new Map<string, Set<string>>();
  for (const r of rows) {
    for (const k of Object.keys(parseAttributes(r.attributes))) {
      if (k.trim() === '') continue;
      const lower = k.trim().toLowerCase();
      let set = byLower.get(lower);
      if (!set) byLower.set(lower, (set = new Set()));
      set.add(k);
    }
  }
  return [...byLower.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([lower, set]) => {
      const keys = [...set].sort();
      const first = keys[0]!.trim();
      return { header: core.includes(lower) ? `${first} (attribute)` : first, keys };
    });
}

function attributeValue(attrs: Record<string, string>, column: AttributeColumn): string {
  for (const k of column.keys) if (attrs[k] !== undefined) return attrs[k];
  return '';
}

export function exportCsv(db: Db): { cis: string; relationships: string } {
  const cis = db
    .prepare('SELECT key, name, type, status, environment, owner, criticality, description, attributes FROM cis ORDER BY id')
    .all() as Array<Record<string, string | null> & { attributes: string }>;
  const ciAttrs = attributeColumns(cis, CI_CORE);
  const ciRows = cis.map((c) => {
    const a = parseAttributes(c.attributes);
    return [
      c.key,
      c.name,
      c.type,
      c.status,
      c.environment,
      c.owner,
      c.criticality,
      c.description,
      ...ciAttrs.map((col) => attributeValue(a, col)),
    ].map((v) => v ?? '');
  });
  const rels = db
    .prepare(
      `SELECT s.key AS source, t.key AS target, r.type, r.redundancy_group, r.min_up, r.attributes
       FROM relationships r JOIN cis s ON s.id = r.source_id JOIN cis t ON t.id = r.target_id ORDER BY r.id`,
    )
    .all() as Array<{
    source: string;
    target: string;
    type: string;
    redundancy_group: string | null;
    min_up: number | null;
    attributes: string;
  }>;
  const relAttrs = attributeColumns(rels, REL_CORE);
  const relRows = rels.map((r) => {
    const a = parseAttributes(r.attributes);
    return [
      r.source,
      r.target,
      r.type,
      r.redundancy_group ?? '',
      r.min_up === null ? '' : String(r.min_up),
      ...relAttrs.map((col) => attributeValue(a, col)),
    ];
  });
  return {
    cis: stringify([[...CI_CORE, ...ciAttrs.map((c) => c.header)], ...ciRows]),
    relationships: stringify([[...REL_CORE, ...relAttrs.map((c) => c.header)], ...relRows]),
  };
}
