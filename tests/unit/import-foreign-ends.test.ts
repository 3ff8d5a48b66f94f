/**
 * A second tool's CIs file keyed by names (as the key-collision refusal says) with its relationships file
 * still naming its ends by the tool's own numbers: each end is another tool's CI, so each row would link two
 * CIs the import does not list (found by a tester). When most rows do, the import is refused, nothing written
 * (import/stages/foreign-ends.ts), on the import thread's path and on a re-import's planned one. A file keyed by
 * numbers itself, a relationships file on its own, and links from the file's own CIs to stored ones go ahead.
 */
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { openDatabase } from '../../electron/cmdb/db.js';
import { runImport } from '../../electron/cmdb/import/engine.js';
import { RelPlanner } from '../../electron/cmdb/import/bulk/rel-planner.js';
import { dumpDb, fails, freshService, ok, tempDir } from './helpers.js';

const file = (name: string, lines: string[]) => ({ name, content: `${lines.join('\n')}\n` });
const N = 20;
const range = (f: (i: number) => string) => Array.from({ length: N }, (_, i) => f(i + 1));
/** The first tool: its CIs numbered 1..N, each depending on the next. */
const PARIS = {
  cis: file('paris-cis.csv', ['ID,Name,Type', ...range((i) => `${i},srv-par-${i},server`)]),
  relationships: file('paris-rels.csv', ['source,target,type', ...range((i) => `${i},${(i % N) + 1},depends_on`)]),
};
/** The second tool's CIs, keyed by name as the collision refusal says; its relationships by its own numbers still. */
const LYON_CIS = file('lyon-cis.csv', ['ID,Name,Type', ...range((i) => `${i},srv-lyo-${i},server`)]);
const BY_NAME = { cis: { id: 'Name' } };
/** Two rows a CI each (i -> i+2, i -> i+3): enough bytes for a re-import's planner. */
const lyonRels = (end: (i: number) => string) =>
  file('lyon-rels.csv', [
    'source,target,type',
    ...range((i) => `${end(i)},${end(((i + 1) % N) + 1)},depends_on`),
    ...range((i) => `${end(i)},${end(((i + 2) % N) + 1)},depends_on`),
  ]);

const REFUSED =
  "lyon-rels.csv: import refused: its ends (columns source and target) are numbers, while lyon-cis.csv keys its CIs by Name, not by numbers: 40 of its 40 relationships would link two CIs that lyon-cis.csv does not list, stored by earlier imports under those numbers (line 2: 1 -> 3 is srv-par-1 -> srv-par-3; line 3: 2 -> 4 is srv-par-2 -> srv-par-4). They are likely another tool's numbering. Nothing was imported. Write the relationships file's ends as lyon-cis.csv's Name values (or its CIs' names) and import again. If these rows do mean the CIs stored under those numbers, import its relationships in an import of their own (--relationships FILE, without --cis).";

async function paris() {
  const svc = freshService();
  await ok(svc, 'importCsv', PARIS);
  return svc;
}

describe('a relationships file numbered by another tool, beside a CIs file keyed by names (found by a tester)', () => {
  it('is refused, naming the rows, the CIs they would link and what to do; nothing is written, in a dry run too', async () => {
    const svc = await paris();
    const before = dumpDb(svc.db);
    const req = { cis: LYON_CIS, relationships: lyonRels(String), mapping: BY_NAME };
    const err = await fails(svc, 'importCsv', req);
    expect([err.code, err.message]).toEqual(['INVALID_REQUEST', REFUSED]);
    expect(err.details).toEqual({ file: 'lyon-rels.csv', rows: 40, of: 40, cisFile: 'lyon-cis.csv', keyColumn: 'Name' });
    expect(dumpDb(svc.db)).toBe(before);
    const dry = await fails(svc, 'importCsv', { ...req, dryRun: true });
    expect(dry.message).toBe(REFUSED);
    expect(dumpDb(svc.db)).toBe(before);
    // As the message says: the ends written as the CIs file's keys, the second tool's CIs are linked to each other.
    const fixed = await ok(svc, 'importCsv', { ...req, relationships: lyonRels((i) => `srv-lyo-${i}`) });
    expect([fixed.counts.created, fixed.counts.relationshipsCreated, fixed.warnings]).toEqual([N, 2 * N, []]);
  });

  it('is judged on the first 1,000 rows, and refused there, in a longer file', async () => {
    const svc = await paris();
    const before = dumpDb(svc.db);
    const lines = ['source,target,type'];
    for (const type of ['depends_on', 'runs_on', 'uses'])
      for (let a = 1; a <= N; a++) for (let b = 1; b <= N; b++) if (a !== b) lines.push(`${a},${b},${type}`);
    expect(lines.length - 1).toBeGreaterThan(1000);
    const err = await fails(svc, 'importCsv', { cis: LYON_CIS, relationships: file('lyon-rels.csv', lines), mapping: BY_NAME });
    expect(err.message).toContain('1,000 of the first 1,000 relationships would link two CIs that lyon-cis.csv does not list');
    expect(dumpDb(svc.db)).toBe(before);
  });

  it('a relationships file on its own means the CIs stored under its numbers, and links them', async () => {
    const svc = await paris();
    const r = await ok(svc, 'importCsv', { relationships: lyonRels(String) });
    expect(r.counts.relationshipsCreated).toBe(2 * N);
  });

  it("a CIs file keyed by numbers, links from the file's own CIs to stored ones, and a few such rows go ahead", async () => {
    const svc = await paris();
    // Paris's next export, keyed by numbers as before: its relationships are its own.
    const again = await ok(svc, 'importCsv', { cis: PARIS.cis, relationships: lyonRels(String) });
    expect(again.counts.relationshipsCreated).toBe(2 * N);
    // Lyon's CIs, each running on a Paris server by its number: one end is the file's own CI.
    const onParis = file('lyon-on-paris.csv', ['source,target,type', ...range((i) => `srv-lyo-${i},${i},runs_on`)]);
    const linked = await ok(svc, 'importCsv', { cis: LYON_CIS, relationships: onParis, mapping: BY_NAME });
    expect(linked.counts.relationshipsCreated).toBe(N);
    // A few rows between stored CIs by number, among rows of the file's own CIs: not most, so not refused.
    const mixed = file('lyon-mixed.csv', [
      'source,target,type',
      ...range((i) => `srv-lyo-${i},srv-lyo-${(i % N) + 1},depends_on`),
      '1,5,runs_on',
      '2,6,runs_on',
    ]);
    const few = await ok(svc, 'importCsv', { cis: LYON_CIS, relationships: mixed, mapping: BY_NAME });
    expect(few.counts.relationshipsCreated).toBe(N + 2);
  });

  it("is refused alike where a re-import's planner resolves the ends on another thread", async () => {
    const path = join(tempDir(), 'cmdb.db');
    const db = openDatabase(path);
    try {
      await runImport(db, PARIS);
      const planned = vi.spyOn(RelPlanner.prototype, 'results');
      const before = dumpDb(db);
      const req = { cis: LYON_CIS, relationships: lyonRels(String), mapping: BY_NAME, parallelFrom: 0 };
      await expect(runImport(db, req)).rejects.toThrow(REFUSED);
      expect(planned).toHaveBeenCalled();
      expect(dumpDb(db)).toBe(before);
    } finally {
      vi.restoreAllMocks();
      db.close();
    }
  });
});
