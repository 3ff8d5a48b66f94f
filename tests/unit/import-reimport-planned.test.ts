/**
 * A big re-import plans its relationships on another thread (bulk/rel-planner.ts with PlanRequest.stored):
 * the planner reads the stored keys itself and plans while the import thread does the
 * CIs. Whatever it plans, the import writes and reports exactly what the import thread alone does: the same
 * counts, verdicts and messages, the same field-level history, the same sync retirement; and undo of the
 * planned re-import gives back the CMDB as it was.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { join } from 'node:path';
import { openDatabase, type Db } from '../../electron/cmdb/db.js';
import { runImport, type RunImportInput } from '../../electron/cmdb/import/engine.js';
import { RelPlanner } from '../../electron/cmdb/import/bulk/rel-planner.js';
import { StoredRels } from '../../electron/cmdb/import/stages/stored-rels.js';
import { undoImport } from '../../electron/cmdb/import/undo.js';
import { dropWarmWorkers, prewarmPlanner } from '../../electron/cmdb/import/warm-worker.js';
import { Worker } from 'node:worker_threads';
import { tempDir } from './helpers.js';

afterEach(() => vi.restoreAllMocks());

const N = 200;
const key = (i: number) => `k-${i}.eu-west.example.internal`;
function cis(change: (i: number) => string | null = () => '') {
  const lines = ['id,name,type,owner'];
  for (let i = 0; i < N; i++) {
    const owner = change(i);
    if (owner !== null) lines.push(`${key(i)},Node ${i},${i % 3 ? 'server' : 'application'},team-${i % 4}${owner}`);
  }
  return lines;
}
function rels(extra: string[] = [], header = 'source,target,type,redundancy_group,min_up') {
  const lines = [header];
  for (let i = 1; i < N; i++) lines.push(`${key(i)},${key((i * 7 + 1) % N)},depends_on,${i % 9 ? '' : `pool-${i % 2}`},`);
  return [...lines, ...extra];
}
const file = (name: string, lines: string[]) => ({ name, content: `${lines.join('\n')}\n` });
const FIRST = { cis: file('cis.csv', cis()), relationships: file('rels.csv', rels()) };

/** A CMDB file with the first import in it. */
async function stored(): Promise<string> {
  const path = join(tempDir(), 'cmdb.db');
  const db = openDatabase(path);
  try {
    await runImport(db, { ...FIRST, rowsLimit: 0 });
  } finally {
    db.close();
  }
  return path;
}

/** What the CMDB holds that an import can change, without times. */
function state(db: Db) {
  return {
    cis: db.prepare('SELECT key, type, name, owner, status, import_id FROM cis ORDER BY key').raw().all(),
    rels: db
      .prepare(
        `SELECT s.key, t.key, r.type, r.redundancy_group, r.min_up, r.attributes, r.import_id FROM relationships r
         JOIN cis s ON s.id = r.source_id JOIN cis t ON t.id = r.target_id ORDER BY s.key, t.key, r.type`,
      )
      .raw()
      .all() as unknown[][],
    history: db.prepare('SELECT entity, ci_key, related_key, action, summary, changes FROM history ORDER BY id').raw().all() as unknown[][],
    relTypes: db.prepare('SELECT name FROM rel_types ORDER BY name').pluck().all(),
    search: db.prepare("SELECT rowid FROM ci_fts WHERE ci_fts MATCH 'moved OR new' ORDER BY rowid").pluck().all(),
  };
}

/** The planner's messages, by type, and whether it read the stored CMDB. */
function watch() {
  const seen: string[] = [];
  const results = RelPlanner.prototype.results;
  vi.spyOn(RelPlanner.prototype, 'results').mockImplementation(async function* (this: RelPlanner) {
    if (!this.readsStored) throw new Error('a re-import planner was expected');
    for await (const m of results.call(this)) {
      seen.push(m.type);
      yield m;
    }
  });
  return seen;
}

