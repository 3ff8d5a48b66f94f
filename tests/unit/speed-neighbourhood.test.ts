/**
 * The bounded neighbourhood walk on a generated estate: the same CIs, depths and relationships as
 * the unbounded walk (tests/unit/speed-reference-neighbourhood.ts) whenever maxNodes does not cut
 * the result; the same CIs and an exact `omitted` when it cuts a ring of modest size; and a hub
 * with more relationships than the counting budget answered with maxNodes CIs and `omitted`
 * counted on the indexes.
 */
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { generateCmdb, mulberry32 } from '../../electron/cmdb/generate.js';
import { EDGES_AMONG_SQL, GROUPED_AMONG_SQL } from '../../electron/cmdb/graph/edges.js';
import { neighbourhood, type NeighbourhoodRequest } from '../../electron/cmdb/neighbourhood.js';
import { groupId } from '../../shared/graph.js';
import { CmdbService } from '../../electron/cmdb/service.js';
import { tempDir } from './helpers.js';
import { referenceNeighbourhood } from './speed-reference-neighbourhood.js';

const HUB_DEPENDENTS = 7000;
let svc: CmdbService;
let keys: string[];

beforeAll(async () => {
  const dir = tempDir('cmdb-speed-nb-');
  const gen = await generateCmdb({ cis: 3000, outDir: dir, seed: 7 });
  svc = CmdbService.open(join(dir, 'cmdb.db'), { source: 'test' });
  const r = await svc.call('importCsv', {
    cis: { name: 'cis.csv', path: gen.cisFile },
    relationships: { name: 'relationships.csv', path: gen.relsFile },
  });
  if (!r.ok) throw new Error(r.error.message);
  // A storage array many VMs depend on, and one application on one of those VMs.
  svc.db.exec(`
    INSERT INTO cis(key, type, name, created_at, updated_at) VALUES ('hub-san', 'storage', 'Hub SAN', 't', 't');
    WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${HUB_DEPENDENTS})
      INSERT INTO cis(key, type, name, created_at, updated_at) SELECT printf('hubvm-%05d', i), 'virtual_machine', printf('Hub VM %d', i), 't', 't' FROM n;
    INSERT INTO relationships(source_id, target_id, type, created_at, updated_at)
      SELECT c.id, h.id, 'depends_on', 't', 't' FROM cis c, cis h WHERE h.key = 'hub-san' AND c.key LIKE 'hubvm-%';
    INSERT INTO cis(key, type, name, created_at, updated_at) VALUES ('hub-backup', 'storage', 'Hub backup', 't', 't');
    INSERT INTO relationships(source_id, target_id, type, created_at, updated_at)
      SELECT b.id, c.id, 'backup_of', 't', 't' FROM cis c, cis b WHERE b.key = 'hub-backup' AND c.key LIKE 'hubvm-%';
    INSERT INTO cis(key, type, name, created_at, updated_at) VALUES ('hubapp', 'application', 'Hub app', 't', 't');
    INSERT INTO relationships(source_id, target_id, type, created_at, updated_at)
      SELECT a.id, v.id, 'runs_on', 't', 't' FROM cis a, cis v WHERE a.key = 'hubapp' AND v.key = 'hubvm-00001';
  `);
  const all = svc.db.prepare("SELECT key FROM cis WHERE key NOT LIKE 'hubvm-%' ORDER BY id").pluck().all() as string[];
  const rng = mulberry32(3);
  keys = Array.from({ length: 40 }, () => all[Math.floor(rng() * all.length)]!);
  return () => svc.close();
}, 120_000);

/** A result with order taken out: CIs with their depth, relationship ids. */
function shape(r: { nodes: Array<{ key: string; depth: number }>; edges: Array<{ id: number }> }) {
  return {
    nodes: r.nodes.map((n) => `${n.key}@${n.depth}`).sort(),
    edges: r.edges.map((e) => e.id).sort((a, b) => a - b),
  };
}

