/**
 * The hot queries use their indexes, so a lost or unusable index fails a
 * test instead of turning a key lookup into a full scan on a million CIs.
 * Two angles: the named hot queries with the index each must use, and every
 * statement the engine actually runs to show a CI, search by type and walk a
 * neighbourhood (recorded while it runs, then explained with the same
 * parameters).
 */
import type { Statement } from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { type Db, openDatabase } from '../../electron/cmdb/db.js';
import { CmdbService } from '../../electron/cmdb/service.js';
import { demoCsv, ok } from './helpers.js';

/** The plan of a statement, one line per step. */
function plan(db: Db, sql: string, params: unknown[] = []): string[] {
  return (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as Array<{ detail: string }>).map((r) => r.detail);
}

/** A full pass over one of the big tables (by name or by the aliases the engine gives them). */
const FULL_SCAN = /^SCAN (cis|relationships|history|c|r|s|t|h)\b/;

function expectNoFullScan(lines: string[], sql: string): void {
  const bad = lines.filter((l) => FULL_SCAN.test(l));
  expect(bad, `${sql}\n  plan: ${lines.join(' | ')}`).toEqual([]);
}

let db: Db;
let svc: CmdbService;
const executed: Array<{ sql: string; params: unknown[] }> = [];
let recording = false;

/** Wraps db.prepare so that every statement the engine executes while `recording` is noted with its parameters. */
function recordStatements(target: Db): void {
  const prepare = target.prepare.bind(target);
  const chain = new Set(['pluck', 'raw', 'expand', 'safeIntegers', 'bind', 'columns']);
  const run = new Set(['get', 'all', 'run', 'iterate']);
  target.prepare = ((sql: string) => {
    const stmt = prepare(sql) as Statement;
    const proxy: Statement = new Proxy(stmt, {
      get(obj, prop, receiver) {
        const value = Reflect.get(obj, prop, receiver) as unknown;
        if (typeof value !== 'function') return value;
        const fn = value as (...a: unknown[]) => unknown;
        if (run.has(String(prop))) {
          return (...args: unknown[]) => {
            if (recording) executed.push({ sql, params: args });
            return fn.apply(obj, args);
          };
        }
        if (chain.has(String(prop))) {
          return (...args: unknown[]) => {
            const r = fn.apply(obj, args);
            return r === obj ? proxy : r;
          };
        }
        return fn.bind(obj);
      },
    });
    return proxy;
  }) as Db['prepare'];
}

beforeAll(async () => {
  db = openDatabase(':memory:');
  recordStatements(db);
  svc = new CmdbService(db, ':memory:', 'test');
  await ok(svc, 'importCsv', demoCsv());
  return () => svc.close();
});

