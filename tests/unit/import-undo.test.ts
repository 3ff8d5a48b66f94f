/**
 * The import log and undo: an undo restores the database to what it was
 * before the import (data-wise), and is refused, saying why, when a later
 * import or edit touched the same CIs.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Db } from '../../electron/cmdb/db.js';
import { cmdb, ensureCliBuilt, fails, freshService, ok, tempDir } from './helpers.js';

const file = (name: string, content: string) => ({ name, content });

/** The user-visible data: CIs and relationships with every field, and the types registry. */
function data(db: Db): string {
  return JSON.stringify({
    cis: db
      .prepare('SELECT key, type, name, status, environment, owner, criticality, description, attributes, import_id FROM cis ORDER BY key')
      .all(),
    rels: db
      .prepare(
        `SELECT s.key AS s, t.key AS t, r.type, r.redundancy_group, r.min_up, r.attributes FROM relationships r
         JOIN cis s ON s.id = r.source_id JOIN cis t ON t.id = r.target_id ORDER BY s.key, t.key, r.type`,
      )
      .all(),
    ciTypes: db.prepare('SELECT * FROM ci_types ORDER BY name').all(),
    relTypes: db.prepare('SELECT * FROM rel_types ORDER BY name').all(),
    fts: db.prepare("SELECT rowid FROM ci_fts WHERE ci_fts MATCH 'gadget' ORDER BY rowid").all(),
  });
}

const BASE = 'id,name,type,status,rack\na,Alpha,server,operational,R1\nb,Beta,server,operational,R2\nc,Gamma,application,operational,\n';
const BASE_RELS = 'source,target,type,redundancy_group,min_up\nc,a,runs_on,g,1\nc,b,runs_on,g,1\n';

