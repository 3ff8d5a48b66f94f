/**
 * The graph index patched after edits (index-journal.ts, index-patch.ts,
 * ci-attrs-patch.ts) answers every impact question exactly as an index
 * built afresh from the same CMDB, whatever the edits: random sequences of
 * CI and relationship creates, deletes and field changes, imports that
 * create and update, and their undo, through the service as a user makes
 * them.
 */
import fc from 'fast-check';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CmdbService } from '../../electron/cmdb/service.js';
import { rawFindings, rulesByCi } from '../../electron/cmdb/health/compute.js';
import { byRows, impactHealth } from '../../electron/cmdb/health/on-impact.js';
import { analyse } from '../../electron/cmdb/impact/analysis.js';
import { ATTR_STRIDE, CiAttrs } from '../../electron/cmdb/impact/ci-attrs.js';
import { compareBinary } from '../../electron/cmdb/impact/ci-attrs-patch.js';
import { downstreamImpact } from '../../electron/cmdb/impact/engine.js';
import { GraphIndex } from '../../electron/cmdb/impact/graph-index.js';
import { healthConfig } from '../../shared/health.js';
import type { ImpactResult } from '../../shared/impact.js';
import { freshService, ok, tempDir } from './helpers.js';

const TYPES = ['depends_on', 'runs_on', 'hosted_on', 'member_of', 'uses', 'connects_to'] as const;
const CI_TYPES = ['application', 'database', 'server', 'business_service'] as const;
const CRIT = [null, 'critical', 'high', 'low', 'odd'] as const;
const OWNERS = [null, 'team-a', 'team-b', 'Team-Ä', 'z'] as const;
const ENVS = [null, 'prod', 'test'] as const;
const GROUPS = [null, null, 'g1', 'g2'] as const;
const MIN_UP = [null, null, 1, 2] as const;
const KEYS = 10;

type Q = { keys: string[]; direction: 'downstream' | 'upstream'; types?: string[] | undefined; depth?: number | undefined };

/**
 * An answer without what depends on the order the search met CIs in (node
 * numbers differ between a patched and a fresh index): which of several
 * equally short paths it took (its length and ends are kept), hence which
 * group of the rolled-up graphs a CI's subtree falls in and the steps between
 * groups (the groups by type are kept), and which of equally severe CIs a
 * team's shortened key list names (all of them are compared when the list is
 * whole; how many when it is not; the same for the CIs no contact field names). The risk reasons are compared whole, in
 * order: which CIs they name does not depend on the search's order (nearest
 * first, then by id).
 */
function comparable(r: ImpactResult): unknown {
  const { durationMs: _d, impacted, notify, noContact, risk, groupGraphs, health, ...rest } = r;
  return {
    ...rest,
    // Each path's note names the CIs on it, and an equally short path may go through others.
    health: health && { byRule: health.byRule, byKey: health.byKey, overall: health.notes[0] },
    byType: groupGraphs?.type.groups,
    risk,
    impacted: impacted.map(({ path, ...i }) => ({ ...i, steps: path.length, from: path[0]?.key, to: path[path.length - 1]?.key })),
    notify: (notify ?? []).map((n) => ({
      ...n,
      keys: n.keys.length < n.changed + n.down + n.degraded ? n.keys.length : [...n.keys].sort(),
    })),
    // As a team's keys: the CIs no contact field names, named whole when all are, else how many.
    noContact: noContact && {
      ...noContact,
      cis:
        noContact.cis.length < noContact.changed + noContact.down + noContact.degraded
          ? noContact.cis.length
          : noContact.cis.map((c) => c.key).sort(),
    },
  };
}

/** Every step of every path is a relationship the CMDB holds between those two CIs, of that type. */
function checkSteps(svc: CmdbService, r: ImpactResult): void {
  const has = svc.db.prepare(
    `SELECT 1 FROM relationships r JOIN cis s ON s.id = r.source_id JOIN cis t ON t.id = r.target_id
     WHERE r.type = ? AND ((s.key = ? AND t.key = ?) OR (s.key = ? AND t.key = ?))`,
  );
  for (const i of r.impacted) {
    for (let k = 1; k < i.path.length; k++) {
      const [a, b] = [i.path[k - 1]!.key, i.path[k]!.key];
      expect(has.get(i.path[k]!.rel, a, b, b, a), `step ${a} -${i.path[k]!.rel}- ${b}`).toBeDefined();
    }
  }
}

