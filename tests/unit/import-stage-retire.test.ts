/**
 * The sync stage (import/stages/retire.ts) through its own interface: the
 * CIs of the source that its file no longer lists are retired, with a
 * history row each; other sources' CIs are left alone; with a rejected CI
 * row nothing is retired and a warning says why; other modes retire nothing.
 */
import { describe, expect, it } from 'vitest';
import type { Db } from '../../electron/cmdb/db.js';
import type { Helpers } from '../../electron/cmdb/import/bulk/helpers.js';
import { importCis } from '../../electron/cmdb/import/stages/cis.js';
import { ImportContext, type RunImportInput } from '../../electron/cmdb/import/stages/context.js';
import { openSources } from '../../electron/cmdb/import/stages/open-sources.js';
import { retireUnlisted } from '../../electron/cmdb/import/stages/retire.js';
import { prepareImport } from '../../electron/cmdb/import/stages/prepare.js';
import { freshService, ok } from './helpers.js';

const noHelpers: Helpers = { searchIndex: null, planner: null, close: async () => {} };

/** The stages before the sync stage. */
async function throughCis(db: Db, input: RunImportInput) {
  const sources = await openSources(input);
  const ctx = new ImportContext(db, input, sources, performance.now());
  db.exec('BEGIN IMMEDIATE');
  prepareImport(ctx, noHelpers);
  await importCis(ctx, sources.cis!);
  return { ctx, cis: sources.cis };
}

async function seeded() {
  const svc = freshService();
  await ok(svc, 'importCsv', { cis: { name: 'inv.csv', content: 'id,name,type\na,A,server\nb,B,server\nc,C,server\n' } });
  await ok(svc, 'importCsv', { cis: { name: 'other.csv', content: 'id,name,type\nx,X,server\n' } });
  return svc;
}

const status = (db: Db) => db.prepare('SELECT key, status FROM cis ORDER BY key').raw().all() as Array<[string, string | null]>;