describe('import log and undo', () => {
  it('undoes an upsert: deletes what it created, restores what it updated, removes the types it added', async () => {
    const svc = freshService();
    const first = await ok(svc, 'importCsv', { cis: file('cis.csv', BASE), relationships: file('rels.csv', BASE_RELS) });
    const before = data(svc.db);
    const second = await ok(svc, 'importCsv', {
      cis: file('cis.csv', 'id,name,type,status,rack\na,Alpha,server,maintenance,R9\nd,Delta gadget,widget,operational,\n'),
      relationships: file('rels.csv', 'source,target,type,redundancy_group,min_up\nc,a,runs_on,g,2\nc,b,runs_on,g,2\nd,c,feeds,,\n'),
    });
    expect(second.counts).toMatchObject({ created: 1, updated: 1, relationshipsCreated: 1, relationshipsUpdated: 2 });
    expect(second.createdTypes).toEqual(['widget']);
    expect(data(svc.db)).not.toBe(before);

    const u = await ok(svc, 'undoImport', { id: second.importId! });
    expect(u).toEqual({
      importId: second.importId,
      cisDeleted: 1,
      cisRestored: 1,
      relationshipsDeleted: 1,
      relationshipsRestored: 2,
      typesRemoved: ['widget', 'feeds'],
    });
    expect(data(svc.db)).toBe(before);
    // The deletes are in history under the import's number as it is shown (not "2.0").
    expect(svc.db.prepare("SELECT summary FROM history WHERE action = 'delete' ORDER BY id").pluck().all()).toEqual([
      `Undo of import ${second.importId}: removed d feeds c`,
      `Undo of import ${second.importId}: removed d`,
    ]);
    const log = await ok(svc, 'listImports', {});
    expect(log.items.find((i) => i.id === second.importId)!.undoneAt).not.toBeNull();
    // The undo is itself in history.
    const a = await ok(svc, 'getCi', { key: 'a' });
    expect(a.history[0]).toMatchObject({ action: 'update', changes: { status: { from: 'maintenance', to: 'operational' } } });
    expect((await fails(svc, 'undoImport', { id: second.importId! })).message).toMatch(/already undone/);
    // Now the first import can be undone too: back to an empty CMDB.
    await ok(svc, 'undoImport', { id: first.importId! });
    expect((await ok(svc, 'stats', {})).cis).toBe(0);
    expect((await ok(svc, 'listCis', { query: 'Alpha' })).total).toBe(0);
  });

  it('undoes a sync: retired CIs get their status back', async () => {
    const svc = freshService();
    await ok(svc, 'importCsv', { cis: file('cis.csv', BASE) });
    const before = data(svc.db);
    const s = await ok(svc, 'importCsv', {
      cis: file('cis.csv', 'id,name,type,status,rack\na,Alpha,server,operational,R1\n'),
      mode: 'sync',
    });
    expect(s.counts.retired).toBe(2);
    await ok(svc, 'undoImport', { id: s.importId! });
    expect(data(svc.db)).toBe(before);
  });

  it("gives an updated CI its source back, so a sync of the undone import's source does not retire it", async () => {
    const svc = freshService();
    await ok(svc, 'importCsv', { cis: file('week1.csv', 'id,name,type,owner\na,A,server,o1\nb,B,server,o1\n'), source: 'S1' });
    const mistake = await ok(svc, 'importCsv', { cis: file('other.csv', 'id,name,type,owner\na,A,server,o2\n'), source: 'S2' });
    expect(svc.db.prepare("SELECT source FROM cis WHERE key = 'a'").pluck().get()).toBe('S2');
    await ok(svc, 'undoImport', { id: mistake.importId! });
    expect(svc.db.prepare('SELECT key, owner, source FROM cis ORDER BY key').all()).toEqual([
      { key: 'a', owner: 'o1', source: 'S1' },
      { key: 'b', owner: 'o1', source: 'S1' },
    ]);
    const sync = await ok(svc, 'importCsv', { cis: file('other.csv', 'id,name,type\nz,Z,server\n'), source: 'S2', mode: 'sync' });
    expect(sync.counts.retired).toBe(0);
  });

  it('refuses, saying why, when a later import changed the same CIs, and allows it once that import is undone', async () => {
    const svc = freshService();
    await ok(svc, 'importCsv', { cis: file('cis.csv', BASE) });
    const second = await ok(svc, 'importCsv', { cis: file('cis.csv', BASE.replace('Beta', 'Beta 2')) });
    const third = await ok(svc, 'importCsv', { cis: file('other.csv', 'id,name,type\nb,Beta 3,server\n') });
    const e = await fails(svc, 'undoImport', { id: second.importId! });
    expect(e.code).toBe('CONFLICT');
    expect(e.message).toBe(
      `Import ${second.importId} cannot be undone: a later change touches the same CIs, and undoing it now would throw it away: ` +
        `import ${third.importId} (upsert, other.csv) changed Beta 3 (b). ` +
        `First undo import ${third.importId} (cmdb undo-import ${third.importId}); then import ${second.importId} can be undone.`,
    );
    expect(e.details).toMatchObject({ next: [{ command: 'undo-import', args: [String(third.importId)] }] });
    await ok(svc, 'undoImport', { id: third.importId! });
    await ok(svc, 'undoImport', { id: second.importId! });
    expect((await ok(svc, 'getCi', { key: 'b' })).ci.name).toBe('Beta');
  });

  it("in the app and the web host the refusal names the import log's Undo, not the CLI's command (found by a tester)", async () => {
    const svc = freshService(':memory:', 'web');
    await ok(svc, 'importCsv', { cis: file('cis.csv', BASE) });
    const second = await ok(svc, 'importCsv', { cis: file('cis.csv', BASE.replace('Beta', 'Beta 2')) });
    const third = await ok(svc, 'importCsv', { cis: file('other.csv', 'id,name,type\nb,Beta 3,server\n') });
    const e = await fails(svc, 'undoImport', { id: second.importId! });
    expect(e.message).toContain(
      `First undo import #${third.importId} (its Undo in the import log); then import #${second.importId} can be undone.`,
    );
    expect(e.message).toMatch(
      new RegExp(`^Import #${second.importId} cannot be undone: .* import #${third.importId} \\(upsert, other\\.csv\\) changed`),
    );
    expect(e.message).not.toContain('cmdb ');
    expect(e.details).toMatchObject({ next: [{ command: 'undo-import', args: [String(third.importId)] }] });
  });

  it('refused for a later merge, names the merge and its undo, not an edit to redo by hand; allowed once the merge is undone', async () => {
    const svc = freshService();
    await ok(svc, 'importCsv', {
      cis: file('t.csv', 'id,name,type,owner\na,Web 01,server,\nb,WEB-01,server,team-x\ndb,DB,database,t\n'),
      relationships: file('r.csv', 'source,target,type\na,db,depends_on\nb,db,depends_on\n'),
    });
    const update = await ok(svc, 'importCsv', { cis: file('bupd.csv', 'id,name,type,owner\nb,WEB-01,server,team-b2\n') });
    const merge = await ok(svc, 'mergeCis', { keep: 'a', merge: 'b' });
    const e = await fails(svc, 'undoImport', { id: update.importId! });
    expect(e.message).toContain(`: merge #${merge.id} merged WEB-01 (b) into Web 01 (a). `);
    expect(e.message).toMatch(
      new RegExp(`First undo merge #${merge.id} \\(cmdb undo-merge ${merge.id}\\); then import ${update.importId} can be undone\\.$`),
    );
    expect(e.message).not.toContain('by hand');
    await ok(svc, 'undoMerge', { id: merge.id });
    await ok(svc, 'undoImport', { id: update.importId! });
    expect((await ok(svc, 'getCi', { key: 'b' })).ci.owner).toBe('team-x');
  });

  it('a merge undone since stays no later change once its merged CI is deleted', async () => {
    const svc = freshService();
    const imp = await ok(svc, 'importCsv', { cis: file('c.csv', 'id,name,type\nk,Web 1,server\n') });
    await ok(svc, 'createCi', { key: 'm', fields: { type: 'server', name: 'WEB-1' } });
    const rec = await ok(svc, 'mergeCis', { keep: 'k', merge: 'm' });
    await ok(svc, 'undoMerge', { id: rec.id });
    await ok(svc, 'deleteCi', { key: 'm' });
    const undone = await ok(svc, 'undoImport', { id: imp.importId! });
    expect(undone.cisDeleted).toBe(1);
    expect((await fails(svc, 'getCi', { key: 'k' })).code).toBe('NOT_FOUND');
  });

  it("names a merge undone since under new ids (its CI's id taken meanwhile) as the later change, not as an edit", async () => {
    const svc = freshService();
    await ok(svc, 'importCsv', { cis: file('t.csv', 'id,name,type,owner\na,Web 01,server,\ndb,DB,database,t\nb,WEB-01,server,team-x\n') });
    const update = await ok(svc, 'importCsv', { cis: file('bupd.csv', 'id,name,type,owner\nb,WEB-01,server,team-b2\n') });
    const merge = await ok(svc, 'mergeCis', { keep: 'a', merge: 'b' });
    // b had the highest id: a CI created now takes it, so the undo brings b back under a new one.
    await ok(svc, 'createCi', { key: 'c', fields: { type: 'server', name: 'C' } });
    await ok(svc, 'undoMerge', { id: merge.id });
    const e = await fails(svc, 'undoImport', { id: update.importId! });
    expect(e.message).toContain(
      `: merge #${merge.id} merged WEB-01 (b) into Web 01 (a) and was undone since, bringing WEB-01 (b) back under a new id`,
    );
    expect(e.message).toContain(`import ${update.importId} can no longer be undone as a whole`);
    expect(e.details).toMatchObject({ next: [] });
  });

  it('refuses when a later hand edit, or a relationship added later, touches a CI it created', async () => {
    const svc = freshService();
    const first = await ok(svc, 'importCsv', { cis: file('cis.csv', BASE) });
    await ok(svc, 'updateCi', { key: 'a', fields: { owner: 'someone' } });
    expect((await fails(svc, 'undoImport', { id: first.importId! })).message).toBe(
      `Import ${first.importId} cannot be undone: a later change touches the same CIs, and undoing it now would throw it away: ` +
        `edits by hand (test) changed Alpha (a). An edit by hand, or a merge undone since, cannot be undone, so import ${first.importId} ` +
        `can no longer be undone as a whole: put its changes right by hand (each CI's history lists them), or import the earlier file again.`,
    );

    const svc2 = freshService();
    const imp = await ok(svc2, 'importCsv', { cis: file('cis.csv', BASE) });
    await ok(svc2, 'importCsv', { cis: file('x.csv', 'id,name,type\nx,X,server\n') });
    await ok(svc2, 'createRelationship', { source: 'x', target: 'a', type: 'depends_on' });
    expect((await fails(svc2, 'undoImport', { id: imp.importId! })).code).toBe('CONFLICT');
    expect((await fails(svc2, 'undoImport', { id: 999 })).code).toBe('NOT_FOUND');
  });
});

