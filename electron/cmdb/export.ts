/** Export of the whole CMDB in the default CSV formats (what import reads back losslessly). */
import { stringify } from 'csv-stringify/sync';
import type { Db } from './db.js';
import { CI_CORE, REL_CORE } from './import/default-import.js';
import { parseAttributes } from './rows.js';

function attributeKeys(rows: Array<{ attributes: string }>): string[] {
  const keys = new Set<string>();
  for (const r of rows) for (const k of Object.keys(parseAttributes(r.attributes))) keys.add(k);
  return [...keys].sort();
}

export function exportCsv(db: Db): { cis: string; relationships: string } {
  const cis = db
    .prepare('SELECT key, name, type, status, environment, owner, criticality, description, attributes FROM cis ORDER BY id')
    .all() as Array<Record<string, string | null> & { attributes: string }>;
  const ciAttrs = attributeKeys(cis);
  const ciRows = cis.map((c) => {
    const a = parseAttributes(c.attributes);
    return [c.key, c.name, c.type, c.status, c.environment, c.owner, c.criticality, c.description, ...ciAttrs.map((k) => a[k] ?? '')].map(
      (v) => v ?? '',
    );
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
  const relAttrs = attributeKeys(rels);
  const relRows = rels.map((r) => {
    const a = parseAttributes(r.attributes);
    return [
      r.source,
      r.target,
      r.type,
      r.redundancy_group ?? '',
      r.min_up === null ? '' : String(r.min_up),
      ...relAttrs.map((k) => a[k] ?? ''),
    ];
  });
  return {
    cis: stringify([[...CI_CORE, ...ciAttrs], ...ciRows]),
    relationships: stringify([[...REL_CORE, ...relAttrs], ...relRows]),
  };
}