/** The re-import into a copy of the stored CMDB; its result (without id and time) and what the CMDB then holds. */
async function reimport(input: Partial<RunImportInput>, undo = false, setUp?: (db: Db) => void) {
  const path = await stored();
  if (setUp) {
    const db = openDatabase(path);
    setUp(db);
    db.close();
  }
  const db = openDatabase(path);
  let result;
  let before;
  let after;
  let undone;
  try {
    before = state(db);
    const r = await runImport(db, { mode: 'sync', skipBadRows: true, rowsLimit: 1000, ...input });
    const { durationMs: _d, importId, ...rest } = r;
    result = rest;
    after = state(db);
    if (undo) {
      undoImport(db, importId!);
      undone = state(db);
    }
  } finally {
    db.close();
  }
  return { result, before, after, undone };
}

/** Stored relationships the changed export lists differently: a group changed, a group given. */
const CHANGED_LINES = new Map([
  [`${key(9)},${key(64)},depends_on,pool-1,`, `${key(9)},${key(64)},depends_on,pool-0,`],
  [`${key(1)},${key(8)},depends_on,,`, `${key(1)},${key(8)},depends_on,pool-9,`],
]);
// A changed export: CI 5 gone (sync retires it), 3 owners changed, a new CI with relationships, a changed
// group and a new one, relationships listed twice (a plain one as it was; two after their update, one of
// them plain the second time), one to a key nobody has, and a row with itself.
const CHANGED = {
  cis: file('cis.csv', [...cis((i) => (i === 5 ? null : i % 67 === 1 ? '-moved' : '')), `${key(900)},Node 900,server,team-new`]),
  relationships: file('rels.csv', [
    ...rels().map((l) => CHANGED_LINES.get(l) ?? l),
    `${key(900)},${key(1)},depends_on,,`,
    `${key(2)},${key(900)},runs_on,,`,
    `${key(2)},${key(15)},depends_on,,`, // again: line 3 lists it
    `${key(1)},${key(8)},depends_on,,`, // again, plain, after line 2 gave it a group
    `${key(9)},${key(64)},depends_on,pool-0,`, // again, after line 10 updated it
    `${key(3)},nobody.example.internal,depends_on,,`,
    `${key(4)},${key(4)},depends_on,,`,
  ]),
};