/** The answers of an index and field table built now from the CMDB. */
function freshAnswers(svc: CmdbService): (q: Q) => ImpactResult {
  const index = GraphIndex.build(svc.db);
  const attrs = CiAttrs.build(svc.db, index);
  const config = healthConfig();
  return (q) => {
    const { result, rows } = analyse(svc.db, index, attrs, { ...q, limit: 1_000_000 });
    // The health too: what the rules keep with an index for runs on a few CIs must follow the edits as the index does.
    return {
      ...result,
      health: impactHealth(
        result,
        config,
        byRows(rows, (asked) => rulesByCi(rawFindings(svc.db, config, index, Date.now(), new Set(asked.map((r) => r.id))).raw)),
      ),
    };
  };
}

function compare(svc: CmdbService, q: Q, fresh = freshAnswers(svc), steps = true): void {
  const patched = svc.impacts.impact({ ...q, limit: 1_000_000 });
  expect(comparable(patched)).toEqual(comparable(fresh(q)));
  if (steps) checkSteps(svc, patched);
}

/** Every CI's impact both ways (every type followed), and one question with types and a depth. */
function compareAll(svc: CmdbService, q: Q): void {
  const fresh = freshAnswers(svc);
  const keys = svc.db.prepare('SELECT key FROM cis ORDER BY key').pluck().all() as string[];
  for (const k of keys) {
    compare(svc, { keys: [k], direction: 'downstream' }, fresh, false);
    compare(svc, { keys: [k], direction: 'upstream' }, fresh, false);
  }
  // The field table holds what a fresh one holds: the same values, the same value per CI.
  const { index, attrs } = svc.impacts.indexHolder.getWithAttrs();
  const freshIndex = GraphIndex.build(svc.db);
  const freshAttrs = CiAttrs.build(svc.db, freshIndex);
  const table = (ix: GraphIndex, at: CiAttrs) =>
    (svc.db.prepare('SELECT id FROM cis ORDER BY id').pluck().all() as number[]).map((id) =>
      Array.from(at.codes.subarray(ATTR_STRIDE * ix.nodeOf(id), ATTR_STRIDE * ix.nodeOf(id) + ATTR_STRIDE)),
    );
  const columns = (at: CiAttrs) => [at.type.values, at.criticality.values, at.owner.values, at.environment.values, at.status.values];
  expect(columns(attrs)).toEqual(columns(freshAttrs));
  expect(table(index, attrs)).toEqual(table(freshIndex, freshAttrs));
  const origins = q.keys.filter((k) => keys.includes(k));
  if (origins.length > 0) compare(svc, { ...q, keys: origins }, fresh);
}

const key = (i: number) => `c${i}`;
const ciFields = fc.record({
  type: fc.constantFrom(...CI_TYPES),
  criticality: fc.constantFrom(...CRIT),
  owner: fc.constantFrom(...OWNERS),
  environment: fc.constantFrom(...ENVS),
  // A member not running counts as already down in its redundancy groups: the patched table must know the status.
  status: fc.constantFrom(null, 'operational', 'non-operational', 'maintenance'),
});
const relArb = fc.record({
  s: fc.nat(KEYS - 1),
  t: fc.nat(KEYS - 1),
  type: fc.constantFrom(...TYPES),
  group: fc.constantFrom(...GROUPS),
  minUp: fc.constantFrom(...MIN_UP),
});
const cmdArb = fc.oneof(
  fc.record({ k: fc.constant('createCi' as const), i: fc.nat(KEYS - 1), f: ciFields }),
  fc.record({ k: fc.constant('deleteCi' as const), i: fc.nat(KEYS - 1) }),
  fc.record({
    k: fc.constant('updateCi' as const),
    i: fc.nat(KEYS - 1),
    f: fc.oneof(
      fc.record({ type: fc.constantFrom(...CI_TYPES) }),
      fc.record({ criticality: fc.constantFrom(...CRIT) }),
      fc.record({ owner: fc.constantFrom(...OWNERS) }),
      fc.record({ environment: fc.constantFrom(...ENVS), status: fc.constantFrom('live', 'retired', 'non-operational', 'standby') }),
    ),
  }),
  fc.record({ k: fc.constant('createRel' as const), r: relArb }),
  fc.record({ k: fc.constant('createRel' as const), r: relArb }),
  fc.record({ k: fc.constant('deleteRel' as const), pick: fc.nat() }),
  fc.record({
    k: fc.constant('import' as const),
    cis: fc.array(fc.record({ i: fc.nat(KEYS - 1), f: ciFields }), { maxLength: 3 }),
    rels: fc.array(relArb, { maxLength: 4 }),
  }),
  fc.record({ k: fc.constant('undo' as const) }),
);
const checkArb = fc.record({
  origins: fc.uniqueArray(fc.nat(KEYS - 1), { minLength: 1, maxLength: 3 }),
  direction: fc.constantFrom('downstream' as const, 'upstream' as const),
  types: fc.option(fc.subarray(['depends_on', 'runs_on', 'hosted_on', 'member_of', 'uses'], { minLength: 1 }), { nil: undefined }),
  depth: fc.option(fc.integer({ min: 0, max: 3 }), { nil: undefined }),
});