describe('the sync stage', () => {
  it("retires the source's CIs its file no longer lists, with history; leaves other sources alone", async () => {
    const svc = await seeded();
    const { ctx, cis } = await throughCis(svc.db, { cis: { name: 'inv.csv', content: 'id,name,type\na,A,server\n' }, mode: 'sync' });
    retireUnlisted(ctx, cis);
    expect(ctx.counts.retired).toBe(2);
    expect(status(svc.db)).toEqual([
      ['a', null],
      ['b', 'retired'],
      ['c', 'retired'],
      ['x', null],
    ]);
    expect(
      svc.db
        .prepare("SELECT ci_key, summary FROM history WHERE import_id = ? AND action = 'update' ORDER BY ci_key")
        .raw()
        .all(ctx.importId),
    ).toEqual([
      ['b', 'Retired: no longer listed by its source, "inv.csv" (a sync)'],
      ['c', 'Retired: no longer listed by its source, "inv.csv" (a sync)'],
    ]);
    expect(ctx.rows.filter((r) => r.action === 'retire').map((r) => r.key)).toEqual(['b', 'c']);
    svc.db.exec('ROLLBACK');
  });

  it("a sync that lists none of its source's CIs (another tool's export of the same file name) says so, and how to undo it", async () => {
    const svc = await seeded();
    const { ctx, cis } = await throughCis(svc.db, { cis: { name: 'inv.csv', content: 'id,name,type\nz,Z,server\n' }, mode: 'sync' });
    retireUnlisted(ctx, cis);
    expect(ctx.counts.retired).toBe(3);
    expect(ctx.warnings).toEqual([
      `Sync retired all 3 CIs of the source "inv.csv": the file lists none of them. If it is another tool's export with the same file name, undo import ${ctx.importId} and sync each export under its own --source NAME.`,
    ]);
    svc.db.exec('ROLLBACK');
    // A file that lists one of them retires the rest without a word.
    const one = await throughCis(svc.db, { cis: { name: 'inv.csv', content: 'id,name,type\na,A,server\nz,Z,server\n' }, mode: 'sync' });
    retireUnlisted(one.ctx, one.cis);
    expect([one.ctx.counts.retired, one.ctx.warnings]).toEqual([2, []]);
    svc.db.exec('ROLLBACK');
  });

  it("a sync under a source no CI had before (a newer export's new file name) retires nothing and says which sources there are", async () => {
    const svc = await seeded();
    // By default (the file's name), such a sync of CIs an earlier source holds is refused by the CI stage
    // (source-split.ts, tested in import-source-split.test.ts); given explicitly, the source is honoured.
    await expect(
      throughCis(svc.db, { cis: { name: 'inv-2026-12.csv', content: 'id,name,type\na,A,server\n' }, mode: 'sync' }),
    ).rejects.toThrow(/sync refused: its source is the file's name, "inv-2026-12.csv"/);
    svc.db.exec('ROLLBACK');
    const { ctx, cis } = await throughCis(svc.db, {
      cis: { name: 'inv-2026-12.csv', content: 'id,name,type\na,A,server\n' },
      mode: 'sync',
      source: 'inv-2026-12.csv',
    });
    retireUnlisted(ctx, cis);
    expect(ctx.counts.retired).toBe(0);
    expect(ctx.warnings).toEqual([
      'Sync retired nothing: no CI came from the source "inv-2026-12.csv" before this import, so this was its first sync. To retire what an earlier export listed and this one does not, sync under that export\'s source (--source NAME; sources so far: inv.csv, other.csv).',
    ]);
    svc.db.exec('ROLLBACK');
    // The same, when the renamed file also changes a CI: the update takes it into the new source, and the note
    // is still said (the source had no CI before this import), with the CI it took.
    const changed = await throughCis(svc.db, {
      cis: { name: 'inv-2026-12.csv', content: 'id,name,type\na,A renamed,server\n' },
      mode: 'sync',
      source: 'inv-2026-12.csv',
    });
    retireUnlisted(changed.ctx, changed.cis);
    expect([changed.ctx.counts.updated, changed.ctx.counts.retired]).toEqual([1, 0]);
    expect(changed.ctx.warnings).toEqual([
      // The rename of a CI another source wrote is said too (renames.ts): one row, so not refused as a key collision.
      expect.stringMatching(/^inv-2026-12\.csv: 1 row renamed a CI another source wrote \(line 2: key "a" is A from inv\.csv;/),
      expect.stringMatching(
        /^Sync retired nothing: no CI came from the source "inv-2026-12.csv" before this import, so this was its first sync\. It took the CI it changed into this source/,
      ),
    ]);
    svc.db.exec('ROLLBACK');
    // Under its first import's source, the same file retires what it no longer lists, and nothing is said.
    const again = await throughCis(svc.db, {
      cis: { name: 'inv-2026-12.csv', content: 'id,name,type\na,A,server\n' },
      mode: 'sync',
      source: 'inv.csv',
    });
    retireUnlisted(again.ctx, again.cis);
    expect(again.ctx.counts.retired).toBe(2);
    expect(again.ctx.warnings).toEqual([]);
    svc.db.exec('ROLLBACK');
  });

  it('retires nothing, and warns, when a CI row was rejected', async () => {
    const svc = await seeded();
    const { ctx, cis } = await throughCis(svc.db, {
      cis: { name: 'inv.csv', content: 'id,name,type\na,A,server\nb,,server\n' },
      mode: 'sync',
      skipBadRows: true,
    });
    retireUnlisted(ctx, cis);
    expect(ctx.counts.retired).toBe(0);
    expect(ctx.warnings).toEqual([expect.stringMatching(/^Sync retired nothing: 1 CI row was rejected/)]);
    expect(status(svc.db).filter(([, s]) => s === 'retired')).toEqual([]);
    svc.db.exec('ROLLBACK');
  });

  it('an upsert retires nothing', async () => {
    const svc = await seeded();
    const { ctx, cis } = await throughCis(svc.db, { cis: { name: 'inv.csv', content: 'id,name,type\na,A,server\n' } });
    retireUnlisted(ctx, cis);
    expect(ctx.counts.retired).toBe(0);
    expect(ctx.warnings).toEqual([]);
    svc.db.exec('ROLLBACK');
  });
});

describe("a retired CI's status text from the source (status_source)", () => {
  const file = (name: string, content: string) => ({ name, content });
  const FULL =
    'sys_id,name,sys_class_name,operational_status\nlb1,lb-f5-01,cmdb_ci_server,Repair in Progress\nlb2,lb-f5-02,cmdb_ci_server,Operational\n';
  const ci = (svc: ReturnType<typeof freshService>) =>
    svc.db.prepare("SELECT status, attributes FROM cis WHERE key = 'lb1'").get() as { status: string | null; attributes: string };
  const found = async (svc: ReturnType<typeof freshService>) => (await ok(svc, 'listCis', { query: 'Repair' })).items.map((c) => c.key);

  it('goes with the status when a sync retires the CI, in its history; undo puts it back', async () => {
    const svc = freshService();
    const first = await ok(svc, 'importCsv', { cis: file('snow.csv', FULL), mode: 'sync' });
    expect(ci(svc)).toEqual({ status: 'maintenance', attributes: '{"status_source":"Repair in Progress"}' });
    expect(await found(svc)).toEqual(['lb1']);
    // A dry run shows it among the changes.
    const gone = 'sys_id,name,sys_class_name,operational_status\nlb2,lb-f5-02,cmdb_ci_server,Operational\n';
    const dry = await ok(svc, 'importCsv', { cis: file('snow.csv', gone), mode: 'sync', dryRun: true });
    expect(dry.rows.find((r) => r.action === 'retire')?.changes).toEqual({
      status: { from: 'maintenance', to: 'retired' },
      attributes: { from: { status_source: 'Repair in Progress' }, to: {} },
    });
    const r = await ok(svc, 'importCsv', { cis: file('snow.csv', gone), mode: 'sync' });
    expect(r.counts.retired).toBe(1);
    expect(ci(svc)).toEqual({ status: 'retired', attributes: '{}' });
    expect(await found(svc)).toEqual([]);
    const history = (await ok(svc, 'getCi', { key: 'lb1' })).history[0]!;
    expect(history.changes).toEqual({
      status: { from: 'maintenance', to: 'retired' },
      attributes: { from: { status_source: 'Repair in Progress' }, to: {} },
    });
    await ok(svc, 'undoImport', { id: r.importId! });
    expect(ci(svc)).toEqual({ status: 'maintenance', attributes: '{"status_source":"Repair in Progress"}' });
    expect(await found(svc)).toEqual(['lb1']);
    // And the import it had before (the retirement's prior_import_id, migration 12).
    expect(svc.db.prepare("SELECT import_id FROM cis WHERE key = 'lb1'").pluck().get()).toBe(first.importId);
  });

  it('comes back with the status when a file keeping empty cells leaves the status cell empty', async () => {
    const svc = freshService();
    await ok(svc, 'importCsv', { cis: file('snow.csv', FULL), mode: 'sync' });
    const gone = 'sys_id,name,sys_class_name,operational_status\nlb2,lb-f5-02,cmdb_ci_server,Operational\n';
    await ok(svc, 'importCsv', { cis: file('snow.csv', gone), mode: 'sync' });
    const empty = `${gone}lb1,lb-f5-01,cmdb_ci_server,\n`;
    await ok(svc, 'importCsv', { cis: file('snow.csv', empty), mode: 'sync', emptyCells: 'keep' });
    expect(ci(svc)).toEqual({ status: 'maintenance', attributes: '{"status_source":"Repair in Progress"}' });
  });

  it('comes back with the status when a file without a status column lists the CI again', async () => {
    const svc = freshService();
    await ok(svc, 'importCsv', { cis: file('snow.csv', FULL), mode: 'sync' });
    await ok(svc, 'importCsv', { cis: file('snow.csv', 'sys_id,name,sys_class_name\nlb2,lb-f5-02,cmdb_ci_server\n'), mode: 'sync' });
    expect(ci(svc)).toEqual({ status: 'retired', attributes: '{}' });
    const both = 'sys_id,name,sys_class_name\nlb1,lb-f5-01,cmdb_ci_server\nlb2,lb-f5-02,cmdb_ci_server\n';
    await ok(svc, 'importCsv', { cis: file('snow.csv', both), mode: 'sync' });
    expect(ci(svc)).toEqual({ status: 'maintenance', attributes: '{"status_source":"Repair in Progress"}' });
    // A CI without such text gets none.
    const plain = freshService();
    await ok(plain, 'importCsv', { cis: file('inv.csv', 'id,name,type,status\nlb1,L,server,maintenance\nb,B,server,\n'), mode: 'sync' });
    await ok(plain, 'importCsv', { cis: file('inv.csv', 'id,name,type\nb,B,server\n'), mode: 'sync' });
    expect(ci(plain)).toEqual({ status: 'retired', attributes: '{}' });
    await ok(plain, 'importCsv', { cis: file('inv.csv', 'id,name,type\nlb1,L,server\nb,B,server\n'), mode: 'sync' });
    expect(ci(plain)).toEqual({ status: 'maintenance', attributes: '{}' });
  });
});

describe('an update-only import beside a sync', () => {
  it('enriches CIs without taking them from their source: the next sync of that source still retires one it no longer lists', async () => {
    const svc = freshService();
    const file = (name: string, content: string) => ({ name, content });
    await ok(svc, 'importCsv', { cis: file('cmdb_ci.csv', 'id,name,type,owner\nk1,a,server,o1\nk2,b,server,o1\n'), mode: 'sync' });
    const enriched = await ok(svc, 'importCsv', {
      cis: file('owners.csv', 'id,name,type,owner\nk1,a,server,Team X\n'),
      mode: 'update-only',
    });
    expect(enriched.counts.updated).toBe(1);
    const sourceOf = (key: string) => svc.db.prepare('SELECT source FROM cis WHERE key = ?').pluck().get(key);
    expect((await ok(svc, 'getCi', { key: 'k1' })).ci.owner).toBe('Team X');
    expect(sourceOf('k1')).toBe('cmdb_ci.csv');
    const week2 = await ok(svc, 'importCsv', { cis: file('cmdb_ci.csv', 'id,name,type,owner\nk2,b,server,o1\n'), mode: 'sync' });
    expect(week2.counts.retired).toBe(1);
    expect((await ok(svc, 'getCi', { key: 'k1' })).ci).toMatchObject({ status: 'retired', owner: 'Team X' });
    // Undo of the enrichment puts the owner back and leaves the source as it is.
    await ok(svc, 'undoImport', { id: week2.importId! });
    await ok(svc, 'undoImport', { id: enriched.importId! });
    expect((await ok(svc, 'getCi', { key: 'k1' })).ci).toMatchObject({ owner: 'o1', status: null });
    expect(sourceOf('k1')).toBe('cmdb_ci.csv');
  });
});
