/**
 * A load much bigger than the CMDB defers its indexes and the search index
 * to the end while keeping the per-row checks: the result must be exactly
 * what row-by-row maintenance gives (same data, every index back, a sound
 * search index), in every mode.
 */
import { describe, expect, it } from 'vitest';
import { runImport } from '../../electron/cmdb/import/engine.js';
import { openDatabase, type Db } from '../../electron/cmdb/db.js';
import { DEMO_CIS, DEMO_RELS } from './helpers.js';

const CIS = `id,name,type,status,owner
app-checkout-api,Checkout API v2,application,operational,team-new
new-1,Brand new gadget,server,operational,team-x
new-2,Second gadget,server,,team-x
`;
const RELS = `source,target,type,redundancy_group,min_up
new-1,Checkout API v2,uses,,
new-2,new-1,runs_on,pair,1
`;

function state(db: Db): unknown {
  return {
    cis: db.prepare('SELECT key, type, name, status, owner, attributes, source FROM cis ORDER BY key').all(),
    rels: db.prepare('SELECT source_id, target_id, type, redundancy_group, min_up FROM relationships ORDER BY 1, 2, 3').all(),
    history: db
      .prepare('SELECT entity, entity_id, ci_key, related_key, action, changes FROM history ORDER BY entity, entity_id, action')
      .all(),
    schema: db.prepare("SELECT type, name, sql FROM sqlite_schema WHERE type IN ('index', 'trigger') ORDER BY name").all(),
    search: ['gadget', 'v2', 'Checkout'].map((q) =>
      db.prepare('SELECT rowid FROM ci_fts WHERE ci_fts MATCH ? ORDER BY rowid').pluck().all(q),
    ),
  };
}

async function run(deferIndexesFrom: number, mode: 'upsert' | 'sync'): Promise<unknown> {
  const db = openDatabase(':memory:');
  try {
    await runImport(db, { cis: { name: 'demo.csv', path: DEMO_CIS }, relationships: { name: 'r.csv', path: DEMO_RELS } });
    const exec = db.exec.bind(db);
    const dropped: string[] = [];
    db.exec = (sql: string) => {
      if (sql.startsWith('DROP INDEX')) dropped.push(sql);
      return exec(sql);
    };
    await runImport(db, {
      cis: { name: 'demo.csv', content: CIS },
      relationships: { name: 'r.csv', content: RELS },
      mode,
      deferIndexesFrom,
    });
    db.exec = exec;
    expect(dropped.length > 0).toBe(deferIndexesFrom === 0);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    db.exec("INSERT INTO ci_fts(ci_fts) VALUES ('integrity-check')");
    const s = state(db) as { history: Array<Record<string, unknown>> };
    return { ...s, history: s.history.map((h) => ({ ...h, changes: h.changes })) };
  } finally {
    db.close();
  }
}

describe('deferred index maintenance for large loads', () => {
  for (const mode of ['upsert', 'sync'] as const) {
    it(`gives the same CMDB as row-by-row maintenance (${mode})`, async () => {
      const deferred = await run(0, mode);
      const rowByRow = await run(Number.MAX_SAFE_INTEGER, mode);
      expect(deferred).toEqual(rowByRow);
      const s = deferred as { search: number[][]; cis: Array<{ status: string | null }> };
      expect(s.search[0]).toHaveLength(2);
      if (mode === 'sync') expect(s.cis.filter((c) => c.status === 'retired').length).toBeGreaterThan(500);
    });
  }
});