describe('bounded neighbourhood', () => {
  it('gives the same CIs, depths and relationships as the unbounded walk whenever maxNodes does not cut', () => {
    let compared = 0;
    const variants: Array<Partial<NeighbourhoodRequest>> = [
      { depth: 1, direction: 'both' },
      { depth: 2, direction: 'both' },
      { depth: 3, direction: 'upstream' },
      { depth: 3, direction: 'downstream' },
      { depth: 2, direction: 'both', ciTypes: ['application', 'virtual_machine', 'database'] },
      { depth: 2, direction: 'downstream', relTypes: ['runs_on', 'member_of', 'hosted_on'] },
    ];
    for (const key of keys) {
      for (const v of variants) {
        const req = { key, depth: 2, direction: 'both', maxNodes: 20000, ...v } as NeighbourhoodRequest;
        const want = referenceNeighbourhood(svc.db, req);
        const got = neighbourhood(svc.db, req);
        expect(got.truncated).toBe(want.truncated);
        if (want.truncated) continue;
        expect(shape(got)).toEqual(shape(want));
        expect(got.omitted).toBe(0);
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(200);
  });

  it('cuts at maxNodes with the same CIs and an exact omitted count when the cut ring is modest', () => {
    let cut = 0;
    // One direction at a time: the walk as the oracle cuts it (both walks interleave their rings).
    for (const [key, direction] of keys.flatMap((k) => [[k, 'downstream'] as const, [k, 'upstream'] as const])) {
      const req: NeighbourhoodRequest = { key, depth: 4, direction, maxNodes: 20 };
      const want = referenceNeighbourhood(svc.db, req);
      if (!want.truncated) continue;
      const got = neighbourhood(svc.db, req);
      expect(got.truncated).toBe(true);
      expect(got.nodes).toHaveLength(20);
      expect(shape(got)).toEqual(shape(want));
      if (want.omitted <= 1000) {
        expect(got.omitted).toBe(want.omitted);
        cut++;
      } else {
        expect(got.omitted).toBeGreaterThanOrEqual(want.omitted);
      }
    }
    expect(cut).toBeGreaterThan(5);
  });

  it('answers a hub with maxNodes CIs and counts the rest of its relationships on the indexes', () => {
    const got = neighbourhood(svc.db, { key: 'hub-san', depth: 1, direction: 'both', maxNodes: 100 });
    expect(got.nodes).toHaveLength(100);
    expect(got.truncated).toBe(true);
    // Every dependent is a distinct CI reached once, so the count is exact here.
    expect(got.omitted).toBe(HUB_DEPENDENTS - 99);
    expect(got.edges).toHaveLength(99);
    const shown = new Set(got.nodes.map((n) => n.key));
    for (const e of got.edges) expect(shown.has(e.source) && shown.has(e.target)).toBe(true);

    // Two hops down from the hub: its ring (past the counting budget) is cut.
    const req: NeighbourhoodRequest = { key: 'hub-san', depth: 2, direction: 'downstream', maxNodes: 500 };
    const far = neighbourhood(svc.db, req);
    const want = referenceNeighbourhood(svc.db, req);
    expect(far.truncated).toBe(true);
    expect(far.nodes).toHaveLength(500);
    expect(far.omitted).toBe(want.omitted);
    expect(shape(far)).toEqual(shape(want));

    // A CI type filter: the walk goes through the hub's VMs, none drawn, and nothing is cut.
    const none = neighbourhood(svc.db, { key: 'hub-san', depth: 1, direction: 'both', maxNodes: 100, ciTypes: ['storage'] });
    expect(none).toMatchObject({ truncated: false, omitted: 0, hidden: HUB_DEPENDENTS });
    expect(none.nodes.map((n) => n.key)).toEqual(['hub-san']);
  });

  it('gives every relationship between returned CIs when one of them is the source of thousands (a backup hub)', () => {
    for (const [req, exact] of [
      // A VM: the SAN up, the backup down (and not the SAN's other VMs: they are siblings).
      [{ key: 'hubvm-00002', depth: 2, direction: 'both', maxNodes: 300 }, true],
      // The backup hub depends on every VM it backs up: upstream, cut at 50.
      [{ key: 'hub-backup', depth: 1, direction: 'upstream', maxNodes: 50 }, true],
      // Down from the SAN: every VM, then the backup hub and the app that depend on them.
      [{ key: 'hub-san', depth: 2, direction: 'downstream', maxNodes: 20000 }, true],
    ] as Array<[NeighbourhoodRequest, boolean]>) {
      const got = neighbourhood(svc.db, req);
      const want = referenceNeighbourhood(svc.db, req);
      expect(shape(got)).toEqual(shape(want));
      if (exact) expect(got.omitted).toBe(want.omitted);
      else {
        expect(got.omitted).toBeGreaterThan(want.omitted);
        expect(got.omitted).toBeLessThanOrEqual(2 * (want.omitted + got.nodes.length));
      }
      // Each returned VM has its backup relationship to the hub.
      const vms = got.nodes.filter((n) => n.key.startsWith('hubvm-')).length;
      expect(got.edges.filter((e) => e.source === 'hub-backup')).toHaveLength(vms);
    }
  });

  it("reads every one of a hub's dependents to group them, past maxNodes, and draws one node per value", () => {
    const grouping = { by: 'type', expand: [], minSize: 2 };
    const down = neighbourhood(svc.db, { key: 'hub-san', depth: 1, direction: 'downstream', maxNodes: 100, grouping });
    const vms = groupId('type', 'virtual_machine');
    expect(down).toMatchObject({ truncated: false, omitted: 0, edges: [] });
    expect(down.nodes.map((n) => n.key)).toEqual(['hub-san']);
    expect(down.groups.map((g) => [g.id, g.count])).toEqual([[vms, HUB_DEPENDENTS]]);
    expect(down.groupEdges).toEqual([{ source: vms, target: 'hub-san', type: 'depends_on', count: HUB_DEPENDENTS }]);
    // The backup hub depends on each VM: one group edge the other way, all 7,000 counted.
    const up = neighbourhood(svc.db, { key: 'hub-backup', depth: 1, direction: 'upstream', maxNodes: 100, grouping });
    expect(up.groupEdges).toEqual([{ source: 'hub-backup', target: vms, type: 'backup_of', count: HUB_DEPENDENTS }]);
  });

  it('reads the relationships among the returned CIs by source, checking each target in SQLite, never pair by pair', () => {
    // Pair by pair (source_id=? AND target_id=?) is every pair of the returned CIs: minutes for a hub's 150,000 at 1,000,000 CIs.
    for (const sql of [EDGES_AMONG_SQL, GROUPED_AMONG_SQL]) {
      const plan = (svc.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all('[1,2,3]') as Array<{ detail: string }>).map((r) => r.detail);
      const search = plan.filter((d) => d.startsWith('SEARCH r '));
      expect(search).toHaveLength(1);
      expect(search[0]).toMatch(/\(source_id=\?\)$/);
    }
  });
});
