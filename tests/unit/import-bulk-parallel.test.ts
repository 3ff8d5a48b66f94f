/**
 * The bulk load's speed-ups must not change what an import writes or
 * reports: the search index built on another thread answers exactly as the
 * in-place rebuild does (and a short one is rebuilt instead), and
 * relationships written many to a statement report their duplicates at
 * their own lines, as row-by-row writing does.
 */
import Database from 'better-sqlite3';
import { mkdirSync, readdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { openDatabase, type Db } from '../../electron/cmdb/db.js';
import type { CmdbError } from '../../shared/errors.js';
import { runImport, type RunImportInput } from '../../electron/cmdb/import/engine.js';
import { RelPlanner } from '../../electron/cmdb/import/bulk/rel-planner.js';
import { ParallelSearchIndex, removeStaleScratch } from '../../electron/cmdb/import/bulk/search-index.js';
import { dumpFile, tempDir } from './helpers.js';

const OWNERS = ['team-payments', 'team-søk', 'Équipe réseau', 'team_storage'];
function cisCsv(n: number): string {
  const lines = ['id,name,type,owner,description,serial,ip'];
  for (let i = 0; i < n; i++) {
    const desc = i % 3 === 0 ? '"Runs the checkout, in Zürich"' : i % 3 === 1 ? 'edge-cache.v2 node' : '';
    lines.push(
      `ci-${i},Host ${i} ${i % 7 === 0 ? 'Café' : 'web'},${i % 2 ? 'server' : 'application'},${OWNERS[i % 4]},${desc},SN-${i * 13},10.0.${i % 250}.${i % 7}`,
    );
  }
  return `${lines.join('\n')}\n`;
}
const QUERIES = [
  'web',
  'café',
  'cafe',
  'zurich',
  'edge-cache.v2',
  'team',
  'equipe',
  'team-søk',
  'SN-13',
  '10.0.1',
  'host 12',
  'ci-99',
  'ser',
];

async function importInto(path: string, extra: Partial<RunImportInput>): Promise<Db> {
  const db = openDatabase(path);
  await runImport(db, { cis: { name: 'cis.csv', content: cisCsv(3000) }, rowsLimit: 0, ...extra });
  return db;
}
function answers(db: Db): unknown {
  const fts = db.prepare('SELECT rowid FROM ci_fts WHERE ci_fts MATCH ? ORDER BY rowid').pluck();
  return {
    matches: QUERIES.map((q) => [
      q,
      fts.all(
        q
          .split(/\s+/)
          .map((w) => `"${w}"*`)
          .join(' '),
      ),
    ]),
    docsize: db.prepare('SELECT * FROM ci_fts_docsize ORDER BY id').all(),
  };
}

afterEach(() => vi.restoreAllMocks());

describe('the search index built on another thread', () => {
  it('answers every query as the in-place rebuild does, and passes FTS5 integrity-check', async () => {
    const dir = tempDir();
    const start = vi.spyOn(ParallelSearchIndex, 'start');
    const copy = vi.spyOn(ParallelSearchIndex.prototype, 'copyInto');
    const end = vi.spyOn(ParallelSearchIndex.prototype, 'end');
    const indexes = vi.spyOn(Database.prototype, 'exec');
    const parallel = await importInto(join(dir, 'a.db'), { parallelFrom: 0 });
    expect(start.mock.results[0]?.value).toBeInstanceOf(ParallelSearchIndex);
    await expect(copy.mock.results[0]?.value).resolves.toBe(true);
    // The worker is told the CIs are all sent when the CI stage ends (it finishes its index meanwhile), not at the copy.
    const firstCiIndex = indexes.mock.calls.findIndex(([sql]) => /^CREATE INDEX cis_/.test(sql));
    expect(firstCiIndex).toBeGreaterThan(-1);
    expect(end.mock.invocationCallOrder[0]).toBeLessThan(indexes.mock.invocationCallOrder[firstCiIndex]!);
    const rebuilt = await importInto(join(dir, 'b.db'), { parallelFrom: Number.POSITIVE_INFINITY });
    expect(start).toHaveBeenCalledTimes(1);
    // A worker allowed no lag (the import waits for it after every message) builds the same index.
    const tight = await importInto(join(dir, 'c.db'), { parallelFrom: 0, helperLimits: { searchLag: { rows: 1, bytes: 1 } } });
    await expect(copy.mock.results[1]?.value).resolves.toBe(true);
    expect(answers(tight)).toEqual(answers(rebuilt));
    tight.close();
    try {
      parallel.exec("INSERT INTO ci_fts(ci_fts) VALUES ('integrity-check')");
      // The worker builds with a wider merge; the CMDB keeps FTS5's default for its own later edits.
      expect(parallel.prepare("SELECT v FROM ci_fts_config WHERE k = 'automerge'").pluck().get() ?? 4).toBe(4);
      // It also builds with a bigger table of pending terms (fewer segments to merge later); the CMDB keeps the default.
      expect(parallel.prepare("SELECT v FROM ci_fts_config WHERE k = 'hashsize'").pluck().get() ?? 2 ** 20).toBe(2 ** 20);
      const got = answers(parallel) as { matches: Array<[string, number[]]> };
      expect(got.matches.filter(([, ids]) => ids.length === 0).map(([q]) => q)).toEqual([]);
      expect(got).toEqual(answers(rebuilt));
      // The scratch database is detached and gone; later edits keep the index in step through the triggers.
      expect((parallel.prepare('PRAGMA database_list').all() as Array<{ name: string }>).map((d) => d.name)).toEqual(['main']);
      parallel.prepare("UPDATE cis SET name = 'Renamed zebra' WHERE key = 'ci-5'").run();
      expect(parallel.prepare(`SELECT count(*) FROM ci_fts WHERE ci_fts MATCH 'zebra'`).pluck().get()).toBe(1);
      parallel.exec("INSERT INTO ci_fts(ci_fts) VALUES ('integrity-check')");
    } finally {
      parallel.close();
      rebuilt.close();
    }
  });

  it('is rebuilt in place when the worker indexed other than every CI', async () => {
    const add = ParallelSearchIndex.prototype.add;
    let n = 0;
    vi.spyOn(ParallelSearchIndex.prototype, 'add').mockImplementation(function (this: ParallelSearchIndex, ...a) {
      if (++n !== 10) add.apply(this, a);
    });
    const copy = vi.spyOn(ParallelSearchIndex.prototype, 'copyInto');
    const db = await importInto(join(tempDir(), 'a.db'), { parallelFrom: 0 });
    try {
      await expect(copy.mock.results[0]?.value).resolves.toBe(false);
      db.exec("INSERT INTO ci_fts(ci_fts) VALUES ('integrity-check')");
      expect(db.prepare(`SELECT count(*) FROM ci_fts WHERE ci_fts MATCH '"ci-9"'`).pluck().get()).toBe(1);
    } finally {
      db.close();
    }
  });
});

describe('relationships written many to a statement', () => {
  // 400 rows: duplicates inside one batch of 64, across batches, and of the first (row-by-row) rows.
  const relsCsv = (): string => {
    const lines = ['source,target,type'];
    for (let i = 0; i < 400; i++) lines.push(`ci-${i},ci-${(i * 7 + 1) % 3000},depends_on`);
    const dups = [3, 70, 71, 150, 399];
    for (const [k, d] of dups.entries()) lines.splice(100 + k * 60, 0, `ci-${d},ci-${(d * 7 + 1) % 3000},depends_on`);
    lines.splice(200, 0, 'ci-77,ci-540,depends_on', 'ci-77,ci-540,depends_on');
    return `${lines.join('\n')}\n`;
  };
  const run = async (seed: boolean) => {
    const db = openDatabase(':memory:');
    // A CMDB holding one CI takes the row-by-row path; an empty one the bulk path.
    if (seed) await runImport(db, { cis: { name: 'seed.csv', content: 'id,name,type\nzz-seed,Seed,server\n' } });
    const r = await runImport(db, {
      cis: { name: 'cis.csv', content: cisCsv(3000) },
      relationships: { name: 'rels.csv', content: relsCsv() },
      skipBadRows: true,
      rowsLimit: 0,
    });
    // By content: a bulk load numbers its relationships in the order of their unique index (bulk/sorted-rels.ts).
    const rels = db
      .prepare(
        'SELECT s.key, t.key, r.type FROM relationships r JOIN cis s ON s.id = r.source_id JOIN cis t ON t.id = r.target_id ORDER BY 1, 2, 3',
      )
      .raw()
      .all();
    const inIdOrder = db.prepare('SELECT source_id, target_id FROM relationships ORDER BY id').raw().all() as Array<[number, number]>;
    db.close();
    return {
      errors: r.errors,
      counts: { created: r.counts.relationshipsCreated, rejected: r.counts.relationshipsRejected },
      rels,
      inIdOrder,
    };
  };

  it('rejects each duplicate at its own line, in line order, as row-by-row writing does', async () => {
    const bulk = await run(false);
    expect(bulk.counts).toEqual({ created: 400, rejected: 7 });
    expect(bulk.errors.map((e) => e.line)).toEqual([...bulk.errors.map((e) => e.line)].sort((a, b) => a - b));
    expect(bulk.errors[0]).toMatchObject({
      file: 'rels.csv',
      column: 'target',
      // The line it repeats, though the bulk load writes in another order than the file's (found by a reviewer).
      message: expect.stringMatching(/^duplicate relationship Host 3 web \(ci-3\) depends_on Host 22 web \(ci-22\): line 5 of this file/),
    });
    // Each names the line it repeats, though the bulk load writes them in another order (found by a reviewer).
    expect(bulk.errors.filter((e) => !/: line \d+ of this file/.test(e.message))).toEqual([]);
    const { inIdOrder, ...bulkOutcome } = bulk;
    const { inIdOrder: fileOrder, ...rowByRow } = await run(true);
    expect(bulkOutcome).toEqual(rowByRow);
    // Row by row, ids follow the file; in the bulk load, past the first rows (written one by one), source and target order.
    const sortedIds = (a: Array<[number, number]>) =>
      a.every(([s, t], i) => i === 0 || s > a[i - 1]![0] || (s === a[i - 1]![0] && t > a[i - 1]![1]));
    expect(sortedIds(inIdOrder)).toBe(true);
    expect(sortedIds(fileOrder)).toBe(false);
  });
});

describe('relationships planned on another thread', () => {
  const CIS = `id,name,type\n${Array.from({ length: 300 }, (_, i) => `k-${i},Node ${i},${i % 3 ? 'server' : 'application'}`).join('\n')}\nk-dup,Dup one,server\nk-dup,Dup two,server\n`;
  // Every kind of row: good ones (with groups, min_up, reverse pairs, attributes), and each problem the
  // planner finds itself: bad quoting is left out (it ends the file), the rest are here. A group's conflicting
  // settings refuse the whole import (tested below), so they come only with `conflicts`.
  const relRows = (nameRow: boolean, conflicts = false) => {
    const lines = ['source,target,type,redundancy_group,min_up,weight'];
    for (let i = 1; i < 250; i++)
      lines.push(`k-${i},k-${(i * 7) % 300},${i % 5 ? 'depends_on' : 'Runs on::Runs'},${i % 4 ? '' : 'pool'},,w${i}`);
    lines.push('k-1,k-2,depends_on,grp-a,2,');
    if (conflicts) lines.push('k-1,k-3,depends_on,grp-a,3,'); // conflicting min_up
    if (conflicts) lines.push('k-1,k-4,runs_on,grp-a,,'); // conflicting type
    lines.push('k-5,k-5,depends_on,,,'); // itself
    lines.push('k-6,k-7,depends_on,,0,'); // bad min_up
    lines.push('k-6,k-8,depends_on,,2,'); // min_up without a group
    lines.push('k-6,,depends_on,,,'); // no target
    lines.push('k-6,k-9,,,,'); // no type
    lines.push('k-6,k-9,depends_on,,'); // ragged
    lines.push('k-6,k-9,depends_on,,,,extra'); // ragged, not just trailing
    lines.push('k-1,k-2,depends_on,grp-a,2,'); // duplicate
    lines.push('k-dup,k-10,depends_on,,,');
    lines.push('nope,k-10,depends_on,,,'); // unknown key (by key), or by name below
    lines.push('k-30,K-31,depends_on,,,'); // unknown key, of another case than a CI's (k-31): named
    if (nameRow) lines.push('Node 11,Node 12,depends_on,grp-b,,'); // found by name: the planner hands over here
    if (conflicts) lines.push('k-1,k-20,depends_on,grp-a,4,'); // conflicts with the group declared before any hand-over
    lines.push('k-11,k-13,depends_on,grp-b,,');
    for (let i = 250; i < 290; i++) lines.push(`k-${i},k-${i + 1},depends_on,,,`);
    return `${lines.join('\n')}\n`;
  };
  const run = async (input: Partial<RunImportInput>) => {
    const db = openDatabase(':memory:');
    try {
      const r = await runImport(db, { cis: { name: 'cis.csv', content: CIS }, skipBadRows: true, rowsLimit: 5, ...input });
      const rels = db
        .prepare(
          `SELECT s.key, t.key, r.type, r.redundancy_group, r.min_up, r.attributes FROM relationships r
           JOIN cis s ON s.id = r.source_id JOIN cis t ON t.id = r.target_id ORDER BY r.id`,
        )
        .raw()
        .all();
      const { durationMs: _d, importId: _i, ...rest } = r;
      return { ...rest, rels, relTypes: db.prepare('SELECT name FROM rel_types ORDER BY name').pluck().all() };
    } finally {
      db.close();
    }
  };
  /** What the planner sent, by message type. */
  const watch = () => {
    const seen: string[] = [];
    const results = RelPlanner.prototype.results;
    vi.spyOn(RelPlanner.prototype, 'results').mockImplementation(async function* (this: RelPlanner) {
      for await (const m of results.call(this)) {
        seen.push(m.type);
        yield m;
      }
    });
    return seen;
  };

  for (const match of ['key', 'auto'] as const) {
    it(`gives every row the verdict the import thread gives it (endpoints matched by ${match})`, async () => {
      const rels = { name: 'rels.csv', content: relRows(match === 'auto') };
      const mapping = { endpointMatch: match };
      const seen = watch();
      const planned = await run({ relationships: rels, mapping, parallelFrom: 0 });
      const types = [...new Set(seen)];
      expect(types).toEqual(match === 'key' ? ['rows', 'end'] : ['rows', 'handover']);
      const here = await run({ relationships: rels, mapping, parallelFrom: Number.POSITIVE_INFINITY });
      expect(planned).toEqual(here);
      // With the helpers allowed no lead at all, each waits for the import thread after every message.
      const tight = { planAhead: { rows: 1, bytes: 1 }, searchLag: { rows: 1, bytes: 1 } };
      expect(await run({ relationships: rels, mapping, parallelFrom: 0, helperLimits: tight })).toEqual(here);
      // The checks all fired: one error per problem row, each at its own line, in order.
      const relLines = planned.errors.filter((e) => e.file === 'rels.csv').map((e) => e.line);
      expect(relLines).toEqual([...relLines].sort((a, b) => a - b));
      const messages = planned.errors.map((e) => e.message).join('\n');
      for (const m of [
        /with itself/,
        /bad min_up "0"/,
        /only means something with a redundancy_group/,
        /the target CI/,
        /the relationship type/,
        /ragged row/,
        /duplicate relationship Node 1 \(k-1\) depends_on Node 2 \(k-2\)/,
        /duplicate key "k-dup": line 302 of this file has the same key/,
        /unknown target CI "K-31": no CI has that key[^;]*; a CI with key "k-31" exists \(keys are case-sensitive\)/,
      ]) {
        expect(messages).toMatch(m);
      }
      expect(planned.counts.relationshipsCreated).toBeGreaterThan(280);
      expect(planned.relTypes).toContain('runs_on');
    });
  }

  for (const match of ['key', 'auto'] as const) {
    it(`a group's conflicting settings refuse the whole import, skipping bad rows or not, whichever thread plans them (endpoints matched by ${match})`, async () => {
      const rels = { name: 'rels.csv', content: relRows(match === 'auto', true) };
      const mapping = { endpointMatch: match };
      const refusal = async (parallelFrom: number) => {
        const db = openDatabase(':memory:');
        try {
          const e = await runImport(db, {
            cis: { name: 'cis.csv', content: CIS },
            relationships: rels,
            mapping,
            skipBadRows: true,
            parallelFrom,
          }).then(
            () => null,
            (err: unknown) => err as CmdbError,
          );
          expect(db.prepare('SELECT count(*) FROM relationships').pluck().get()).toBe(0);
          return e;
        } finally {
          db.close();
        }
      };
      const seen = watch();
      const planned = await refusal(0);
      expect([...new Set(seen)]).toEqual(match === 'key' ? ['rows', 'end'] : ['rows', 'handover']);
      expect(planned?.code).toBe('IMPORT_REJECTED');
      expect(planned?.message).toMatch(
        /^rels\.csv line 252, column min_up: conflicting group settings: redundancy group "grp-a" of k-1 has min_up 2 \(line 251\) and here 3 \(line 252\)\. Give every row of the group the same min_up \(or give it on one row only\), and import again \(and \d+ more row errors\)\. Nothing was imported, as this error refuses the whole import even when bad rows are skipped: fix the rows\.$/,
      );
      const messages = (planned!.details as { errors: Array<{ line: number; message: string }> }).errors.map((e) => e.message).join('\n');
      expect(messages).toMatch(/has depends_on relationships \(line 251\) and here runs_on \(line 253\)/);
      expect(messages).toMatch(/has min_up 2 \(line 251\) and here 4/);
      const here = await refusal(Number.POSITIVE_INFINITY);
      expect(here?.message).toBe(planned?.message);
      // The same rows refused, the same counts (the time each took aside).
      const { errors, counts } = here!.details as Record<string, unknown>;
      expect({ errors, counts }).toEqual({
        errors: (planned!.details as Record<string, unknown>).errors,
        counts: (planned!.details as Record<string, unknown>).counts,
      });
    });
  }

  it('reads an inch mark inside an unquoted field as a character, as the import thread does (found by a tester)', async () => {
    const cis = { name: 'cis.csv', content: `${CIS}mon-1,Dell 24" P2419H,monitor\n` };
    const rels = {
      name: 'rels.csv',
      content: `source,target,type,cable\nk-1,k-2,depends_on,3.5" jack\nmon-1,k-1,connected_to,"HDMI, 6' 2"""\n`,
    };
    const seen = watch();
    const planned = await run({ cis, relationships: rels, parallelFrom: 0 });
    expect(seen).toContain('rows');
    expect(planned.errors.map((e) => e.message)).toEqual([expect.stringMatching(/duplicate key "k-dup"/)]);
    expect(planned.rels.map((r) => (r as unknown[])[5])).toEqual(['{"cable":"3.5\\" jack"}', '{"cable":"HDMI, 6\' 2\\""}']);
    expect(planned).toEqual(await run({ cis, relationships: rels, parallelFrom: Number.POSITIVE_INFINITY }));
  });

  it('hands the file back at a row without a target under "emptyTarget": "skip": the import thread counts it, as it does alone', async () => {
    const rels = { name: 'rels.csv', content: relRows(false) };
    const mapping = { endpointMatch: 'key' as const, emptyTarget: 'skip' as const };
    const seen = watch();
    const planned = await run({ relationships: rels, mapping, parallelFrom: 0 });
    expect([...new Set(seen)]).toEqual(['rows', 'handover']);
    expect(planned).toEqual(await run({ relationships: rels, mapping, parallelFrom: Number.POSITIVE_INFINITY }));
    expect(planned.warnings).toContain('rels.csv: 1 row has no target and makes no relationship ("emptyTarget": "skip").');
    expect(planned.errors.map((e) => e.message).join('\n')).not.toMatch(/the target CI/);
  });

  for (const match of ['key', 'auto'] as const)
    it(`a row naming a CI the CIs file marks deleted makes no relationship and no error, as on the import thread (by ${match})`, async () => {
      // BMC Helix's MarkAsDeleted on k-7's row; the relationship rows naming it are not marked.
      const cis = {
        name: 'cis.csv',
        content: `id,name,type,MarkAsDeleted\n${Array.from({ length: 300 }, (_, i) => `k-${i},Node ${i},server,${i === 7 ? 'Yes' : 'No'}`).join('\n')}\n`,
      };
      const rels = {
        name: 'rels.csv',
        content: `source,target,type\n${Array.from({ length: 250 }, (_, i) => `k-${i},k-${i + 1},depends_on`).join('\n')}\n`,
      };
      const mapping = { endpointMatch: match };
      const seen = watch();
      const planned = await run({ cis, relationships: rels, mapping, parallelFrom: 0 });
      // Planned to the end: the planner is told the keys marked deleted (found by a reviewer: it handed the rest over).
      expect([...new Set(seen)]).toEqual(['rows', 'end']);
      expect(planned).toEqual(await run({ cis, relationships: rels, mapping, parallelFrom: Number.POSITIVE_INFINITY }));
      expect(planned.errors).toEqual([]);
      expect(planned.counts).toMatchObject({ created: 299, relationshipsCreated: 248, relationshipsRejected: 0 });
      expect(planned.warnings).toContain(
        'rels.csv: 2 rows name a CI marked deleted (MarkAsDeleted: Yes) in cis.csv and make no relationship.',
      );
    });

  it("hands the file back at a totals row or a note under the sheet's table: the import thread tells whether it names a stored CI", async () => {
    for (const tail of ['Total,,,,,\n', '\nNotes: k-3 moved,,,,,\n']) {
      const rels = { name: 'rels.csv', content: `${relRows(false)}${tail}` };
      const mapping = { endpointMatch: 'key' as const };
      const seen = watch();
      const planned = await run({ relationships: rels, mapping, parallelFrom: 0 });
      expect([...new Set(seen)], tail).toEqual(['rows', 'handover']);
      vi.restoreAllMocks();
      expect(planned, tail).toEqual(await run({ relationships: rels, mapping, parallelFrom: Number.POSITIVE_INFINITY }));
      expect(planned.errors.at(-1)?.message, tail).toMatch(
        /looks like a (spreadsheet's totals row|note under a spreadsheet's table), not a relationship/,
      );
    }
  });

  it('hands the whole file back when its first row needs a lookup it cannot make', async () => {
    // Without the CIs' keys (withheld here) the first row already needs a lookup by name.
    vi.spyOn(RelPlanner.prototype, 'addKey').mockImplementation(() => {});
    const seen = watch();
    const rels = { name: 'rels.csv', content: relRows(false) };
    const planned = await run({ relationships: rels, parallelFrom: 0 });
    expect(seen).toEqual(['handover']);
    expect(planned).toEqual(await run({ relationships: rels, parallelFrom: Number.POSITIVE_INFINITY }));
  });
});

describe('a relationship planner that fails', () => {
  const CIS = `id,name,type\n${Array.from({ length: 50 }, (_, i) => `k-${i},Node ${i},server`).join('\n')}\n`;
  const RELS = `source,target,type,redundancy_group\n${Array.from({ length: 49 }, (_, i) => `k-${i},k-${i + 1},depends_on,${i % 2 ? 'g' : ''}`).join('\n')}\n`;
  const run = async (input: Partial<RunImportInput>) => {
    const db = openDatabase(':memory:');
    try {
      const r = await runImport(db, { cis: { name: 'cis.csv', content: CIS }, relationships: { name: 'r.csv', content: RELS }, ...input });
      return {
        counts: r.counts,
        rels: db.prepare('SELECT source_id, target_id, type, redundancy_group FROM relationships ORDER BY id').all(),
      };
    } finally {
      db.close();
    }
  };

  it('before it hands over a row costs only time: the import thread reads the file itself', async () => {
    vi.spyOn(RelPlanner.prototype, 'results').mockImplementation(async function* () {
      yield* [];
      throw new Error('the relationship planner failed: out of memory');
    });
    const r = await run({ parallelFrom: 0 });
    expect(r).toEqual(await run({ parallelFrom: Number.POSITIVE_INFINITY }));
    expect(r.counts.relationshipsCreated).toBe(49);
  });

  it('after it handed over rows fails the import, and nothing is written', async () => {
    const results = RelPlanner.prototype.results;
    vi.spyOn(RelPlanner.prototype, 'results').mockImplementation(async function* (this: RelPlanner) {
      for await (const m of results.call(this)) {
        yield m;
        if (m.type === 'rows') throw new Error('the relationship planner failed: out of memory');
      }
    });
    const db = openDatabase(':memory:');
    try {
      await expect(
        runImport(db, { cis: { name: 'cis.csv', content: CIS }, relationships: { name: 'r.csv', content: RELS }, parallelFrom: 0 }),
      ).rejects.toMatchObject({ code: 'INTERNAL', message: expect.stringMatching(/nothing was imported.*planner failed/) });
      expect(db.prepare('SELECT (SELECT count(*) FROM cis) + (SELECT count(*) FROM relationships)').pluck().get()).toBe(0);
    } finally {
      db.close();
    }
  });
});

describe('cancelling a bulk load while its helper threads work', () => {
  it('rolls back, stops the helpers, removes their scratch files and leaves the CMDB as it was, in WAL mode', async () => {
    const dir = tempDir();
    const path = join(dir, 'cmdb.db');
    openDatabase(path).close();
    const before = dumpFile(path);
    // This file's process keeps its temporary files in the test's folder meanwhile, to count the helper's.
    const tmp = join(dir, 'tmp');
    mkdirSync(tmp);
    const tmpWas = process.env.TMPDIR;
    process.env.TMPDIR = tmp;
    const scratch = () => readdirSync(tmp).filter((f) => f.startsWith('cmdb-search-index-')).length;
    const scratchBefore = scratch();
    // What a killed bulk load leaves: a scratch folder naming a process that is gone. This load removes it.
    mkdirSync(join(tmp, 'cmdb-search-index-dead'));
    writeFileSync(join(tmp, 'cmdb-search-index-dead', 'owner.pid'), '99999999');
    const db = openDatabase(path);
    let progress = 0;
    let scratchDuring = 0;
    let locker: Database.Database | null = null;
    try {
      const cis = cisCsv(40_000);
      const rels = `source,target,type\n${Array.from({ length: 39_999 }, (_, i) => `ci-${i},ci-${i + 1},depends_on`).join('\n')}\n`;
      await expect(
        runImport(db, {
          cis: { name: 'cis.csv', content: cis },
          relationships: { name: 'rels.csv', content: rels },
          parallelFrom: 0,
          rollbackJournalFrom: 0,
          onProgress: () => {
            progress++;
            scratchDuring = Math.max(scratchDuring, scratch());
            // As the helper does once its cache spills: hold a write lock on the scratch database.
            if (progress === 2) {
              const d = readdirSync(tmp).find((f) => f.startsWith('cmdb-search-index-'))!;
              locker = new Database(join(tmp, d, 'search.db'), { timeout: 0 });
              locker.exec('BEGIN IMMEDIATE');
            }
          },
          isCancelled: () => progress >= 3,
        }),
      ).rejects.toMatchObject({ code: 'CANCELLED' });
      locker!.close();
      expect(scratchDuring).toBe(scratchBefore + 1); // its own; the dead load's was gone before it began
      expect(scratch()).toBe(scratchBefore);
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect((db.prepare('PRAGMA database_list').all() as Array<{ name: string }>).map((d) => d.name)).toEqual(['main']);
    } finally {
      db.close();
      if (tmpWas === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = tmpWas;
    }
    expect(dumpFile(path)).toBe(before);
  });

  it('after the CI stage, stops the search worker at once: the index it is finishing will not be copied', async () => {
    const db = openDatabase(join(tempDir(), 'cmdb.db'));
    const terminate = vi.spyOn(Worker.prototype, 'terminate');
    const start = vi.spyOn(ParallelSearchIndex, 'start');
    try {
      let cisDone = false;
      await expect(
        runImport(db, {
          cis: { name: 'cis.csv', content: cisCsv(3000) },
          relationships: { name: 'rels.csv', content: 'source,target,type\nci-1,ci-2,depends_on\n' },
          parallelFrom: 0,
          onProgress: (p) => {
            if (p.phase === 'validating') cisDone = true;
          },
          isCancelled: () => cisDone,
        }),
      ).rejects.toMatchObject({ code: 'CANCELLED' });
      const searchWorker = (start.mock.results[0]?.value as unknown as { worker: Worker }).worker;
      expect(terminate.mock.contexts).toContain(searchWorker);
      expect(db.prepare('SELECT count(*) FROM cis').pluck().get()).toBe(0);
    } finally {
      db.close();
    }
  });
});

describe('scratch folders left by a killed bulk load', () => {
  it("are removed when their process is gone, and kept while it runs or when they are not the importer's", () => {
    const tmp = tempDir();
    const folder = (name: string, owner?: string) => {
      mkdirSync(join(tmp, name));
      writeFileSync(join(tmp, name, 'search.db'), 'x');
      if (owner !== undefined) writeFileSync(join(tmp, name, 'owner.pid'), owner);
    };
    folder('cmdb-search-index-live', String(process.pid));
    folder('cmdb-search-index-dead', '99999999'); // above any pid_max: no such process
    folder('cmdb-search-index-garbled', 'not a pid');
    folder('cmdb-search-index-unowned-new');
    folder('cmdb-search-index-unowned-old');
    const twoHoursAgo = new Date(Date.now() - 2 * 3600_000);
    utimesSync(join(tmp, 'cmdb-search-index-unowned-old'), twoHoursAgo, twoHoursAgo);
    folder('something-else', '99999999');
    expect(removeStaleScratch(tmp)).toBe(3);
    expect(readdirSync(tmp).sort()).toEqual(['cmdb-search-index-live', 'cmdb-search-index-unowned-new', 'something-else']);
  });
});