/** Who owns what: each CI's source and last import, each relationship's last and creating import. */
function owners(db: Db) {
  return {
    cis: db.prepare('SELECT key, source, import_id, created_import_id FROM cis ORDER BY key').all(),
    rels: db
      .prepare(
        `SELECT s.key || ' ' || r.type || ' ' || t.key AS rel, r.import_id, r.created_import_id FROM relationships r
         JOIN cis s ON s.id = r.source_id JOIN cis t ON t.id = r.target_id ORDER BY rel`,
      )
      .all(),
  };
}

const A_CIS = 'id,name,type\napp,App,application\ns1,S1,server\ns2,S2,server\n';

describe('undo gives what the import took back to the source that had it', () => {
  it("a relationship an update-only import enriched goes back to its source's import, and that source's sync removes it", async () => {
    const svc = freshService();
    await ok(svc, 'importCsv', {
      cis: file('a.csv', A_CIS),
      relationships: file('a-rels.csv', 'source,target,type\napp,s1,runs_on\napp,s2,runs_on\n'),
      source: 'A',
    });
    // An update-only import enriches it but leaves it A's.
    await ok(svc, 'importCsv', {
      relationships: file('u.csv', 'source,target,type,note\napp,s1,runs_on,enriched\n'),
      source: 'U',
      mode: 'update-only',
    });
    const before = owners(svc.db);
    const b = await ok(svc, 'importCsv', {
      relationships: file('b.csv', 'source,target,type,redundancy_group\napp,s1,runs_on,g1\n'),
      source: 'B',
    });
    expect(b.counts.relationshipsUpdated).toBe(1);
    await ok(svc, 'undoImport', { id: b.importId! });
    expect(owners(svc.db)).toEqual(before);
    const sync = await ok(svc, 'importCsv', {
      cis: file('a.csv', A_CIS),
      relationships: file('a-rels.csv', 'source,target,type\napp,s2,runs_on\n'),
      source: 'A',
      mode: 'sync',
    });
    expect(sync.counts.relationshipsRemoved).toBe(1);
    expect(owners(svc.db).rels.map((r) => (r as { rel: string }).rel)).toEqual(['app runs_on s2']);
  });

  it("a relationship whose id a sync's removal freed stays its own source's after an undo, and another source's sync leaves it", async () => {
    const svc = freshService();
    await ok(svc, 'importCsv', {
      cis: file('a.csv', A_CIS),
      relationships: file('a-rels.csv', 'source,target,type\napp,s1,runs_on\napp,s2,runs_on\n'),
      source: 'A',
    });
    const aRels = file('a-rels.csv', 'source,target,type\napp,s1,runs_on\n');
    await ok(svc, 'importCsv', { cis: file('a.csv', A_CIS), relationships: aRels, source: 'A', mode: 'sync' });
    // C's relationship takes the id of the one A's sync removed (A's sync has a history row under that id).
    const c = await ok(svc, 'importCsv', { relationships: file('c.csv', 'source,target,type\napp,s2,depends_on\n'), source: 'C' });
    const before = owners(svc.db);
    const b = await ok(svc, 'importCsv', {
      relationships: file('b.csv', 'source,target,type,redundancy_group\napp,s2,depends_on,g1\n'),
      source: 'B',
    });
    await ok(svc, 'undoImport', { id: b.importId! });
    expect(owners(svc.db)).toEqual(before);
    expect(owners(svc.db).rels).toContainEqual({ rel: 'app depends_on s2', import_id: c.importId, created_import_id: c.importId });
    const sync = await ok(svc, 'importCsv', { cis: file('a.csv', A_CIS), relationships: aRels, source: 'A', mode: 'sync' });
    expect(sync.counts.relationshipsRemoved).toBe(0);
  });

  it('a CI gets back its source and import, also when it took the id of a CI deleted after an import updated it', async () => {
    const svc = freshService();
    await ok(svc, 'importCsv', { cis: file('x.csv', 'id,name,type\nx,X,server\n'), source: 'X' });
    await ok(svc, 'importCsv', { cis: file('x.csv', 'id,name,type,owner\nx,X,server,team-x\n'), source: 'X' });
    await ok(svc, 'deleteCi', { key: 'x' });
    // y takes x's id: x's update by import 2 is in history under it.
    await ok(svc, 'importCsv', { cis: file('a.csv', 'id,name,type,owner\ny,Y,server,team-a\n'), source: 'A' });
    const before = owners(svc.db);
    const b = await ok(svc, 'importCsv', { cis: file('b.csv', 'id,name,type,owner\ny,Y,server,team-b\n'), source: 'B' });
    expect(owners(svc.db).cis).toEqual([{ key: 'y', source: 'B', import_id: b.importId, created_import_id: 3 }]);
    await ok(svc, 'undoImport', { id: b.importId! });
    expect(owners(svc.db)).toEqual(before);
    expect(before.cis).toEqual([{ key: 'y', source: 'A', import_id: 3, created_import_id: 3 }]);
  });

  it('history written before the import recorded it (an older CMDB): the import of the last entry before, skipping update-only ones', async () => {
    const svc = freshService();
    const a = await ok(svc, 'importCsv', {
      cis: file('a.csv', A_CIS),
      relationships: file('a-rels.csv', 'source,target,type\napp,s1,runs_on\n'),
      source: 'A',
    });
    const a2 = await ok(svc, 'importCsv', { cis: file('a.csv', A_CIS.replace('S1', 'S1 renamed')), source: 'A' });
    await ok(svc, 'importCsv', {
      relationships: file('u.csv', 'source,target,type,note\napp,s1,runs_on,enriched\n'),
      source: 'U',
      mode: 'update-only',
    });
    const b = await ok(svc, 'importCsv', {
      cis: file('b.csv', 'id,name,type,owner\ns1,S1 renamed,server,team-b\n'),
      relationships: file('b.csv', 'source,target,type,redundancy_group\napp,s1,runs_on,g1\n'),
      source: 'B',
    });
    svc.db.prepare('UPDATE history SET prior_import_id = NULL').run();
    await ok(svc, 'undoImport', { id: b.importId! });
    expect(owners(svc.db)).toEqual({
      cis: [
        { key: 'app', source: 'A', import_id: a.importId, created_import_id: a.importId },
        { key: 's1', source: 'A', import_id: a2.importId, created_import_id: a.importId },
        { key: 's2', source: 'A', import_id: a.importId, created_import_id: a.importId },
      ],
      rels: [{ rel: 'app runs_on s1', import_id: a.importId, created_import_id: a.importId }],
    });
  });
});