describe('a re-import planned on another thread', () => {
  for (const match of ['key', 'auto'] as const)
    it(`reports and writes what the import thread alone does: verdicts, messages, history, retirement (endpoints by ${match})`, async () => {
      const mapping = { endpointMatch: match };
      const seen = watch();
      const planned = await reimport({ ...CHANGED, mapping, parallelFrom: 0 });
      // By key or name, the unknown key is looked up by name here: the planner hands the rest over.
      expect([...new Set(seen)]).toEqual(match === 'key' ? ['rows', 'end'] : ['rows', 'handover']);
      vi.restoreAllMocks();
      const here = await reimport({ ...CHANGED, mapping, parallelFrom: Number.POSITIVE_INFINITY });
      expect(planned.result).toEqual(here.result);
      expect(planned.after).toEqual(here.after);
      expect(planned.result.counts).toMatchObject({
        created: 1,
        updated: 3,
        retired: 1,
        relationshipsCreated: 2,
        relationshipsUpdated: 2,
        relationshipsRejected: 5,
      });
      expect(planned.result.counts.relationshipsUnchanged).toBeGreaterThan(150);
      const messages = planned.result.errors.map((e) => `${e.line}: ${e.message}`);
      expect(messages).toEqual([
        expect.stringMatching(
          new RegExp(`^${N + 3}: duplicate relationship Node 2 \\(${key(2)}\\) depends_on Node 15 \\(${key(15)}\\): line 3 of`),
        ),
        expect.stringMatching(
          new RegExp(`^${N + 4}: duplicate relationship Node 1 \\(${key(1)}\\) depends_on Node 8 \\(${key(8)}\\): line 2 of`),
        ),
        expect.stringMatching(
          new RegExp(`^${N + 5}: duplicate relationship Node 9 \\(${key(9)}\\) depends_on Node 64 \\(${key(64)}\\): line 10 of`),
        ),
        expect.stringMatching(new RegExp(`^${N + 6}: unknown target CI "nobody.example.internal"`)),
        expect.stringMatching(new RegExp(`^${N + 7}: .* with itself`)),
      ]);
      const relHistory = planned.after.history.filter((h) => h[0] === 'relationship');
      expect(relHistory).toEqual([
        [
          'relationship',
          key(1),
          key(8),
          'update',
          `${key(1)} depends_on ${key(8)}`,
          JSON.stringify({ redundancyGroup: { from: null, to: 'pool-9' } }),
        ],
        [
          'relationship',
          key(9),
          key(64),
          'update',
          `${key(9)} depends_on ${key(64)}`,
          JSON.stringify({ redundancyGroup: { from: 'pool-1', to: 'pool-0' } }),
        ],
      ]);
    });

  for (const match of ['key', 'auto'] as const)
    it(`a CI the export marks deleted: its relationships, planned by key, are removed as the import thread alone removes them (by ${match})`, async () => {
      // BMC Helix's MarkAsDeleted on CI 7's row; its relationship rows are not marked (BMC leaves them so).
      const marked = {
        ...FIRST,
        cis: file(
          'cis.csv',
          cis().map((l, i) => `${l},${i === 0 ? 'MarkAsDeleted' : i === 8 ? 'Yes' : 'No'}`),
        ),
      };
      const mapping = { endpointMatch: match };
      const seen = watch();
      const planned = await reimport({ ...marked, mapping, parallelFrom: 0 });
      expect(seen).toContain('rows');
      vi.restoreAllMocks();
      const here = await reimport({ ...marked, mapping, parallelFrom: Number.POSITIVE_INFINITY });
      expect(planned.result).toEqual(here.result);
      // The removals' history holds the first import's times, which differ between the two stored CMDBs.
      const untimed = (st: ReturnType<typeof state>) => ({
        ...st,
        history: st.history.map((h) => h.map((v) => (typeof v === 'string' ? v.replace(/"(createdAt|updatedAt)":\{[^}]*\}/g, '') : v))),
      });
      expect(untimed(planned.after)).toEqual(untimed(here.after));
      const ofSeven = (rows: unknown[][]) => rows.filter((r) => r[0] === key(7) || r[1] === key(7)).length;
      expect(ofSeven(planned.before.rels)).toBe(2);
      expect(ofSeven(planned.after.rels)).toBe(0);
      expect(planned.result.counts).toMatchObject({ retired: 1, relationshipsRemoved: 2, relationshipsRejected: 0 });
      expect(planned.result.warnings).toContain(
        'rels.csv: 2 rows name a CI marked deleted (MarkAsDeleted: Yes) in cis.csv and make no relationship; a sync removes any this source has.',
      );
    });

  it('with no row results noted (unchanged rows only counted) and no lead allowed, the same', async () => {
    const mapping = { endpointMatch: 'key' } as const;
    watch();
    const tight = await reimport({
      ...CHANGED,
      mapping,
      rowsLimit: 0,
      parallelFrom: 0,
      helperLimits: { planAhead: { rows: 1, bytes: 1 } },
    });
    vi.restoreAllMocks();
    const here = await reimport({ ...CHANGED, mapping, rowsLimit: 0, parallelFrom: Number.POSITIVE_INFINITY });
    expect(tight.result).toEqual(here.result);
    expect(tight.after).toEqual(here.after);
    expect(tight.result.errors.map((e) => e.line)).toEqual([N + 3, N + 4, N + 5, N + 6, N + 7]);
  });

  it('the same export again: every row unchanged, nothing written; undo of a changed one gives the CMDB back', async () => {
    watch();
    const again = await reimport({ ...FIRST, parallelFrom: 0 });
    expect(again.result.counts).toMatchObject({ unchanged: N, updated: 0, relationshipsUnchanged: N - 1, relationshipsUpdated: 0 });
    expect(again.result.errors).toEqual([]);
    expect(again.after).toEqual(again.before);
    const changed = await reimport({ ...CHANGED, parallelFrom: 0 }, true);
    expect(changed.after).not.toEqual(changed.before);
    // Undo keeps its own history entries; the rest is as it was, each restored CI and relationship pointing back at
    // the import that last touched it before the undone one.
    const restored = (s: ReturnType<typeof state> | undefined) => ({ ...s, history: null });
    expect(restored(changed.undone)).toEqual(restored(changed.before));
  });

  it("a planner started ahead of its job (the CLI's import thread starts one as it loads) plans the same, as one thread", async () => {
    const mapping = { endpointMatch: 'key' } as const;
    const posted = vi.spyOn(Worker.prototype, 'postMessage');
    prewarmPlanner();
    prewarmPlanner(); // once is enough
    const seen = watch();
    const warm = await reimport({ ...CHANGED, mapping, parallelFrom: 0 });
    // The plan reached the waiting thread as a message, and it planned (not handed the file back).
    expect(posted.mock.calls.filter(([m]) => (m as { type?: string }).type === 'job')).toHaveLength(1);
    expect([...new Set(seen)]).toEqual(['rows', 'end']);
    vi.restoreAllMocks();
    const cold = await reimport({ ...CHANGED, mapping, parallelFrom: 0 });
    expect(warm.result).toEqual(cold.result);
    expect(warm.after).toEqual(cold.after);
  });

  it('a warm planner the import did not need is stopped', async () => {
    prewarmPlanner();
    const posted = vi.spyOn(Worker.prototype, 'postMessage');
    // Too small for helpers: the import plans its relationships itself.
    await reimport({ ...CHANGED, parallelFrom: Number.POSITIVE_INFINITY });
    expect(posted.mock.calls.filter(([m]) => (m as { type?: string }).type === 'job')).toHaveLength(0);
    const terminated = vi.spyOn(Worker.prototype, 'terminate');
    await dropWarmWorkers();
    expect(terminated).toHaveBeenCalledTimes(1);
    // None waits now: the next planned import starts its own thread.
    await dropWarmWorkers();
    expect(terminated).toHaveBeenCalledTimes(1);
  });

  it('CI ids that could pass 31 bits: no planner (its arrays hold 32-bit ids), the same result', async () => {
    // A CI (no relationships, not in the file: sync retires it) with the last id below 2^31: the CI this import creates gets 2^31.
    const lastBelow = (db: Db) => {
      db.prepare(
        "INSERT INTO cis (id, key, type, name, created_at, updated_at) VALUES (?, 'spare', 'server', 'Spare', '2026-01-01', '2026-01-01')",
      ).run(2 ** 31 - 1);
    };
    const input = { ...CHANGED, mapping: { endpointMatch: 'key' } as const };
    const start = vi.spyOn(RelPlanner, 'start');
    const near = await reimport({ ...input, parallelFrom: 0 }, false, lastBelow);
    expect(start).not.toHaveBeenCalled();
    vi.restoreAllMocks();
    const here = await reimport({ ...input, parallelFrom: Number.POSITIVE_INFINITY }, false, lastBelow);
    expect(near.result).toEqual(here.result);
    expect(near.after).toEqual(here.after);
    expect(near.result.counts).toMatchObject({ created: 1, relationshipsCreated: 2 });
    // Each relationship this import created names its CIs (none a wrapped-around id).
    const created = near.after.rels.filter((r) => r[0] === key(900) || r[1] === key(900));
    expect(created).toHaveLength(2);
  });

  it('a relationships file with attribute columns is handed back whole, with the same result', async () => {
    const withPort = {
      ...CHANGED,
      relationships: file('rels.csv', rels([`${key(1)},${key(8)},depends_on,,,443`], 'source,target,type,redundancy_group,min_up,port')),
    };
    const seen = watch();
    const planned = await reimport({ ...withPort, parallelFrom: 0 });
    expect(seen).toEqual(['handover']);
    vi.restoreAllMocks();
    expect(planned.result).toEqual((await reimport({ ...withPort, parallelFrom: Number.POSITIVE_INFINITY })).result);
  });

  it('a column without a header name is planned like no column until a row fills it, with the same result (found by a reviewer)', async () => {
    const mapping = { endpointMatch: 'key' } as const;
    // A trailing delimiter: an empty column 6, named Column6 by its place. It used to hand the whole file back.
    const trailing = {
      ...CHANGED,
      mapping,
      relationships: file(
        'rels.csv',
        rels([], 'source,target,type,redundancy_group,min_up,').map((l, i) => (i === 0 ? l : `${l},`)),
      ),
    };
    const seen = watch();
    const planned = await reimport({ ...trailing, parallelFrom: 0 });
    expect([...new Set(seen)]).toEqual(['rows', 'end']);
    vi.restoreAllMocks();
    expect(planned.result).toEqual((await reimport({ ...trailing, parallelFrom: Number.POSITIVE_INFINITY })).result);
    // A row that fills it: handed over from there, its value kept as an attribute, the same result.
    const lines = rels([], 'source,target,type,redundancy_group,min_up,').map((l, i) => (i === 0 ? l : `${l},`));
    lines[40] = `${lines[40]!.slice(0, -1)},R4`;
    const filled = { ...CHANGED, mapping, relationships: file('rels.csv', lines) };
    const seen2 = watch();
    const planned2 = await reimport({ ...filled, parallelFrom: 0 });
    expect(seen2.at(-1)).toBe('handover');
    vi.restoreAllMocks();
    const alone = await reimport({ ...filled, parallelFrom: Number.POSITIVE_INFINITY });
    expect(planned2.result).toEqual(alone.result);
    expect(planned2.after).toEqual(alone.after);
  });

  it('a relationships file naming fewer endpoints than the CMDB has CIs: no planner (it would read every key first), the same result', async () => {
    // 5,000 more CIs, without relationships: the file lists most stored relationships, but names fewer endpoints than there are CIs.
    const manyCis = (db: Db) => {
      const add = db.prepare(
        "INSERT INTO cis (key, type, name, created_at, updated_at) VALUES (?, 'server', ?, '2026-01-01', '2026-01-01')",
      );
      for (let i = 0; i < 5000; i++) add.run(`extra-${i}`, `Extra ${i}`);
    };
    const input = { relationships: FIRST.relationships, mapping: { endpointMatch: 'key' } as const, mode: 'upsert' as const };
    const start = vi.spyOn(RelPlanner, 'start');
    const many = await reimport({ ...input, parallelFrom: 0 }, false, manyCis);
    expect(start).not.toHaveBeenCalled();
    // Without them, the same file names more endpoints than there are CIs: planned.
    await reimport({ ...input, parallelFrom: 0 });
    expect(start).toHaveBeenCalledTimes(1);
    vi.restoreAllMocks();
    expect(many.result).toEqual((await reimport({ ...input, parallelFrom: Number.POSITIVE_INFINITY }, false, manyCis)).result);
    expect(many.result.counts).toMatchObject({ relationshipsUnchanged: N - 1 });
  });

  it('a relationships file alone (no CIs file) is planned to the end; the import thread reads the stored ones meanwhile', async () => {
    const seen = watch();
    const read = vi.spyOn(StoredRels, 'read');
    const planned = await reimport({
      relationships: CHANGED.relationships,
      mapping: { endpointMatch: 'key' },
      parallelFrom: 0,
      mode: 'upsert',
    });
    expect(seen).toContain('end');
    // With no CIs to write, this thread reads them (the planner, on the other, reads the file); with CIs the planner does.
    expect(read).toHaveBeenCalledTimes(1);
    read.mockClear();
    await reimport({ ...CHANGED, mapping: { endpointMatch: 'key' }, parallelFrom: 0 });
    expect(read).not.toHaveBeenCalled();
    vi.restoreAllMocks();
    expect(planned.result).toEqual(
      (
        await reimport({
          relationships: CHANGED.relationships,
          mapping: { endpointMatch: 'key' },
          parallelFrom: Number.POSITIVE_INFINITY,
          mode: 'upsert',
        })
      ).result,
    );
  });
});