describe('query plans of the hot queries', () => {
  it("a sync's CIs of its source come from the index on source alone, in id order (no row read, no sort)", () => {
    const lines = plan(db, 'SELECT id FROM cis WHERE source = ? ORDER BY id', ['demo']);
    expect(lines.join('\n')).toMatch(/USING COVERING INDEX cis_source/);
    expect(lines.join('\n')).not.toMatch(/TEMP B-TREE/);
  });

  it('CI by key uses the unique index on key', () => {
    const lines = plan(db, 'SELECT * FROM cis WHERE key = ?', ['bs-checkout']);
    expect(lines.join(' | ')).toMatch(/SEARCH cis USING (COVERING )?INDEX sqlite_autoindex_cis_1 \(key=\?\)/);
    expectNoFullScan(lines, 'CI by key');
  });

  it('relationships by source use the (source_id, target_id, type) index; by target the target index', () => {
    const bySource = plan(db, 'SELECT * FROM relationships WHERE source_id = ?', [1]);
    expect(bySource.join(' | ')).toMatch(/SEARCH relationships USING (COVERING )?INDEX sqlite_autoindex_relationships_1 \(source_id=\?\)/);
    expectNoFullScan(bySource, 'relationships by source');
    const byTarget = plan(db, 'SELECT * FROM relationships WHERE target_id = ?', [1]);
    expect(byTarget.join(' | ')).toMatch(/SEARCH relationships USING (COVERING )?INDEX relationships_target \(target_id=\?\)/);
    expectNoFullScan(byTarget, 'relationships by target');
    // The walk against the relationships' direction: type and source read from the index, not the table (migration 007).
    const walkBack = plan(
      db,
      'SELECT r.source_id FROM relationships r WHERE r.target_id IN (SELECT value FROM json_each(?)) AND r.type IN (SELECT value FROM json_each(?))',
      ['[1,2]', '["depends_on"]'],
    );
    expect(walkBack.join(' | ')).toMatch(/SEARCH r USING COVERING INDEX relationships_target \(target_id=\? AND type=\?\)/);
    // The unique check of an import or an edit.
    const exists = plan(db, 'SELECT id FROM relationships WHERE source_id = ? AND target_id = ? AND type = ?', [1, 2, 'depends_on']);
    expect(exists.join(' | ')).toMatch(/sqlite_autoindex_relationships_1 \(source_id=\? AND target_id=\? AND type=\?\)/);
  });

  it('filter by type uses the (type, name) index, for the page and for the total', () => {
    const page = plan(db, 'SELECT id FROM cis WHERE type IN (?) ORDER BY name LIMIT 50', ['database']);
    expect(page.join(' | ')).toMatch(/SEARCH cis USING (COVERING )?INDEX cis_type_name \(type=\?\)/);
    expectNoFullScan(page, 'filter by type');
    const total = plan(db, 'SELECT count(*) FROM cis WHERE type = ?', ['database']);
    expect(total.join(' | ')).toMatch(/USING COVERING INDEX cis_type_name \(type=\?\)/);
  });

  it('history by CI key uses the ci_key index (and related_key for the other end of relationships)', () => {
    const byKey = plan(db, 'SELECT * FROM history WHERE ci_key = ? ORDER BY id DESC', ['bs-checkout']);
    expect(byKey.join(' | ')).toMatch(/SEARCH history USING (COVERING )?INDEX history_ci_key \(ci_key=\?\)/);
    expectNoFullScan(byKey, 'history by ci_key');
    const byRelated = plan(db, 'SELECT * FROM history WHERE related_key = ?', ['bs-checkout']);
    expect(byRelated.join(' | ')).toMatch(/USING (COVERING )?INDEX history_related_key \(related_key=\?\)/);
  });

  it('every statement run to show a CI, list by type, search, and walk a neighbourhood uses an index', async () => {
    executed.length = 0;
    recording = true;
    try {
      await ok(svc, 'getCi', { key: 'bs-checkout' });
      await ok(svc, 'getCi', { key: 'db-orders-primary' });
      await ok(svc, 'listCis', { filters: { type: ['database'] }, limit: 20 });
      await ok(svc, 'listCis', { filters: { type: ['application'], environment: ['production'] }, sort: 'name', limit: 20 });
      await ok(svc, 'listCis', { query: 'checkout', limit: 20 });
      await ok(svc, 'neighbourhood', { key: 'bs-checkout', depth: 3, direction: 'both' });
      await ok(svc, 'neighbourhood', { key: 'mq-kafka-prod', depth: 2, direction: 'downstream' });
    } finally {
      recording = false;
    }
    const distinct = new Map(executed.map((e) => [e.sql, e.params]));
    // getCi (CI, outgoing, incoming, other ends, history), the list page and total, the neighbourhood hops.
    expect(distinct.size).toBeGreaterThanOrEqual(8);
    for (const [sql, params] of distinct) {
      if (/^\s*(INSERT|UPDATE|DELETE|PRAGMA)/i.test(sql)) continue;
      expectNoFullScan(plan(db, sql, params), sql);
    }
  });

  it('a page sorted by criticality (severity, not text) reads the criticality index and sorts no rows', async () => {
    executed.length = 0;
    recording = true;
    try {
      await ok(svc, 'listCis', { sort: 'criticality', limit: 20 });
      await ok(svc, 'listCis', { sort: 'criticality', order: 'desc', offset: 30, limit: 20 });
    } finally {
      recording = false;
    }
    const distinct = new Map(executed.map((e) => [e.sql, e.params]));
    expect(distinct.size).toBeGreaterThanOrEqual(2);
    for (const [sql, params] of distinct) {
      const lines = plan(db, sql, params);
      // Counting the values walks their index once (a million entries, no row read); nothing else scans or sorts.
      const bad = lines.filter((l) => /TEMP B-TREE/.test(l) || (FULL_SCAN.test(l) && !/COVERING INDEX cis_criticality/.test(l)));
      expect(bad, `${sql}\n  plan: ${lines.join(' | ')}`).toEqual([]);
    }
  });

  it('would catch a lost index: the same key lookup scans once the index is gone', () => {
    const scratch = openDatabase(':memory:');
    try {
      scratch.exec('DROP INDEX relationships_target');
      const lines = plan(scratch, 'SELECT * FROM relationships WHERE target_id = ?', [1]);
      expect(lines.some((l) => FULL_SCAN.test(l))).toBe(true);
    } finally {
      scratch.close();
    }
  });
});