const csv = (rows: Array<Array<string | number | null>>) => rows.map((r) => r.map((c) => c ?? '').join(',')).join('\n') + '\n';

/** Applies one edit through the service; edits the CMDB refuses (a key taken, a CI gone) change nothing. */
async function apply(svc: CmdbService, cmd: Cmd, imports: number[]): Promise<void> {
  const attempt = async (fn: () => Promise<unknown>) => {
    try {
      await fn();
    } catch {
      // refused: nothing changed
    }
  };
  switch (cmd.k) {
    case 'createCi':
      return attempt(() => ok(svc, 'createCi', { key: key(cmd.i), fields: { name: `CI ${cmd.i}`, ...nonNull(cmd.f) } }));
    case 'deleteCi':
      return attempt(() => ok(svc, 'deleteCi', { key: key(cmd.i) }));
    case 'updateCi':
      return attempt(() => ok(svc, 'updateCi', { key: key(cmd.i), fields: nonNull(cmd.f) }));
    case 'createRel':
      return attempt(() =>
        ok(svc, 'createRelationship', {
          source: key(cmd.r.s),
          target: key(cmd.r.t),
          type: cmd.r.type,
          redundancyGroup: cmd.r.group,
          minUp: cmd.r.minUp,
        }),
      );
    case 'deleteRel': {
      const ids = svc.db.prepare('SELECT id FROM relationships ORDER BY id').pluck().all() as number[];
      if (ids.length === 0) return;
      return attempt(() => ok(svc, 'deleteRelationship', { id: ids[cmd.pick % ids.length]! }));
    }
    case 'import': {
      const cis = csv([
        ['id', 'name', 'type', 'criticality', 'owner', 'environment', 'status'],
        ...cmd.cis.map((c) => [key(c.i), `CI ${c.i}`, c.f.type, c.f.criticality, c.f.owner, c.f.environment, c.f.status]),
      ]);
      const relRows = cmd.rels.filter((r) => r.s !== r.t).map((r) => [key(r.s), key(r.t), r.type, r.group, r.minUp]);
      const rels = csv([['source', 'target', 'type', 'redundancy_group', 'min_up'], ...relRows]);
      if (cmd.cis.length === 0 && relRows.length === 0) return;
      return attempt(async () => {
        const r = await ok(svc, 'importCsv', {
          skipBadRows: true,
          ...(cmd.cis.length > 0 ? { cis: { name: 'cis.csv', content: cis } } : {}),
          ...(relRows.length > 0 ? { relationships: { name: 'rels.csv', content: rels } } : {}),
        });
        if (r.importId) imports.push(r.importId);
      });
    }
    case 'undo': {
      const id = imports.pop();
      if (id !== undefined) return attempt(() => ok(svc, 'undoImport', { id }));
    }
  }
}

type Cmd = typeof cmdArb extends fc.Arbitrary<infer T> ? T : never;
type Rel = typeof relArb extends fc.Arbitrary<infer T> ? T : never;
type Fields = typeof ciFields extends fc.Arbitrary<infer T> ? T : never;

function nonNull<T extends object>(f: T): { [K in keyof T]: Exclude<T[K], null> } {
  return Object.fromEntries(Object.entries(f).filter(([, v]) => v !== null)) as { [K in keyof T]: Exclude<T[K], null> };
}

