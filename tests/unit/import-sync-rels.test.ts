/**
 * A sync removes the relationships of its source that its relationships file
 * no longer lists (stages/unlisted-rels.ts): a VM that moved host no longer
 * goes down with the old host. Relationships of other sources, and those made
 * by hand, stay; a rejected relationship row removes nothing and says why;
 * the removals have history, reach the impact index at once, and undo puts
 * them back as they were.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../electron/cmdb/db.js';
import { resultLines } from '../../electron/cli/import-output.js';
import { cmdb, ensureCliBuilt, freshService, ok, tempDir } from './helpers.js';

const file = (name: string, content: string) => ({ name, content });
const CIS = 'id,name,type\nh1,Host 1,server\nh2,Host 2,server\nvm,VM,server\napp,App,application\n';
const RELS = 'source,target,type,redundancy_group,min_up\nvm,h1,runs_on,,\napp,vm,runs_on,,\n';
/** The VM moved from h1 to h2. */
const MOVED = 'source,target,type,redundancy_group,min_up\nvm,h2,runs_on,,\napp,vm,runs_on,,\n';

/** Every relationship with every stored field, by its ends' keys. */
function rels(db: Db): unknown[] {
  return db
    .prepare(
      `SELECT r.id, s.key AS s, t.key AS t, r.type, r.redundancy_group, r.min_up, r.attributes, r.created_at, r.updated_at,
              r.import_id, r.created_import_id
       FROM relationships r JOIN cis s ON s.id = r.source_id JOIN cis t ON t.id = r.target_id ORDER BY s.key, t.key, r.type`,
    )
    .all();
}

async function synced() {
  const svc = freshService();
  const first = await ok(svc, 'importCsv', { cis: file('inv.csv', CIS), relationships: file('inv-rels.csv', RELS) });
  return { svc, first };
}

/** The CIs a change to `key` takes down or degrades, besides itself. */
const impactedKeys = async (svc: ReturnType<typeof freshService>, key: string) =>
  (await ok(svc, 'impact', { keys: [key] })).impacted
    .map((c) => c.key)
    .filter((k) => k !== key)
    .sort();

