/**
 * A load much bigger than the CMDB defers its indexes and the search index
 * to the end while keeping the per-row checks: the result must be exactly
 * what row-by-row maintenance gives (same data, every index back, a sound
 * search index), in every mode.
 */
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runImport } from '../../electron/cmdb/import/engine.js';
import { openDatabase, type Db } from '../../electron/cmdb/db.js';
import { DEMO_CIS, DEMO_RELS, dumpFile, tempDir } from './helpers.js';

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
    // A sync's removals keep the removed rows' times (each run's own): compared without them.
    const untimed = (c: unknown) => (typeof c === 'string' ? c.replace(/\d{4}-\d\d-\d\dT[\d:.]+Z/g, 'TIME') : c);
    return { ...s, history: s.history.map((h) => ({ ...h, changes: untimed(h.changes) })) };
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
      const s = deferred as { search: number[][]; cis: Array<{ status: string | null }>; rels: unknown[] };
      expect(s.search[0]).toHaveLength(2);
      if (mode === 'sync') expect(s.cis.filter((c) => c.status === 'retired').length).toBeGreaterThan(500);
      // The sync's relationships file lists 2 of the demo's: the rest of its source's are removed, as row by row.
      if (mode === 'sync') expect(s.rels.length).toBeLessThan(10);
    });
  }
});

describe('a big load into an empty CMDB file', () => {
  const load = async (path: string, cis: string) => {
    const db = openDatabase(path);
    const seen = { journal: false, wal: false };
    try {
      const result = await runImport(db, {
        cis: { name: 'cis.csv', content: cis },
        relationships: { name: 'r.csv', content: 'source,target,type\nbig-1,big-2,depends_on\n' },
        rollbackJournalFrom: 0,
        onProgress: () => {
          seen.journal ||= existsSync(`${path}-journal`);
          seen.wal ||= existsSync(`${path}-wal`) && statSync(`${path}-wal`).size > 0;
        },
      });
      return { result, seen, mode: db.pragma('journal_mode', { simple: true }), sync: db.pragma('synchronous', { simple: true }) };
    } finally {
      db.close();
    }
  };
  const rows = (n: number) => `id,name,type\n${Array.from({ length: n }, (_, i) => `big-${i},Big ${i},server`).join('\n')}\n`;

  it('writes through a rollback journal when its connection is alone, then goes back to WAL', async () => {
    const path = join(tempDir(), 'cmdb.db');
    const r = await load(path, rows(12_000));
    expect(r.result.counts.created).toBe(12_000);
    expect(r.seen).toEqual({ journal: true, wal: false });
    expect(r.mode).toBe('wal');
    expect(r.sync).toBe(1);
    const db = openDatabase(path);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    db.exec("INSERT INTO ci_fts(ci_fts) VALUES ('integrity-check')");
    expect(db.prepare('SELECT count(*) FROM relationships').pluck().get()).toBe(1);
    db.close();
  });

  it('stays in WAL mode, without waiting, when another connection has the CMDB open', async () => {
    const path = join(tempDir(), 'cmdb.db');
    const other = openDatabase(path);
    try {
      const r = await load(path, rows(12_000));
      expect(r.result.counts.created).toBe(12_000);
      expect(r.seen).toEqual({ journal: false, wal: true });
      expect(r.mode).toBe('wal');
      expect(r.result.durationMs).toBeLessThan(5000);
      expect(other.prepare('SELECT count(*) FROM cis').pluck().get()).toBe(12_000);
    } finally {
      other.close();
    }
  });

  it('rolls a rejected load back to the empty CMDB it was, in WAL mode', async () => {
    const path = join(tempDir(), 'cmdb.db');
    openDatabase(path).close();
    const before = dumpFile(path);
    await expect(load(path, `${rows(12_000)}bad-row,,server\n`)).rejects.toMatchObject({ code: 'IMPORT_REJECTED' });
    expect(existsSync(`${path}-journal`)).toBe(false);
    expect(dumpFile(path)).toBe(before);
    const db = openDatabase(path);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    db.close();
  });
});