async function seeded(n: number, rels: Rel[], fields: Fields[]): Promise<CmdbService> {
  const svc = freshService();
  // One import, as a CMDB starts: it keeps a criticality off the scale ('odd'), which an edit by hand refuses.
  const rows = Array.from({ length: n }, (_, i) => fields[i % fields.length]!);
  const cis = csv([
    ['id', 'name', 'type', 'criticality', 'owner', 'environment'],
    ...rows.map((f, i) => [key(i), `CI ${i}`, f.type, f.criticality, f.owner, f.environment]),
  ]);
  await ok(svc, 'importCsv', { cis: { name: 'seed.csv', content: cis } });
  for (const r of rels) {
    if (r.s === r.t || r.s >= n || r.t >= n) continue;
    try {
      await ok(svc, 'createRelationship', { source: key(r.s), target: key(r.t), type: r.type, redundancyGroup: r.group, minUp: r.minUp });
    } catch {
      // the same (source, target, type) twice
    }
  }
  return svc;
}

describe('the graph index patched after edits', () => {
  it('answers every impact question exactly as an index built afresh (random edits, imports and undo)', async () => {
    let patches = 0;
    let builds = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 4, max: KEYS }),
        fc.array(relArb, { minLength: 4, maxLength: 30 }),
        fc.array(ciFields, { minLength: 1, maxLength: 4 }),
        fc.array(fc.tuple(fc.array(cmdArb, { minLength: 1, maxLength: 4 }), checkArb), { minLength: 1, maxLength: 4 }),
        async (n, rels, fields, steps) => {
          const svc = await seeded(n, rels, fields);
          const imports: number[] = [];
          // The index and the field table exist before the first edit.
          svc.impacts.impact({ keys: [key(0)], direction: 'downstream', limit: 10 });
          const holder = svc.impacts.indexHolder;
          const before = { builds: holder.builds, patches: holder.patches };
          for (const [cmds, check] of steps) {
            for (const cmd of cmds) await apply(svc, cmd, imports);
            compareAll(svc, { keys: check.origins.map(key), direction: check.direction, types: check.types, depth: check.depth });
          }
          expect(holder.patchErrors).toEqual([]);
          patches += holder.patches - before.patches;
          builds += holder.builds - before.builds;
          svc.close();
        },
      ),
      { numRuns: 40 },
    );
    // The edits were patched, not rebuilt.
    expect(patches).toBeGreaterThan(40);
    expect(builds).toBe(0);
  }, 240_000);

  it('sorts values as SQLite does (UTF-8 bytes), not as UTF-16 units', () => {
    const svc = freshService();
    const words = ['b', 'a', 'ｚ', '😀', 'Z', '', 'ä', 'a😀', 'aｚ'];
    const sqlite = svc.db.prepare(`SELECT value FROM json_each(?) ORDER BY value`).pluck().all(JSON.stringify(words)) as string[];
    expect([...words].sort(compareBinary)).toEqual(sqlite);
  });
});