describe('sync and relationships', () => {
  beforeAll(ensureCliBuilt, 120_000);

  it('removes the relationships of the source its file no longer lists, with history, and the impact follows', async () => {
    const { svc } = await synced();
    expect(await impactedKeys(svc, 'h1')).toEqual(['app', 'vm']);
    const r = await ok(svc, 'importCsv', { cis: file('inv.csv', CIS), relationships: file('inv-rels.csv', MOVED), mode: 'sync' });
    expect(r.counts).toMatchObject({ relationshipsCreated: 1, relationshipsUnchanged: 1, relationshipsRemoved: 1, retired: 0 });
    expect(r.rows.filter((x) => x.action === 'remove').map((x) => x.key)).toEqual(['vm runs_on h1']);
    expect(rels(svc.db).map((x) => `${(x as { s: string }).s}>${(x as { t: string }).t}`)).toEqual(['app>vm', 'vm>h2']);
    const h = svc.db
      .prepare(
        "SELECT ci_key, related_key, summary, changes ->> '$.type.from' AS type FROM history WHERE import_id = ? AND action = 'delete'",
      )
      .all(r.importId);
    expect(h).toEqual([
      {
        ci_key: 'vm',
        related_key: 'h1',
        summary: 'Removed vm runs_on h1: no longer listed by its source, "inv.csv" (a sync)',
        type: 'runs_on',
      },
    ]);
    // The index the first question built is patched: h1 takes nothing down now, h2 takes the VM and its app.
    expect(await impactedKeys(svc, 'h1')).toEqual([]);
    expect(await impactedKeys(svc, 'h2')).toEqual(['app', 'vm']);
  });

  it('undo puts the removed relationships back as they were, ids and times included', async () => {
    const { svc } = await synced();
    svc.db.prepare('UPDATE relationships SET redundancy_group = \'g\', min_up = 1, attributes = \'{"port":"eth0"}\'').run();
    const before = rels(svc.db);
    const r = await ok(svc, 'importCsv', {
      cis: file('inv.csv', CIS),
      relationships: file('inv-rels.csv', 'source,target,type\napp,vm,runs_on\n'),
      mode: 'sync',
    });
    expect(r.counts.relationshipsRemoved).toBe(1);
    expect(await impactedKeys(svc, 'h1')).toEqual([]);
    const u = await ok(svc, 'undoImport', { id: r.importId! });
    expect(u.relationshipsRestored).toBe(1);
    expect(rels(svc.db)).toEqual(before);
    expect(await impactedKeys(svc, 'h1')).toEqual(['app', 'vm']);
  });

  it("leaves other sources' relationships and those made by hand", async () => {
    const { svc } = await synced();
    await ok(svc, 'importCsv', { relationships: file('extra.csv', 'source,target,type\napp,h2,depends_on\n'), source: 'extra' });
    await ok(svc, 'createRelationship', { source: 'app', target: 'h1', type: 'depends_on' });
    const r = await ok(svc, 'importCsv', { cis: file('inv.csv', CIS), relationships: file('inv-rels.csv', MOVED), mode: 'sync' });
    expect(r.counts.relationshipsRemoved).toBe(1);
    expect(rels(svc.db).map((x) => `${(x as { s: string }).s}>${(x as { t: string }).t}`)).toEqual(['app>h1', 'app>h2', 'app>vm', 'vm>h2']);
  });

  it('finds the same relationships to remove whether the stored ones were read whole or the source scanned', async () => {
    // 100 CIs, 300 relationships from inv.csv, 20 from another source, 10 made by hand. A file listing most of
    // what the CMDB holds has the relationship stage read every stored relationship (stored-rels.ts), and the
    // unlisted ones come from that; a short file does not, and they come from a scan of the source's.
    const svc = freshService();
    const key = (i: number) => `server-${String(i).padStart(6, '0')}`;
    const cis = ['id,name,type', ...Array.from({ length: 100 }, (_, i) => `${key(i)},Server ${i},server`)].join('\n');
    const pairs = Array.from({ length: 300 }, (_, k) => [key(k % 100), key(((k % 100) + 1 + Math.floor(k / 100)) % 100)] as const);
    const relsOf = (ps: ReadonlyArray<readonly [string, string]>) =>
      ['source,target,type', ...ps.map(([a, b]) => `${a},${b},depends_on`)].join('\n');
    await ok(svc, 'importCsv', { cis: file('inv.csv', cis), relationships: file('inv-rels.csv', relsOf(pairs)) });
    const other = Array.from({ length: 20 }, (_, k) => [key(k), key(99 - k)] as const);
    await ok(svc, 'importCsv', {
      relationships: file('other.csv', relsOf(other).replaceAll('depends_on', 'connects_to')),
      source: 'other',
    });
    for (let k = 0; k < 10; k++) await ok(svc, 'createRelationship', { source: key(50 + k), target: key(k), type: 'runs_on' });
    const count = () => svc.db.prepare('SELECT count(*) FROM relationships').pluck().get() as number;
    expect(count()).toBe(330);
    // Most listed (all but 10): read whole.
    const most = await ok(svc, 'importCsv', {
      cis: file('inv.csv', cis),
      relationships: file('inv-rels.csv', relsOf(pairs.slice(10))),
      mode: 'sync',
    });
    expect(most.counts.relationshipsRemoved).toBe(10);
    expect(count()).toBe(320);
    // A few listed: scanned.
    const few = await ok(svc, 'importCsv', {
      cis: file('inv.csv', cis),
      relationships: file('inv-rels.csv', relsOf(pairs.slice(10, 15))),
      mode: 'sync',
    });
    expect(few.counts.relationshipsRemoved).toBe(285);
    expect(count()).toBe(35);
    const left = svc.db.prepare('SELECT type, count(*) FROM relationships GROUP BY type ORDER BY type').raw().all();
    expect(left).toEqual([
      ['connects_to', 20],
      ['depends_on', 5],
      ['runs_on', 10],
    ]);
  });

  it('removes nothing when a relationship row was rejected, and says why; other modes never remove', async () => {
    const { svc } = await synced();
    const bad = 'source,target,type\nvm,h2,runs_on\napp,nosuch,runs_on\n';
    const r = await ok(svc, 'importCsv', {
      cis: file('inv.csv', CIS),
      relationships: file('inv-rels.csv', bad),
      mode: 'sync',
      skipBadRows: true,
    });
    expect(r.counts).toMatchObject({ relationshipsRejected: 1, relationshipsRemoved: 0 });
    expect(r.warnings).toContain(
      'Sync removed no relationships: 1 relationship row was rejected, and a rejected row may be a relationship the file still lists. Fix the rows and sync again.',
    );
    const up = await ok(svc, 'importCsv', {
      cis: file('inv.csv', CIS),
      relationships: file('inv-rels.csv', 'source,target,type\nvm,h2,runs_on\n'),
    });
    expect(up.counts.relationshipsRemoved).toBe(0);
    expect(rels(svc.db)).toHaveLength(3);
  });

  it('a row repeating an earlier row (a ServiceNow table holding a relationship twice) does not stop a sync retiring and removing', async () => {
    const { svc } = await synced();
    // vm moved to h2 (vm runs_on h1 is no longer listed), app's row twice, h1's CI row twice, and h2 gone from the CIs.
    const cis = 'id,name,type\nh1,Host 1,server\nvm,VM,server\napp,App,application\nh1,Host 1,server\n';
    const twice = 'source,target,type,redundancy_group,min_up\nvm,h2,runs_on,,\napp,vm,runs_on,,\napp,vm,runs_on,,\n';
    const r = await ok(svc, 'importCsv', {
      cis: file('inv.csv', cis),
      relationships: file('inv-rels.csv', twice),
      mode: 'sync',
      skipBadRows: true,
    });
    expect(r.counts).toMatchObject({ rejected: 1, retired: 1, relationshipsRejected: 1, relationshipsRemoved: 1 });
    expect(r.errors.map((e) => [e.line, e.message.split(':')[0]])).toEqual([
      [5, 'duplicate key "h1"'],
      [4, 'duplicate relationship App (app) runs_on VM (vm)'],
    ]);
    expect(r.warnings.filter((w) => w.startsWith('Sync'))).toEqual([]);
    expect(rels(svc.db).map((x) => `${(x as { s: string }).s}>${(x as { t: string }).t}`)).toEqual(['app>vm', 'vm>h2']);
    expect((await ok(svc, 'getCi', { key: 'h2' })).ci.status).toBe('retired');
  });

  it("a totals row or a note under a sheet's relationships is named as one and does not stop a sync removing; a lone stored CI's key does (found by a reviewer)", async () => {
    const { svc } = await synced();
    const listed = 'source,target,type\nvm,h2,runs_on\napp,vm,runs_on\n';
    const sync = (rels: string) =>
      ok(svc, 'importCsv', {
        cis: file('inv.csv', CIS),
        relationships: file('inv-rels.csv', rels),
        mode: 'sync',
        skipBadRows: true,
        dryRun: true,
      });
    for (const [tail, message] of [
      ['Total,,\n', '"Total" looks like a spreadsheet\'s totals row, not a relationship'],
      ['\nTotal: 2,,\n', '"Total: 2" alone on its row looks like a note under a spreadsheet\'s table, not a relationship'],
      ['Notes: vm moved to h2 in June,,\n', '"Notes: vm moved to h2 in June" alone on its row looks like a note'],
      // Written alone, without the sheet's empty cells (a line added by hand).
      ['\nChecked by ops\n', '"Checked by ops" alone on its row looks like a note'],
    ] as const) {
      const r = await sync(listed + tail);
      expect(r.counts, tail).toMatchObject({ relationshipsRejected: 1, relationshipsRemoved: 1 });
      expect(r.errors[0]!.message, tail).toContain(message);
      expect(r.errors[0]!.message, tail).toContain('delete the row from the file');
    }
    // One field below the header and empty rows, before any data: no note, a ragged row (found by a reviewer).
    const first = await sync('source,target,type\n\nweb-05\n');
    expect(first.errors[0]!.message).toContain('ragged row');
    // A stored CI's key alone below an empty row may be a relationship's row whose other cells were lost.
    const lone = await sync(`${listed}\nvm,,\n`);
    expect(lone.counts).toMatchObject({ relationshipsRejected: 1, relationshipsRemoved: 0 });
    // Under "emptyTarget": "skip" a row without a target is skipped as before, below an empty row or named Total.
    for (const tail of ['\napp,,\n', 'Total,,runs_on\n']) {
      const skip = await ok(svc, 'importCsv', {
        relationships: file('inv-rels.csv', listed + tail),
        mapping: { emptyTarget: 'skip' },
        dryRun: true,
      });
      expect(skip.counts, tail).toMatchObject({ relationshipsRejected: 0 });
      expect(skip.warnings.join('\n'), tail).toContain('1 row has no target and makes no relationship');
    }
  });

  it('a relationships file synced alone under its own name removes nothing and names the sources to sync under', async () => {
    const { svc } = await synced();
    // An update-only import's source owns nothing: not named as one to sync under.
    await ok(svc, 'importCsv', { cis: file('team.csv', 'id,owner\nvm,team-x\n'), mode: 'update-only' });
    const r = await ok(svc, 'importCsv', { relationships: file('moved.csv', MOVED), mode: 'sync' });
    expect(r.counts.relationshipsRemoved).toBe(0);
    expect(r.warnings).toEqual([
      'Sync removed no relationships: none came from the source "moved.csv" before this import. To remove what an earlier export listed and this one does not, sync under that export\'s source (--source NAME; sources so far: inv.csv).',
    ]);
    const again = await ok(svc, 'importCsv', { relationships: file('moved.csv', MOVED), mode: 'sync', source: 'inv.csv' });
    expect([again.counts.relationshipsRemoved, again.warnings]).toEqual([1, []]);
  });

  it('from the command line: the sync says what it removed, the import log counts it, undo puts it back', () => {
    const dir = tempDir();
    const [db, cis, rels] = ['t.db', 'inv.csv', 'inv-rels.csv'].map((f) => join(dir, f)) as [string, string, string];
    writeFileSync(cis, CIS);
    writeFileSync(rels, RELS);
    expect(cmdb(['import', '--db', db, '--cis', cis, '--relationships', rels]).code).toBe(0);
    writeFileSync(rels, MOVED);
    const sync = cmdb(['import', '--db', db, '--cis', cis, '--relationships', rels, '--mode', 'sync']);
    expect(sync.code, sync.stderr).toBe(0);
    expect(sync.stdout).toContain('relationships 1 created, 0 updated, 1 unchanged, 1 removed');
    expect(cmdb(['imports', '--db', db]).stdout).toMatch(/^2 .* sync +inv\.csv, inv-rels\.csv +inv\.csv +0 +0 +0 +1 \(1 removed\) /m);
    const undo = cmdb(['undo-import', '2', '--db', db]);
    expect(undo.stdout).toContain('1 relationship removed, 1 restored');
  });

  it('a sync of both files under a source nothing came from says to sync under the earlier source, for the relationships too', async () => {
    const { svc } = await synced();
    // Given explicitly: by default (the file's name) such a sync is refused (import-source-split.test.ts).
    const r = await ok(svc, 'importCsv', {
      cis: file('inv-2.csv', CIS),
      relationships: file('inv-rels.csv', MOVED),
      mode: 'sync',
      source: 'inv-2.csv',
    });
    expect(r.counts).toMatchObject({ retired: 0, relationshipsRemoved: 0 });
    expect(r.warnings).toEqual([
      'Sync retired nothing: no CI came from the source "inv-2.csv" before this import, so this was its first sync. To retire what an earlier export listed and this one does not, and remove the relationships it no longer lists, sync under that export\'s source (--source NAME; sources so far: inv.csv).',
    ]);
  });

  it('a dry run says what it would remove and removes nothing', async () => {
    const { svc } = await synced();
    const before = rels(svc.db);
    const r = await ok(svc, 'importCsv', {
      cis: file('inv.csv', CIS),
      relationships: file('inv-rels.csv', MOVED),
      mode: 'sync',
      dryRun: true,
    });
    expect(r.counts.relationshipsRemoved).toBe(1);
    expect(rels(svc.db)).toEqual(before);
    // The CLI counts it, and its row list names the file, with no line (the file does not list it).
    const lines = resultLines(r, {}, undefined);
    expect(lines[0]).toContain('relationships 1 created, 0 updated, 1 unchanged, 1 removed');
    expect(lines).toContain('  inv-rels.csv (not listed)  remove    vm runs_on h1');
    // Keys for a program; for a person, each CI by name and key.
    expect(r.unlisted).toEqual({
      retired: [],
      removed: ['vm runs_on h1'],
      labels: { retired: [], removed: ['VM (vm) runs_on Host 1 (h1)'] },
    });
    expect(lines[1]).toBe('Would remove (no longer listed): VM (vm) runs_on Host 1 (h1).');
  });
});

