/**
 * The bulk load's speed-ups must not change what an import writes or
 * reports: the search index built on another thread answers exactly as the
 * in-place rebuild does (and a short one is rebuilt instead), and
 * relationships written many to a statement report their duplicates at
 * their own lines, as row-by-row writing does.
 */
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { openDatabase, type Db } from '../../electron/cmdb/db.js';
import { runImport, type RunImportInput } from '../../electron/cmdb/import/engine.js';
import { ParallelSearchIndex } from '../../electron/cmdb/import/search-index.js';
import { tempDir } from './helpers.js';

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
    const parallel = await importInto(join(dir, 'a.db'), { parallelSearchIndexFrom: 0 });
    expect(start.mock.results[0]?.value).toBeInstanceOf(ParallelSearchIndex);
    await expect(copy.mock.results[0]?.value).resolves.toBe(true);
    const rebuilt = await importInto(join(dir, 'b.db'), { parallelSearchIndexFrom: Number.POSITIVE_INFINITY });
    expect(start).toHaveBeenCalledTimes(1);
    try {
      parallel.exec("INSERT INTO ci_fts(ci_fts) VALUES ('integrity-check')");
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
    const db = await importInto(join(tempDir(), 'a.db'), { parallelSearchIndexFrom: 0 });
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
    const rels = db
      .prepare(
        'SELECT s.key, t.key, r.type FROM relationships r JOIN cis s ON s.id = r.source_id JOIN cis t ON t.id = r.target_id ORDER BY r.id',
      )
      .raw()
      .all();
    db.close();
    return { errors: r.errors, counts: { created: r.counts.relationshipsCreated, rejected: r.counts.relationshipsRejected }, rels };
  };

  it('rejects each duplicate at its own line, in line order, as row-by-row writing does', async () => {
    const bulk = await run(false);
    expect(bulk.counts).toEqual({ created: 400, rejected: 7 });
    expect(bulk.errors.map((e) => e.line)).toEqual([...bulk.errors.map((e) => e.line)].sort((a, b) => a - b));
    expect(bulk.errors[0]).toMatchObject({
      file: 'rels.csv',
      column: 'target',
      message: expect.stringMatching(/^duplicate relationship ci-3 depends_on ci-22/),
    });
    expect(bulk).toEqual(await run(true));
  });
});
