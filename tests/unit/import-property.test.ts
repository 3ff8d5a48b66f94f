/**
 * Property tests: random bytes, and random mutations of valid CSVs, never
 * crash the importer (every failure is a typed error, never INTERNAL) and
 * never leave a partial write (a failed import leaves the database exactly
 * as it was; a successful one added what it counted).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CmdbService } from '../../electron/cmdb/service.js';
import { dumpDb, freshService, ok, tempDir } from './helpers.js';

const CIS = `id,name,type,status,owner,rack
web-1,Web 1,server,operational,team-a,R1
web-2,"Web, two",server,operational,team-a,R2
app-1,Shop,application,operational,team-b,
db-1,Main DB,database,operational,team-c,"multi
line"
`;
const RELS = `source,target,type,redundancy_group,min_up
app-1,web-1,runs_on,web,1
app-1,web-2,runs_on,web,1
app-1,db-1,depends_on,,
`;

const TRICKY = ['"', ',', ';', '\t', '\n', '\r\n', '\r', ' ', 'é', '\u0000', '\ufeff', '""', 'x', '0', '-1', '::'];

type Mutation = { at: number; kind: 'delete' | 'insert' | 'dupline' | 'dropline'; text: string };

const mutationArb: fc.Arbitrary<Mutation> = fc.record({
  at: fc.nat(),
  kind: fc.constantFrom('delete', 'insert', 'dupline', 'dropline'),
  text: fc.constantFrom(...TRICKY),
});

function mutate(text: string, ms: Mutation[]): string {
  let t = text;
  for (const m of ms) {
    const at = t.length === 0 ? 0 : m.at % t.length;
    if (m.kind === 'delete') t = t.slice(0, at) + t.slice(at + 1);
    else if (m.kind === 'insert') t = t.slice(0, at) + m.text + t.slice(at);
    else {
      const lines = t.split('\n');
      const i = lines.length === 0 ? 0 : m.at % lines.length;
      if (m.kind === 'dupline') lines.splice(i, 0, lines[i] ?? '');
      else lines.splice(i, 1);
      t = lines.join('\n');
    }
  }
  return t;
}

/** Imports and checks the all-or-nothing property. Returns the outcome for statistics. */
async function importChecked(svc: CmdbService, req: Record<string, unknown>): Promise<'ok' | string> {
  const before = dumpDb(svc.db);
  const cisBefore = (await ok(svc, 'stats', {})).cis;
  const r = await svc.call('importCsv', req);
  if (r.ok) {
    const v = r.value;
    if (v.dryRun) expect(dumpDb(svc.db)).toBe(before);
    else expect((await ok(svc, 'stats', {})).cis).toBe(cisBefore + v.counts.created);
    return 'ok';
  }
  expect(r.error.code, r.error.message).not.toBe('INTERNAL');
  expect(['CSV_ERROR', 'IMPORT_REJECTED', 'INVALID_REQUEST']).toContain(r.error.code);
  expect(dumpDb(svc.db)).toBe(before);
  return r.error.code;
}

describe('the importer under random input', () => {
  it('random bytes as a CIs or relationships file (on disk, encoding detected) never crash it nor half-write', async () => {
    const dir = tempDir();
    const populated = freshService();
    await ok(populated, 'importCsv', { cis: { name: 'cis.csv', content: CIS }, relationships: { name: 'rels.csv', content: RELS } });
    let n = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ maxLength: 400 }),
        fc.boolean(),
        fc.constantFrom('upsert', 'sync', 'create-only', 'update-only'),
        fc.boolean(),
        async (bytes, asRels, mode, skipBadRows) => {
          const path = join(dir, `r${n++}.csv`);
          writeFileSync(path, bytes);
          const req = asRels
            ? { relationships: { path }, mode: mode === 'sync' ? 'upsert' : mode, skipBadRows }
            : { cis: { path }, mode, skipBadRows };
          await importChecked(populated, req);
          const empty = freshService();
          await importChecked(empty, req);
          empty.close();
        },
      ),
      { numRuns: 150 },
    );
  });

  it('random mutations of valid CSVs never crash it nor half-write, in every mode, dry run or not', async () => {
    const svc = freshService();
    await ok(svc, 'importCsv', { cis: { name: 'base.csv', content: CIS.replace(/Web 1/, 'Web one') } });
    const outcomes = new Map<string, number>();
    await fc.assert(
      fc.asyncProperty(
        fc.array(mutationArb, { minLength: 1, maxLength: 6 }),
        fc.array(mutationArb, { maxLength: 4 }),
        fc.constantFrom('upsert', 'sync', 'create-only', 'update-only'),
        fc.boolean(),
        fc.boolean(),
        async (mc, mr, mode, dryRun, skipBadRows) => {
          const req = {
            cis: { name: 'cis.csv', content: mutate(CIS, mc) },
            relationships: { name: 'rels.csv', content: mutate(RELS, mr) },
            mode,
            dryRun,
            skipBadRows,
          };
          const outcome = await importChecked(svc, req);
          outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
          // Put the CMDB back to its starting point for the next run, through the importer's own undo.
          if (outcome === 'ok' && !dryRun) {
            const last = (await ok(svc, 'listImports', { limit: 1 })).items[0]!;
            if (!last.undoneAt && last.files.includes('rels.csv')) await ok(svc, 'undoImport', { id: last.id });
          }
        },
      ),
      { numRuns: 200 },
    );
    // The generator reaches both outcomes: imports that pass and imports that are rejected.
    expect(outcomes.get('ok') ?? 0).toBeGreaterThan(0);
    expect((outcomes.get('IMPORT_REJECTED') ?? 0) + (outcomes.get('CSV_ERROR') ?? 0)).toBeGreaterThan(0);
  });
});