describe('what a sync took away, named', () => {
  it('names the first ten retired CIs and removed relationships apart from the rows, and counts the rest', async () => {
    const svc = freshService();
    const keys = Array.from({ length: 250 }, (_, i) => `ci-${String(i).padStart(3, '0')}`);
    const cis = `id,name,type\nhub,Hub,server\n${keys.map((k) => `${k},${k},server`).join('\n')}\n`;
    const rels = `source,target,type\n${keys.map((k) => `${k},hub,runs_on`).join('\n')}\n`;
    await ok(svc, 'importCsv', { cis: file('inv.csv', cis), relationships: file('inv-rels.csv', rels) });
    // This week's export lists the hub alone, and no relationship but the first.
    const r = await ok(svc, 'importCsv', {
      cis: file('inv.csv', 'id,name,type\nhub,Hub,server\n'),
      relationships: file('inv-rels.csv', 'source,target,type\nci-000,hub,runs_on\n'),
      mode: 'sync',
      dryRun: true,
    });
    expect(r.counts).toMatchObject({ retired: 250, relationshipsRemoved: 249 });
    // The rows (200 by default) are filled by the file's first rows and the retirements; the lists stop at 100 each.
    expect(r.unlisted.retired).toHaveLength(100);
    expect(r.unlisted.removed).toHaveLength(100);
    expect(r.unlisted.labels?.retired).toHaveLength(100);
    expect(resultLines(r, {}, undefined).slice(1, 3)).toEqual([
      `Would retire (no longer listed): ${keys.slice(0, 10).join(', ')} and 240 more.`,
      `Would remove (no longer listed): ${keys
        .slice(1, 11)
        .map((k) => `${k} runs_on Hub (hub)`)
        .join(', ')} and 239 more.`,
    ]);
  });
});