describe('the refusal names every later change in plain words, and what to undo first', () => {
  it('names the newest five (what made each, the CIs by name and key), counts the rest, and lists every undo, newest first', async () => {
    const svc = freshService();
    const cis = Array.from({ length: 9 }, (_, i) => `c${i + 1},C${i + 1},server,o`).join('\n');
    const first = await ok(svc, 'importCsv', { cis: file('base.csv', `id,name,type,owner\n${cis}\n`) });
    const change = async (name: string, keys: string[], owner: string) =>
      (
        await ok(svc, 'importCsv', {
          cis: file(name, `id,name,type,owner\n${keys.map((k) => `${k},${k.toUpperCase()},server,${owner}`).join('\n')}\n`),
        })
      ).importId!;
    const i2 = await change('i2.csv', ['c1', 'c2', 'c3', 'c4', 'c5'], 'p');
    const i3 = await change('i3.csv', ['c6'], 'p');
    const i4 = await change('i4.csv', ['c7'], 'p');
    const i5 = await change('i5.csv', ['c8'], 'p');
    const merge = await ok(svc, 'mergeCis', { keep: 'c9', merge: 'c8' });
    const i6 = await change('i6.csv', ['c7'], 'q');
    const i7 = await change('i7.csv', ['c6'], 'q');
    const e = await fails(svc, 'undoImport', { id: first.importId! });
    expect(e.message).toBe(
      `Import ${first.importId} cannot be undone: 7 later changes touch the same CIs, and undoing it now would throw them away: ` +
        `import ${i7} (upsert, i7.csv) changed C6 (c6); import ${i6} (upsert, i6.csv) changed C7 (c7); ` +
        `merge #${merge.id} merged C8 (c8) into C9 (c9); import ${i5} (upsert, i5.csv) changed C8 (c8); ` +
        `import ${i4} (upsert, i4.csv) changed C7 (c7); and 2 more later changes. ` +
        `First undo import ${i7} (cmdb undo-import ${i7}), then import ${i6} (cmdb undo-import ${i6}), ` +
        `then merge #${merge.id} (cmdb undo-merge ${merge.id}), then import ${i5} (cmdb undo-import ${i5}), ` +
        `then import ${i4} (cmdb undo-import ${i4}), then import ${i3} (cmdb undo-import ${i3}), ` +
        `then import ${i2} (cmdb undo-import ${i2}); then import ${first.importId} can be undone.`,
    );
    // Undoing the newest names the one left, with the CIs it changed counted past the first three.
    for (const id of [i7, i6]) await ok(svc, 'undoImport', { id });
    await ok(svc, 'undoMerge', { id: merge.id });
    for (const id of [i5, i4, i3]) await ok(svc, 'undoImport', { id });
    expect((await fails(svc, 'undoImport', { id: first.importId! })).message).toContain(
      `: import ${i2} (upsert, i2.csv) changed 5 of the same CIs: C1 (c1), C2 (c2), C3 (c3) and 2 more. First undo import ${i2} (`,
    );
    await ok(svc, 'undoImport', { id: i2 });
    await ok(svc, 'undoImport', { id: first.importId! });
  });

  it('from the command line: the refusal on one line, each undo command with the --db of the command', () => {
    ensureCliBuilt();
    const dir = tempDir();
    const db = join(dir, 'c.db');
    writeFileSync(join(dir, 'a.csv'), 'id,name,type\nweb-01,Web 01,server\n');
    writeFileSync(join(dir, 'b.csv'), 'id,name,type,owner\nweb-01,Web 01,server,ops\n');
    expect(cmdb(['import', '--db', db, '--cis', join(dir, 'a.csv')]).code).toBe(0);
    expect(cmdb(['import', '--db', db, '--cis', join(dir, 'b.csv')]).code).toBe(0);
    const r = cmdb(['undo-import', '--db', db, '1']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      `cmdb: Import 1 cannot be undone: a later change touches the same CIs, and undoing it now would throw it away: ` +
        `import 2 (upsert, b.csv) changed Web 01 (web-01). First undo import 2 (cmdb undo-import --db ${db} 2); then import 1 can be undone.\n`,
    );
  });
});