describe('patching keeps each index as it was', () => {
  it('an analysis holding the previous index reads exactly what it read before the edit', async () => {
    const svc = freshService();
    for (const k of ['db', 'app', 'web', 'batch']) await ok(svc, 'createCi', { key: k, fields: { type: 'application', name: k } });
    await ok(svc, 'createRelationship', { source: 'app', target: 'db', type: 'depends_on' });
    await ok(svc, 'createRelationship', { source: 'web', target: 'app', type: 'depends_on', redundancyGroup: 'pair' });
    const holder = svc.impacts.indexHolder;
    const { index: old, attrs } = holder.getWithAttrs();
    const arrays = [
      old.downRange,
      old.downEdge,
      old.downSlots,
      old.upRange,
      old.upEdge,
      old.upSlots,
      old.edgeGroup,
      old.groupInfo,
      attrs.codes,
    ];
    const snapshot = arrays.map((a) => Array.from(a));
    const dbNode = old.nodeOf(svc.store.ciRowByKey('db')!.id);
    const run = (ix: GraphIndex) => {
      const r = downstreamImpact(ix, [dbNode], { mask: ix.typeMask() });
      return Array.from(r.order.subarray(0, r.count), (v) => `${ix.ciIdOf(v)}:${r.state[v]}`).sort();
    };
    const was = run(old);
    await ok(svc, 'createRelationship', { source: 'batch', target: 'db', type: 'runs_on' });
    await ok(svc, 'deleteCi', { key: 'web' });
    await ok(svc, 'updateCi', { key: 'app', fields: { owner: 'team-new', type: 'database' } });
    await ok(svc, 'createCi', { key: 'late', fields: { type: 'server', name: 'Late' } });
    await ok(svc, 'createRelationship', { source: 'late', target: 'db', type: 'depends_on' });
    const next = holder.get();
    expect(next).not.toBe(old);
    expect(next.reader).toBe('patched');
    expect(holder.patches).toBe(1);
    // The old index and field table are untouched, and still give the old answer.
    expect(arrays.map((a) => Array.from(a))).toEqual(snapshot);
    expect(run(old)).toEqual(was);
    // The new one sees every edit, as a fresh build does.
    expect(run(next)).not.toEqual(was);
    compare(svc, { keys: ['db'], direction: 'downstream' });
    compare(svc, { keys: ['late', 'batch'], direction: 'upstream' });
  });

  it('deleting a CI with relationships both ways, then undoing an import, each patched', async () => {
    const svc = freshService();
    await ok(svc, 'importCsv', {
      cis: { name: 'cis.csv', content: 'id,name,type,owner\ndb,DB,database,team-db\napp,App,application,team-app\nweb,Web,application,\n' },
      relationships: { name: 'rels.csv', content: 'source,target,type\napp,db,depends_on\nweb,app,depends_on\n' },
    });
    compare(svc, { keys: ['db'], direction: 'downstream' });
    const holder = svc.impacts.indexHolder;
    const builds = holder.builds;
    await ok(svc, 'deleteCi', { key: 'app' });
    compare(svc, { keys: ['db'], direction: 'downstream' });
    compare(svc, { keys: ['web'], direction: 'upstream' });
    const imported = await ok(svc, 'importCsv', {
      cis: { name: 'cis.csv', content: 'id,name,type,owner\napi,API,application,team-api\ndb,DB,database,team-dba\n' },
      relationships: { name: 'rels.csv', content: 'source,target,type,redundancy_group\napi,db,depends_on,pool\nweb,api,uses,\n' },
    });
    compare(svc, { keys: ['db'], direction: 'downstream' });
    expect(svc.impacts.impact({ keys: ['db'], direction: 'downstream', limit: 10 }).owners.map((o) => o.owner)).toContain('team-api');
    await ok(svc, 'undoImport', { id: imported.importId! });
    compare(svc, { keys: ['db'], direction: 'downstream' });
    compare(svc, { keys: ['web'], direction: 'upstream' });
    const r = svc.impacts.impact({ keys: ['db'], direction: 'downstream', limit: 10 });
    expect(r.owners.map((o) => o.owner)).toEqual(['team-db']);
    expect(holder.builds).toBe(builds);
    expect(holder.patches).toBeGreaterThanOrEqual(3);
  });

  it('an import that creates rows under ids freed before the index was read (SQLite reuses them), patched', async () => {
    // The failure the random edits once found: c2 deleted, the index read, c3's relationship deleted, then
    // an import's c1 depends_on c0 took relationship id 1, at or below the largest id when the index was read.
    const svc = freshService();
    for (const k of ['db', 'app', 'old', 'last']) await ok(svc, 'createCi', { key: k, fields: { type: 'application', name: k } });
    await ok(svc, 'createRelationship', { source: 'old', target: 'db', type: 'depends_on' });
    await ok(svc, 'createRelationship', { source: 'last', target: 'db', type: 'depends_on' });
    const idOf = (k: string) => svc.store.ciRowByKey(k)!.id;
    const oldCi = idOf('old');
    const oldRel = svc.db.prepare('SELECT min(id) FROM relationships').pluck().get() as number;
    // Gone before the index is read: old and its relationship. Their ids are below the largest (last's).
    await ok(svc, 'deleteCi', { key: 'old' });
    const holder = svc.impacts.indexHolder;
    holder.get();
    const builds = holder.builds;
    // Gone after: the rows with the largest ids. A new row now takes the largest id left plus one.
    await ok(svc, 'deleteCi', { key: 'last' });
    await ok(svc, 'importCsv', {
      cis: { name: 'cis.csv', content: 'id,name,type\napi,API,application\n' },
      relationships: { name: 'rels.csv', content: 'source,target,type\napi,db,depends_on\napp,db,depends_on\n' },
    });
    // The import's rows took the freed ids, which no history row since the index was read names.
    expect(idOf('api')).toBe(oldCi);
    const apiDb = 'SELECT r.id FROM relationships r JOIN cis s ON s.id = r.source_id WHERE s.key = ?';
    expect(svc.db.prepare(apiDb).pluck().get('api')).toBe(oldRel);
    compare(svc, { keys: ['db'], direction: 'downstream' });
    compare(svc, { keys: ['api'], direction: 'upstream' });
    const keys = svc.impacts.impact({ keys: ['db'], direction: 'downstream', limit: 10 }).impacted.map((i) => i.key);
    expect(keys.sort()).toEqual(['api', 'app', 'db']);
    expect(holder.builds).toBe(builds);
    expect(holder.patches).toBe(1);
    expect(holder.patchErrors).toEqual([]);
  });

  it('redundancy groups that lose, gain or move a member, or change min_up, each patched', async () => {
    const svc = freshService();
    const cis = ['a', 'b', 'c', 'lb', 'web'].map((k) => `${k},${k},server`).join('\n');
    await ok(svc, 'importCsv', {
      cis: { name: 'cis.csv', content: `id,name,type\n${cis}\n` },
      relationships: {
        name: 'rels.csv',
        content: 'source,target,type,redundancy_group,min_up\nlb,a,depends_on,pool,\nlb,b,depends_on,pool,\nweb,lb,depends_on,,\n',
      },
    });
    const holder = svc.impacts.indexHolder;
    holder.get();
    const builds = holder.builds;
    const every = () => {
      for (const k of ['a', 'b', 'c', 'lb']) {
        compare(svc, { keys: [k], direction: 'downstream' });
        compare(svc, { keys: [k], direction: 'upstream' });
      }
      compare(svc, { keys: ['a'], direction: 'downstream', types: ['depends_on'] });
    };
    every();
    const state = () => svc.impacts.impact({ keys: ['a'], direction: 'downstream', limit: 10 }).impacted.find((i) => i.key === 'lb')?.state;
    expect(state()).toBe('degraded');
    // b leaves the pool: a alone holds lb up.
    const lbB = svc.db
      .prepare("SELECT r.id FROM relationships r JOIN cis t ON t.id = r.target_id WHERE t.key = 'b'")
      .pluck()
      .get() as number;
    await ok(svc, 'deleteRelationship', { id: lbB });
    every();
    expect(state()).toBe('down');
    // c joins the pool, then the pool needs two up.
    await ok(svc, 'createRelationship', { source: 'lb', target: 'c', type: 'depends_on', redundancyGroup: 'pool' });
    every();
    expect(state()).toBe('degraded');
    await ok(svc, 'importCsv', {
      relationships: { name: 'rels.csv', content: 'source,target,type,redundancy_group,min_up\nlb,c,depends_on,pool,2\n' },
    });
    every();
    expect(state()).toBe('down');
    // c moves to a pool of its own: a alone again in "pool".
    await ok(svc, 'importCsv', {
      relationships: { name: 'rels.csv', content: 'source,target,type,redundancy_group,min_up\nlb,c,depends_on,other,\n' },
    });
    every();
    expect(holder.builds).toBe(builds);
    expect(holder.patches).toBe(4);
  });

  it('a compact numbering (sparse ids) takes new CIs at its end', async () => {
    const svc = freshService();
    await ok(svc, 'createCi', { key: 'db', fields: { type: 'database', name: 'DB' } });
    svc.db
      .prepare("INSERT INTO cis(id, key, type, name, created_at, updated_at) VALUES (5000000, 'far', 'application', 'Far', 'x', 'x')")
      .run();
    const holder = svc.impacts.indexHolder;
    expect(holder.get().ids).not.toBeNull();
    await ok(svc, 'createCi', { key: 'next', fields: { type: 'application', name: 'Next' } });
    await ok(svc, 'createRelationship', { source: 'next', target: 'db', type: 'depends_on' });
    await ok(svc, 'createRelationship', { source: 'far', target: 'next', type: 'runs_on' });
    expect(holder.get().reader).toBe('patched');
    expect(holder.get().ids).not.toBeNull();
    compare(svc, { keys: ['db'], direction: 'downstream' });
    compare(svc, { keys: ['far'], direction: 'upstream' });
    expect(svc.impacts.impact({ keys: ['db'], direction: 'downstream', limit: 10 }).impacted.map((i) => i.key)).toEqual([
      'db',
      'next',
      'far',
    ]);
    expect(holder.patchErrors).toEqual([]);
  });

  it('patches a change of exactly the limit (history rows, new CIs and new relationships together), rebuilds one row past it', async () => {
    const svc = freshService();
    await ok(svc, 'createCi', { key: 'db', fields: { type: 'database', name: 'DB' } });
    const holder = svc.impacts.indexHolder;
    holder.get();
    // A CI created by an edit: a history row and a new CI; a relationship: a history row and a new relationship.
    const edit = async (key: string) => {
      await ok(svc, 'createCi', { key, fields: { type: 'server', name: key } });
      await ok(svc, 'createRelationship', { source: key, target: 'db', type: 'depends_on' });
    };
    holder.patchLimit = 4;
    await edit('x');
    expect(holder.get().reader).toBe('patched');
    expect([holder.builds, holder.patches]).toEqual([1, 1]);
    holder.patchLimit = 3;
    await edit('y');
    expect(holder.get().reader).toBe('packed');
    expect([holder.builds, holder.patches]).toEqual([2, 1]);
    compare(svc, { keys: ['db'], direction: 'downstream' });
  });

  it('rebuilds after a delete that bypassed the store (no history row) of the newest relationship or CI', async () => {
    const svc = freshService(join(tempDir(), 'cmdb.db'));
    const other = CmdbService.open(svc.db.name, { source: 'sqlite3' });
    await ok(svc, 'importCsv', {
      cis: { name: 'cis.csv', content: 'id,name,type\ndb,DB,database\napp,App,application\nsvc,Svc,business_service\n' },
      relationships: { name: 'rels.csv', content: 'source,target,type\napp,db,depends_on\nsvc,app,uses\n' },
    });
    const holder = svc.impacts.indexHolder;
    compare(svc, { keys: ['db'], direction: 'downstream' });
    // Another tool deletes the relationship with the largest id, then the CI with the largest id, writing no history.
    other.db.prepare("DELETE FROM relationships WHERE type = 'uses'").run();
    compare(svc, { keys: ['db'], direction: 'downstream' });
    expect(svc.impacts.impact({ keys: ['db'], direction: 'downstream', limit: 10 }).impacted.map((i) => i.key)).toEqual(['db', 'app']);
    other.db.prepare("DELETE FROM relationships WHERE source_id = (SELECT id FROM cis WHERE key = 'app')").run();
    other.db.prepare("DELETE FROM cis WHERE key = 'svc'").run();
    compare(svc, { keys: ['db'], direction: 'downstream' });
    expect(holder.patchErrors).toEqual([]);
    other.close();
  });

  it('rebuilds instead when the change is larger than the limit, or the relationship types changed', async () => {
    const svc = freshService();
    await ok(svc, 'createCi', { key: 'db', fields: { type: 'database', name: 'DB' } });
    const holder = svc.impacts.indexHolder;
    holder.get();
    compare(svc, { keys: ['db'], direction: 'downstream' });
    holder.patchLimit = 5;
    const rows = Array.from({ length: 8 }, (_, i) => `a${i},A${i},application`).join('\n');
    const rels = Array.from({ length: 8 }, (_, i) => `a${i},db,depends_on`).join('\n');
    await ok(svc, 'importCsv', {
      cis: { name: 'cis.csv', content: `id,name,type\n${rows}\n` },
      relationships: { name: 'rels.csv', content: `source,target,type\n${rels}\n` },
    });
    expect(holder.get().reader).toBe('packed');
    expect([holder.builds, holder.patches]).toEqual([2, 0]);
    compare(svc, { keys: ['db'], direction: 'downstream' });
    holder.patchLimit = 1000;
    svc.db.prepare("UPDATE rel_types SET strength = 'soft' WHERE name = 'depends_on'").run();
    expect(holder.get().reader).toBe('packed');
    expect([holder.builds, holder.patches]).toEqual([3, 0]);
    compare(svc, { keys: ['db'], direction: 'downstream' });
    await ok(svc, 'createCi', { key: 'x', fields: { type: 'server', name: 'X' } });
    await ok(svc, 'createRelationship', { source: 'x', target: 'db', type: 'depends_on' });
    expect(holder.get().reader).toBe('patched');
    expect([holder.builds, holder.patches]).toEqual([3, 1]);
    compare(svc, { keys: ['db'], direction: 'downstream' });
  });
});
