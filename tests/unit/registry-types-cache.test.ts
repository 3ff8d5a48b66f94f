/**
 * getTypes is kept while the CMDB is unchanged (counting relationships by
 * type reads every row): it must read again after this connection's writes
 * and after another connection's commit, and hand out copies. A write that
 * touches no CI or relationship (a saved view, a saved change, a mapping
 * profile) leaves it, and the facets, kept (data-stamp.ts).
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CmdbService } from '../../electron/cmdb/service.js';
import { typesReader } from '../../electron/cmdb/registry.js';
import type { Db } from '../../electron/cmdb/db.js';
import { freshService, ok, tempDir } from './helpers.js';

const count = (t: { ciTypes: Array<{ name: string; count: number }> }, name: string) => t.ciTypes.find((x) => x.name === name)?.count;
const relCount = (t: { relTypes: Array<{ name: string; count: number }> }, name: string) => t.relTypes.find((x) => x.name === name)?.count;

/** Counts the statements prepared whose SQL contains each marker. */
function countPrepares(db: Db, markers: Record<string, string>): Record<string, number> {
  const counts: Record<string, number> = Object.fromEntries(Object.keys(markers).map((k) => [k, 0]));
  const prepare = db.prepare.bind(db);
  db.prepare = ((sql: string) => {
    for (const [k, marker] of Object.entries(markers)) if (sql.includes(marker)) counts[k]!++;
    return prepare(sql);
  }) as typeof db.prepare;
  return counts;
}

describe('getTypes kept while the data is unchanged', () => {
  it('keeps the types and facets over a saved view, a saved change and a mapping profile, not over a CI edit', async () => {
    const svc = freshService();
    await ok(svc, 'createCi', { key: 'app-1', fields: { type: 'application', name: 'App 1', owner: 'Ops' } });
    const reads = countPrepares(svc.db, { types: 'FROM relationships GROUP BY type', facets: 'GROUP BY c.owner' });
    const readBoth = async () => {
      await ok(svc, 'getTypes', {});
      await ok(svc, 'facets', { limit: 5 });
    };
    await readBoth();
    expect(reads).toEqual({ types: 1, facets: 1 });
    await ok(svc, 'saveView', { name: 'v', spec: { center: 'app-1', direction: 'both', depth: 1 } });
    await ok(svc, 'deleteView', { name: 'v' });
    await ok(svc, 'saveChange', { ref: 'CHG1', title: 'Patch', keys: ['app-1'] });
    await ok(svc, 'saveMappingProfile', { name: 'p', mapping: { cis: { name: 'Host' } } });
    await ok(svc, 'deleteMappingProfile', { name: 'p' });
    await readBoth();
    expect(reads).toEqual({ types: 1, facets: 1 });
    await ok(svc, 'updateCi', { key: 'app-1', fields: { owner: 'Platform' } });
    await readBoth();
    expect(reads).toEqual({ types: 2, facets: 2 });
    expect((await ok(svc, 'facets', { limit: 5 })).facets.find((f) => f.field === 'owner')!.values).toEqual([
      { value: 'Platform', count: 1 },
    ]);
  });

  it("reads the counts again after the connection's own writes", async () => {
    const svc = freshService();
    expect(count(await ok(svc, 'getTypes', {}), 'database')).toBe(0);
    await ok(svc, 'createCi', { key: 'db-1', fields: { type: 'database', name: 'DB 1' } });
    await ok(svc, 'createCi', { key: 'app-1', fields: { type: 'application', name: 'App 1' } });
    const after = await ok(svc, 'getTypes', {});
    expect(count(after, 'database')).toBe(1);
    await ok(svc, 'createRelationship', { source: 'app-1', target: 'db-1', type: 'depends_on' });
    expect(relCount(await ok(svc, 'getTypes', {}), 'depends_on')).toBe(1);
  });

  it("reads them again after another connection's commit", async () => {
    const file = join(tempDir(), 'types.db');
    const a = freshService(file);
    expect(count(await ok(a, 'getTypes', {}), 'database')).toBe(0);
    const b = CmdbService.open(file, { source: 'test' });
    try {
      await ok(b, 'createCi', { key: 'db-1', fields: { type: 'database', name: 'DB 1' } });
    } finally {
      b.close();
    }
    expect(count(await ok(a, 'getTypes', {}), 'database')).toBe(1);
  });

  it('does not keep what it read inside a transaction, which may be rolled back', () => {
    const svc = freshService();
    const read = typesReader(svc.db);
    expect(count(read(), 'database')).toBe(0);
    svc.db.exec('BEGIN');
    svc.db.prepare("INSERT INTO cis (key, type, name, created_at, updated_at) VALUES ('db-x', 'database', 'X', 'now', 'now')").run();
    expect(count(read(), 'database')).toBe(1);
    svc.db.exec('ROLLBACK');
    expect(count(read(), 'database')).toBe(0);
  });

  it('does not query again while nothing changed, and answers with copies', () => {
    const svc = freshService();
    const db = svc.db;
    let reads = 0;
    const prepare = db.prepare.bind(db);
    db.prepare = ((sql: string) => {
      if (sql.includes('FROM relationships GROUP BY type')) reads++;
      return prepare(sql);
    }) as typeof db.prepare;
    const read = typesReader(db);
    const first = read();
    first.ciTypes[0]!.count = 999;
    const second = read();
    expect(reads).toBe(1);
    expect(second.ciTypes[0]!.count).toBe(0);
  });
});
