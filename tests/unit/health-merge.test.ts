/**
 * Merging duplicate CIs (electron/cmdb/health/merge.ts) and undoing a merge
 * (merge-undo.ts): relationships moved, duplicates and self-loops dropped,
 * empty fields filled and nothing overwritten, history on both keys, undo
 * restoring the rows exactly, refusals that say why, and the impact index
 * patched after a merge and its undo answering as a fresh one.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { analyse } from '../../electron/cmdb/impact/analysis.js';
import { CiAttrs } from '../../electron/cmdb/impact/ci-attrs.js';
import { GraphIndex } from '../../electron/cmdb/impact/graph-index.js';
import type { CmdbService } from '../../electron/cmdb/service.js';
import type { ImpactResult } from '../../shared/impact.js';
import { mergeOutcome } from '../../shared/merge-text.js';
import { fails, freshService, ok } from './helpers.js';

/** Every row of every table but history, merges and the search index's own (FTS segment layout differs after a delete and re-insert; its content is checked apart). */
function dumpData(svc: CmdbService): string {
  const tables = svc.db
    .prepare(
      `SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'ci_fts%'
       AND name NOT IN ('history', 'merges') ORDER BY name`,
    )
    .pluck()
    .all() as string[];
  const out: Record<string, string[]> = {};
  for (const t of tables) out[t] = (svc.db.prepare(`SELECT * FROM "${t}"`).raw().all() as unknown[][]).map((r) => JSON.stringify(r)).sort();
  return JSON.stringify(out);
}

/** The search index agrees with the CIs table, and finds `query` as `expectKeys`. */
async function checkSearch(svc: CmdbService, query: string, expectKeys: string[]): Promise<void> {
  svc.db.prepare("INSERT INTO ci_fts(ci_fts, rank) VALUES ('integrity-check', 1)").run();
  const found = await ok(svc, 'listCis', { query, limit: 50 });
  expect(found.items.map((c) => c.key).sort()).toEqual([...expectKeys].sort());
}

/**
 * Duplicates web-01 (kept) and WEB 01 (merged), of one type:
 * app runs_on WEB 01 (moves), WEB 01 depends_on db (duplicate of web-01's: dropped),
 * WEB 01 connects_to web-01 (a self-loop once merged: dropped), lb depends_on WEB 01 in a group (moves, group kept).
 */
async function duplicates(svc: CmdbService): Promise<void> {
  const ci = (key: string, type: string, fields: Record<string, unknown> = {}) =>
    ok(svc, 'createCi', { key, fields: { type, name: key, ...fields } });
  await ci('web-01', 'server', { owner: 'ops', attributes: { ip_address: '10.0.0.1', rack: '' } });
  await ci('WEB 01', 'server', {
    owner: 'someone-else',
    criticality: 'high',
    environment: 'production',
    description: 'web server',
    attributes: { ip_address: '10.0.0.9', serial_number: 'SN-1', rack: 'R4' },
  });
  await ci('app', 'application', { criticality: 'critical' });
  await ci('db', 'database');
  await ci('lb', 'load_balancer');
  await ci('other-db', 'database');
  const rel = (source: string, type: string, target: string, extra: Record<string, unknown> = {}) =>
    ok(svc, 'createRelationship', { source, target, type, ...extra });
  await rel('app', 'runs_on', 'WEB 01');
  await rel('WEB 01', 'depends_on', 'db');
  await rel('web-01', 'depends_on', 'db');
  await rel('WEB 01', 'connects_to', 'web-01');
  await rel('lb', 'depends_on', 'WEB 01', { redundancyGroup: 'pool', minUp: 1 });
  await rel('lb', 'depends_on', 'other-db');
}

const relsOf = (svc: CmdbService, key: string) =>
  svc.db
    .prepare(
      `SELECT s.key || ' ' || r.type || ' ' || t.key || coalesce(' [' || r.redundancy_group || ']', '') FROM relationships r
       JOIN cis s ON s.id = r.source_id JOIN cis t ON t.id = r.target_id WHERE s.key = ? OR t.key = ? ORDER BY 1`,
    )
    .pluck()
    .all(key, key) as string[];

describe('mergeCis', () => {
  it('moves relationships, drops duplicates and self-loops, fills what the kept CI lacks and deletes the duplicate', async () => {
    const svc = freshService();
    await duplicates(svc);
    const rec = await ok(svc, 'mergeCis', { keep: 'web-01', merge: 'WEB 01' });
    expect(rec).toMatchObject({ keptKey: 'web-01', mergedKey: 'WEB 01', mergedName: 'WEB 01', moved: 2, dropped: 2, undoneAt: null });
    expect(relsOf(svc, 'web-01')).toEqual(['app runs_on web-01', 'lb depends_on web-01 [pool]', 'web-01 depends_on db']);
    expect(svc.db.prepare("SELECT count(*) FROM cis WHERE key = 'WEB 01'").pluck().get()).toBe(0);
    const kept = (await ok(svc, 'getCi', { key: 'web-01' })).ci;
    // Filled: empty fields and missing (or empty) attributes; never overwritten: owner and ip_address.
    expect(kept).toMatchObject({ owner: 'ops', criticality: 'high', environment: 'production', description: 'web server' });
    expect(kept.attributes).toEqual({ ip_address: '10.0.0.1', rack: 'R4', serial_number: 'SN-1' });
    expect([...rec.filled].sort()).toEqual(['attributes.rack', 'attributes.serial_number', 'criticality', 'description', 'environment']);
    await checkSearch(svc, 'WEB', ['web-01']);
    expect((await ok(svc, 'listMerges', { limit: 10 })).items).toEqual([rec]);
  });

  it('a retired duplicate does not retire the kept CI (its status is not filled); another status is', async () => {
    const svc = freshService();
    await ok(svc, 'createCi', { key: 'srv-a', fields: { type: 'server', name: 'srv a' } });
    await ok(svc, 'createCi', { key: 'srv-b', fields: { type: 'server', name: 'SRV-A', status: 'retired', owner: 'ops' } });
    const rec = await ok(svc, 'mergeCis', { keep: 'srv-a', merge: 'srv-b' });
    expect(rec.filled).toEqual(['owner']);
    expect((await ok(svc, 'getCi', { key: 'srv-a' })).ci).toMatchObject({ status: null, owner: 'ops' });
    await ok(svc, 'createCi', { key: 'srv-c', fields: { type: 'server', name: 'srv c' } });
    await ok(svc, 'createCi', { key: 'srv-d', fields: { type: 'server', name: 'SRV C', status: 'maintenance' } });
    expect((await ok(svc, 'mergeCis', { keep: 'srv-c', merge: 'srv-d' })).filled).toEqual(['status']);
  });

  it('records the merge in history on both keys, with the moves and drops', async () => {
    const svc = freshService();
    await duplicates(svc);
    const rec = await ok(svc, 'mergeCis', { keep: 'web-01', merge: 'WEB 01' });
    const kept = await ok(svc, 'getCi', { key: 'web-01' });
    const summaries = kept.history.map((h) => h.summary);
    const merge = kept.history.find((h) => h.summary.startsWith('Merged WEB 01 (WEB 01) into this CI'))!;
    expect(merge.summary).toContain('2 relationships moved, 2 dropped');
    expect(merge.changes).toMatchObject({ criticality: { from: null, to: 'high' }, environment: { from: null, to: 'production' } });
    expect(merge.changes).not.toHaveProperty('owner');
    expect(summaries).toContain('app runs_on web-01: moved from WEB 01 by a merge (was app runs_on WEB 01)');
    expect((await ok(svc, 'getCi', { key: 'db' })).history.map((h) => h.summary)).toContain(
      'WEB 01 depends_on db: dropped by merging WEB 01 into web-01 (web-01 has the same relationship)',
    );
    expect(summaries).toContain('WEB 01 connects_to web-01: dropped by merging WEB 01 into web-01 (it would join web-01 to itself)');
    await ok(svc, 'undoMerge', { id: rec.id });
    const merged = (await ok(svc, 'getCi', { key: 'WEB 01' })).history.map((h) => h.summary);
    expect(merged).toContain('Merged into web-01 (web-01) and deleted; undo the merge to bring it back');
    expect(merged).toContain(`Restored by undoing its merge into web-01 (merge #${rec.id})`);
    expect(merged).toContain(`app runs_on WEB 01: restored by undoing merge #${rec.id}`);
    expect((await ok(svc, 'getCi', { key: 'app' })).history.map((h) => h.summary)).toContain(
      `app runs_on web-01: moved back to WEB 01 by undoing merge #${rec.id}`,
    );
    expect((await ok(svc, 'getCi', { key: 'web-01' })).history[0]!.summary).toBe(
      `Undid the merge of WEB 01 into this CI (merge #${rec.id})`,
    );
  });

  it('says when a dropped duplicate differed in redundancy from the kept relationship, which stays as it was', async () => {
    const svc = freshService();
    const ci = (key: string, type: string) => ok(svc, 'createCi', { key, fields: { type, name: key } });
    await ci('app', 'application');
    await ci('APP', 'application');
    await ci('db-a', 'database');
    await ci('db-b', 'database');
    await ci('queue', 'queue');
    const rel = (source: string, target: string, extra: Record<string, unknown> = {}) =>
      ok(svc, 'createRelationship', { source, target, type: 'depends_on', ...extra });
    // The kept CI depends on db-a in a redundant pair; its duplicate, from another source, hard. The queue: the same on both.
    await rel('app', 'db-a', { redundancyGroup: 'db-pair', minUp: 1 });
    await rel('app', 'db-b', { redundancyGroup: 'db-pair', minUp: 1 });
    await rel('APP', 'db-a');
    await rel('app', 'queue');
    await rel('APP', 'queue');
    const rec = await ok(svc, 'mergeCis', { keep: 'app', merge: 'APP' });
    expect(rec).toMatchObject({
      moved: 0,
      dropped: 2,
      differing: 1,
      differingRels: [{ source: 'APP', type: 'depends_on', target: 'db-a' }],
    });
    // It names the dropped relationship and the CI whose history holds its entry: db-a's, not the kept CI's (never one of its ends).
    expect(mergeOutcome(rec)).toBe(
      "0 relationships moved, 2 dropped (1 of them in another redundancy group or min_up than the kept CI's same relationship, which stays: check APP depends_on db-a in db-a's history); nothing to fill",
    );
    expect((await ok(svc, 'getCi', { key: 'app' })).history.map((h) => h.summary).join('\n')).not.toContain('APP depends_on db-a:');
    expect(relsOf(svc, 'app')).toEqual(['app depends_on db-a [db-pair]', 'app depends_on db-b [db-pair]', 'app depends_on queue']);
    const history = (await ok(svc, 'getCi', { key: 'db-a' })).history.map((h) => h.summary);
    expect(history).toContain(
      'APP depends_on db-a: dropped by merging APP into app (app has the same relationship, in redundancy group "db-pair" with min_up 1, where this one was in no redundancy group: app\'s is kept; check which is right)',
    );
    expect((await ok(svc, 'getCi', { key: 'queue' })).history.map((h) => h.summary)).toContain(
      'APP depends_on queue: dropped by merging APP into app (app has the same relationship)',
    );
    // The record reads the same from the merges list, and undo brings the duplicate's hard dependency back.
    expect((await ok(svc, 'listMerges', {})).items[0]).toMatchObject({
      id: rec.id,
      dropped: 2,
      differing: 1,
      differingRels: [{ source: 'APP', type: 'depends_on', target: 'db-a' }],
    });
    // The kept CI's own entry says the same.
    expect((await ok(svc, 'getCi', { key: 'app' })).history.find((h) => h.summary.startsWith('Merged APP'))?.summary).toContain(
      "check APP depends_on db-a in db-a's history",
    );
    await ok(svc, 'undoMerge', { id: rec.id });
    expect(relsOf(svc, 'APP')).toEqual(['APP depends_on db-a', 'APP depends_on queue']);
  });

  it('undo restores every row exactly (ids, keys, timestamps), and is refused a second time', async () => {
    const svc = freshService();
    await duplicates(svc);
    const before = dumpData(svc);
    const rec = await ok(svc, 'mergeCis', { keep: 'web-01', merge: 'WEB 01' });
    expect(dumpData(svc)).not.toBe(before);
    const undone = await ok(svc, 'undoMerge', { id: rec.id });
    expect(undone.undoneAt).not.toBeNull();
    expect(dumpData(svc)).toBe(before);
    await checkSearch(svc, 'WEB', ['web-01', 'WEB 01']);
    const again = await fails(svc, 'undoMerge', { id: rec.id });
    expect(again.code).toBe('CONFLICT');
    expect(again.message).toMatch(/^Merge #\d+ \(WEB 01 into web-01\) cannot be undone: it was undone already, at /);
    expect((await fails(svc, 'undoMerge', { id: 999 })).code).toBe('NOT_FOUND');
  });

  it('renames the merged key in saved changes and saved views, so they still open; undo puts back those unchanged since', async () => {
    const svc = freshService();
    await duplicates(svc);
    await ok(svc, 'saveChange', { ref: 'CHG-1', title: 'Patch the web server', keys: ['WEB 01', 'db'] });
    await ok(svc, 'saveChange', { ref: 'CHG-2', title: 'Both web servers', keys: ['web-01', 'WEB 01'] });
    await ok(svc, 'saveChange', { ref: 'CHG-3', title: 'Only the database', keys: ['db'] });
    const spec = (center: string) => ({ center, direction: 'both' as const, depth: 2 });
    await ok(svc, 'saveView', { name: 'web', note: null, spec: spec('WEB 01'), replace: false });
    await ok(svc, 'saveView', { name: 'web again', note: null, spec: spec('WEB 01'), replace: false });
    await ok(svc, 'saveView', { name: 'db', note: null, spec: spec('db'), replace: false });
    const before = dumpData(svc);
    const rec = await ok(svc, 'mergeCis', { keep: 'web-01', merge: 'WEB 01' });
    expect(rec.renamed).toEqual({ changes: 2, views: 2 });
    expect(mergeOutcome(rec)).toBe(
      '2 relationships moved, 2 dropped; filled environment, criticality, description, serial_number, rack; 2 saved changes and 2 saved views now name the CI kept',
    );
    // The saved changes open (re-evaluated now) and name the kept CI, each once.
    const chg1 = await ok(svc, 'getChange', { ref: 'CHG-1' });
    expect(chg1.change.keys).toEqual(['web-01', 'db']);
    expect((await ok(svc, 'getChange', { ref: 'CHG-2' })).change.keys).toEqual(['web-01']);
    const views = (await ok(svc, 'listViews', {})).views;
    expect(Object.fromEntries(views.map((v) => [v.name, v.spec.center]))).toEqual({ web: 'web-01', 'web again': 'web-01', db: 'db' });
    await ok(svc, 'neighbourhood', { key: views.find((v) => v.name === 'web')!.spec.center, depth: 2, direction: 'both', maxNodes: 100 });
    // A view saved again after the merge keeps what it was saved as; the others go back.
    await ok(svc, 'saveView', { name: 'web again', note: 'moved on', spec: spec('web-01'), replace: true });
    await ok(svc, 'undoMerge', { id: rec.id });
    const after = (await ok(svc, 'listViews', {})).views;
    expect(Object.fromEntries(after.map((v) => [v.name, v.spec.center]))).toEqual({ web: 'WEB 01', 'web again': 'web-01', db: 'db' });
    expect((await ok(svc, 'getChange', { ref: 'CHG-2' })).change.keys).toEqual(['web-01', 'WEB 01']);
    await ok(svc, 'saveView', { name: 'web again', note: null, spec: spec('WEB 01'), replace: true });
    expect(JSON.parse(dumpData(svc)).changes).toEqual(JSON.parse(before).changes);
  });

  it('refuses the same CI, unknown keys and CIs of different types, changing nothing', async () => {
    const svc = freshService();
    await duplicates(svc);
    const before = dumpData(svc);
    const same = await fails(svc, 'mergeCis', { keep: 'db', merge: 'db' });
    expect(same).toMatchObject({ code: 'INVALID_REQUEST', message: 'Choose two different CIs: "db" cannot be merged into itself.' });
    const unknown = await fails(svc, 'mergeCis', { keep: 'web-01', merge: 'nope' });
    expect(unknown.code).toBe('NOT_FOUND');
    expect(unknown.message).toContain('"nope"');
    expect((await fails(svc, 'mergeCis', { keep: 'ghost', merge: 'web-01' })).message).toContain('"ghost"');
    const types = await fails(svc, 'mergeCis', { keep: 'db', merge: 'app' });
    expect(types.code).toBe('CONFLICT');
    expect(types.message).toContain('"app" is of type application and "db" of type database: only CIs of the same type are merged');
    expect(dumpData(svc)).toBe(before);
    expect((await ok(svc, 'listMerges', { limit: 10 })).items).toEqual([]);
  });

  it('refuses to move a relationship into a redundancy group it does not fit (two groups of one label, each min_up its own)', async () => {
    const svc = freshService();
    await ok(svc, 'importCsv', {
      cis: { name: 'c.csv', content: 'id,name,type\nk,K,application\nd,D,application\ns1,S1,server\ns2,S2,server\ns3,S3,server\n' },
      relationships: {
        name: 'r.csv',
        content: 'source,target,type,redundancy_group,min_up\nk,s1,runs_on,pool,1\nk,s2,runs_on,pool,1\nd,s3,runs_on,pool,2\n',
      },
    });
    const before = dumpData(svc);
    const e = await fails(svc, 'mergeCis', { keep: 'k', merge: 'd' });
    expect(e.code).toBe('CONFLICT');
    expect(e.message).toBe(
      'Merging d into k would move d runs_on s3 into a group it does not fit: Redundancy group "pool" of k has min_up 1, and this one gives 2. Rename one of the two groups first (edit the relationship on its CI\'s page, or import it again with another redundancy_group), then merge.',
    );
    expect(dumpData(svc)).toBe(before);
    // With the same min_up, the two groups become one.
    svc.db.prepare("UPDATE relationships SET min_up = 1 WHERE redundancy_group = 'pool'").run();
    await ok(svc, 'mergeCis', { keep: 'k', merge: 'd' });
    expect(svc.db.prepare("SELECT count(*) FROM relationships WHERE redundancy_group = 'pool'").pluck().get()).toBe(3);
  });

  it('fills attributes named like Object members (constructor, toString), and undo empties them', async () => {
    const svc = freshService();
    await ok(svc, 'createCi', { key: 'k', fields: { type: 'server', name: 'k', attributes: { rack: 'R1' } } });
    await ok(svc, 'createCi', { key: 'm', fields: { type: 'server', name: 'm', attributes: { constructor: 'Dell', toString: 'x' } } });
    const rec = await ok(svc, 'mergeCis', { keep: 'k', merge: 'm' });
    expect(rec.filled).toEqual(['attributes.constructor', 'attributes.toString']);
    expect((await ok(svc, 'getCi', { key: 'k' })).ci.attributes).toEqual({ rack: 'R1', constructor: 'Dell', toString: 'x' });
    await ok(svc, 'updateCi', { key: 'k', fields: { owner: 'ops' } }); // edited since: undo goes field by field
    await ok(svc, 'undoMerge', { id: rec.id });
    expect((await ok(svc, 'getCi', { key: 'k' })).ci.attributes).toEqual({ rack: 'R1' });
  });

  it('undo keeps a later edit of a filled field and empties the rest', async () => {
    const svc = freshService();
    await duplicates(svc);
    const rec = await ok(svc, 'mergeCis', { keep: 'web-01', merge: 'WEB 01' });
    await ok(svc, 'updateCi', { key: 'web-01', fields: { criticality: 'low' } });
    await ok(svc, 'undoMerge', { id: rec.id });
    const kept = (await ok(svc, 'getCi', { key: 'web-01' })).ci;
    expect(kept).toMatchObject({ owner: 'ops', criticality: 'low', environment: null, description: null });
    expect(kept.attributes).toEqual({ ip_address: '10.0.0.1', rack: '' });
    expect(relsOf(svc, 'WEB 01')).toEqual([
      'WEB 01 connects_to web-01',
      'WEB 01 depends_on db',
      'app runs_on WEB 01',
      'lb depends_on WEB 01 [pool]',
    ]);
  });

  it('undo moves a relationship back with what was set on it since (a group, min_up, an attribute), not as it was before the merge', async () => {
    const svc = freshService();
    await ok(svc, 'importCsv', {
      cis: { name: 'c.csv', content: 'id,name,type,owner\na,Web 01,server,\nb,WEB-01,server,team-x\ncache,Cache,cache,t\n' },
      relationships: { name: 'r.csv', content: 'source,target,type\nb,cache,depends_on\n' },
    });
    const rec = await ok(svc, 'mergeCis', { keep: 'a', merge: 'b' });
    await ok(svc, 'importCsv', {
      relationships: {
        name: 'r2.csv',
        content: 'source,target,type,redundancy_group,min_up,protocol\na,cache,depends_on,caches,1,redis-tls\n',
      },
    });
    await ok(svc, 'undoMerge', { id: rec.id });
    const [rel] = (await ok(svc, 'getCi', { key: 'b' })).outgoing;
    expect(rel).toMatchObject({
      target: 'cache',
      type: 'depends_on',
      redundancyGroup: 'caches',
      minUp: 1,
      attributes: { protocol: 'redis-tls' },
    });
    expect(relsOf(svc, 'a')).toEqual([]);
  });

  it('a redundant pair sharing an address: the finding says not to merge two things, and a merge says the group lost a member', async () => {
    const svc = freshService();
    const file = (name: string, content: string) => ({ name, content });
    await ok(svc, 'importCsv', {
      cis: file(
        'v.csv',
        'id,name,type,owner,ip_address\napp,App,application,t,\nlb1,LB A,load_balancer,t,10.0.0.100\nlb2,LB B,load_balancer,t,10.0.0.100\n',
      ),
      relationships: file('r.csv', 'source,target,type,redundancy_group,min_up\napp,lb1,depends_on,lbs,1\napp,lb2,depends_on,lbs,1\n'),
    });
    const [finding] = (await ok(svc, 'health', { rule: 'duplicate', limit: 10 })).findings;
    expect(finding!.message).toContain('They are members of one redundancy group ("lbs" of app)');
    expect(finding!.message).toContain(
      'if they are two (a redundant pair sharing an address), do not merge them (the group would lose a member)',
    );
    const rec = await ok(svc, 'mergeCis', { keep: 'lb1', merge: 'lb2' });
    expect(rec.shrunkGroups).toEqual([{ ci: 'app', label: 'lbs', members: 1, minUp: 1 }]);
    expect(mergeOutcome(rec)).toContain(
      `app's redundancy group "lbs" has one member fewer (both CIs were in it): if they were two things, undo the merge`,
    );
    const listed = (await ok(svc, 'listMerges', {})).items[0]!;
    expect(listed.shrunkGroups).toEqual([{ ci: 'app', label: 'lbs', members: 1, minUp: 1 }]);
    expect(mergeOutcome(rec)).not.toContain('cannot be satisfied');
    // With min_up 2, the merge leaves the group one member short of it, and says so.
    await ok(svc, 'undoMerge', { id: rec.id });
    svc.db.prepare("UPDATE relationships SET min_up = 2 WHERE redundancy_group = 'lbs'").run();
    const short = await ok(svc, 'mergeCis', { keep: 'lb1', merge: 'lb2' });
    expect(mergeOutcome(short)).toContain(
      '"lbs" of app now has 1 member and needs 2, so it cannot be satisfied: if they were two things, undo the merge',
    );
    // The list says what each merge did, not what its group is today: an edit since does not change it, and an
    // undone merge put the member back.
    svc.db.prepare("UPDATE relationships SET min_up = 1 WHERE redundancy_group = 'lbs'").run();
    const [shortListed, undoneListed] = (await ok(svc, 'listMerges', {})).items;
    expect(shortListed!.shrunkGroups).toEqual([{ ci: 'app', label: 'lbs', members: 1, minUp: 2 }]);
    expect(undoneListed!.shrunkGroups).toEqual([]);
    // A page of older merges (Health's Show 20 older), from an offset.
    expect((await ok(svc, 'listMerges', { limit: 1, offset: 1 })).items).toEqual([undoneListed]);
    expect((await ok(svc, 'listMerges', { limit: 1, offset: 2 })).items).toEqual([]);
    await ok(svc, 'undoMerge', { id: short.id });
    expect((await ok(svc, 'listMerges', {})).items[0]!.shrunkGroups).toEqual([]);
    // The group's count reads the index on its dependent's end, not the whole relationships index.
    const counts: string[] = [];
    const prepare = svc.db.prepare.bind(svc.db);
    svc.db.prepare = ((sql: string) => {
      if (sql.includes('AS members')) counts.push(sql);
      return prepare(sql);
    }) as typeof svc.db.prepare;
    const again = await ok(svc, 'mergeCis', { keep: 'lb1', merge: 'lb2' });
    svc.db.prepare = prepare;
    expect(counts.length).toBeGreaterThan(0);
    for (const sql of counts) {
      const plan = prepare(`EXPLAIN QUERY PLAN ${sql}`).all({ dependent: 1, type: 'depends_on', label: 'lbs' }) as Array<{
        detail: string;
      }>;
      expect(plan.map((p) => p.detail).join()).toMatch(/^SEARCH relationships USING (COVERING )?INDEX/);
    }
    await ok(svc, 'undoMerge', { id: again.id });
    // Duplicates that are not members of one group keep the plain advice.
    svc.db.prepare('UPDATE relationships SET redundancy_group = NULL, min_up = NULL').run();
    const [plain] = (await ok(svc, 'health', { rule: 'duplicate', limit: 10 })).findings;
    expect(plain!.message).toContain('Merge them on the Health screen');
  });

  it("a merge of two dependents with the same group names no group as shrunk: the group is the kept CI's, whole", async () => {
    const svc = freshService();
    const file = (name: string, content: string) => ({ name, content });
    await ok(svc, 'importCsv', {
      cis: file('c.csv', 'id,name,type\napp1,App,application\napp2,APP,application\ndb1,DB1,database\ndb2,DB2,database\n'),
      relationships: file(
        'r.csv',
        'source,target,type,redundancy_group\napp1,db1,depends_on,pool\napp1,db2,depends_on,pool\napp2,db1,depends_on,pool\napp2,db2,depends_on,pool\n',
      ),
    });
    const rec = await ok(svc, 'mergeCis', { keep: 'app1', merge: 'app2' });
    expect(rec.dropped).toBe(2);
    expect(rec.shrunkGroups).toEqual([]);
    expect(mergeOutcome(rec)).not.toContain('one member fewer');
  });

  it("a merge listed after its group's CI was deleted says what the merge did, not that an empty group cannot be satisfied", async () => {
    const svc = freshService();
    const file = (name: string, content: string) => ({ name, content });
    await ok(svc, 'importCsv', {
      cis: file('v.csv', 'id,name,type\napp,App,application\nlb1,LB A,load_balancer\nlb2,LB B,load_balancer\n'),
      relationships: file('r.csv', 'source,target,type,redundancy_group,min_up\napp,lb1,depends_on,lbs,1\napp,lb2,depends_on,lbs,1\n'),
    });
    await ok(svc, 'mergeCis', { keep: 'lb1', merge: 'lb2' });
    await ok(svc, 'deleteCi', { key: 'app' });
    const listed = (await ok(svc, 'listMerges', { limit: 10 })).items[0]!;
    expect(listed.shrunkGroups).toEqual([{ ci: 'app', label: 'lbs', members: 1, minUp: 1 }]);
    expect(mergeOutcome(listed)).not.toContain('cannot be satisfied');
  });

  it("undo of a merge keeps the moved relationship's creating import, so that import can still be undone whole", async () => {
    const svc = freshService();
    const file = (name: string, content: string) => ({ name, content });
    await ok(svc, 'importCsv', { cis: file('c.csv', 'id,name,type\na,Web 01,server\nb,WEB-01,server\nc,Cache,cache\n') });
    const rels = await ok(svc, 'importCsv', { relationships: file('r.csv', 'source,target,type\nb,c,depends_on\n') });
    const rec = await ok(svc, 'mergeCis', { keep: 'a', merge: 'b' });
    const [moved] = (await ok(svc, 'getCi', { key: 'a' })).outgoing;
    svc.db.prepare('UPDATE relationships SET attributes = \'{"port":"6379"}\' WHERE id = ?').run(moved!.id);
    await ok(svc, 'undoMerge', { id: rec.id });
    expect(svc.db.prepare("SELECT created_import_id FROM relationships WHERE type = 'depends_on'").pluck().get()).toBe(rels.importId);
    await ok(svc, 'undoImport', { id: rels.importId! });
    expect(svc.db.prepare('SELECT count(*) FROM relationships').pluck().get()).toBe(0);
  });

  it("replaces an owner or criticality that says nothing (health's missing-owner and missing-criticality), never takes one, and undo puts it back", async () => {
    const svc = freshService();
    // A criticality off the scale ("-", "n/a") comes from an import, which keeps it as given; an edit by hand refuses it.
    const ci = async (key: string, { criticality, ...fields }: Record<string, unknown>) => {
      await ok(svc, 'createCi', { key, fields: { type: 'server', name: key, ...fields } });
      if (typeof criticality === 'string') svc.db.prepare('UPDATE cis SET criticality = ? WHERE key = ?').run(criticality, key);
    };
    await ci('kept', { owner: 'N/A', criticality: '-', environment: 'production', description: 'kept one' });
    await ci('dup', { owner: 'team-web', criticality: 'high', environment: 'test', description: 'dup one' });
    const health = async () =>
      (await ok(svc, 'health', { limit: 1000 })).findings.filter((f) => f.keys.includes('kept')).map((f) => f.rule);
    expect(await health()).toEqual(expect.arrayContaining(['missing-owner', 'missing-criticality']));
    const before = dumpData(svc);
    const rec = await ok(svc, 'mergeCis', { keep: 'kept', merge: 'dup' });
    expect(rec.filled).toEqual(['owner', 'criticality']);
    // A value the kept CI has is never overwritten: the environment and description stay.
    expect((await ok(svc, 'getCi', { key: 'kept' })).ci).toMatchObject({
      owner: 'team-web',
      criticality: 'high',
      environment: 'production',
      description: 'kept one',
    });
    expect(await health()).not.toEqual(expect.arrayContaining(['missing-owner']));
    await ok(svc, 'undoMerge', { id: rec.id });
    expect(dumpData(svc)).toBe(before);

    // A duplicate's placeholder is not taken, even where the kept CI has nothing.
    await ci('empty', {});
    await ci('tbd', { owner: ' tbd ', criticality: 'n/a' });
    const r2 = await ok(svc, 'mergeCis', { keep: 'empty', merge: 'tbd' });
    expect(r2.filled).toEqual([]);
    expect((await ok(svc, 'getCi', { key: 'empty' })).ci).toMatchObject({ owner: null, criticality: null });
  });

  it('undo refuses while a later merge left a real owner because this one had replaced a placeholder, not for a placeholder it left', async () => {
    const svc = freshService();
    const ci = (key: string, fields: Record<string, unknown> = {}) =>
      ok(svc, 'createCi', { key, fields: { type: 'server', name: key, ...fields } });
    await ci('b', { owner: 'unknown' });
    await ci('a', { owner: 'ops' });
    await ci('c', { owner: '?' });
    await ci('d', { owner: 'qa' });
    const m1 = await ok(svc, 'mergeCis', { keep: 'b', merge: 'a' }); // replaces "unknown" with ops
    const m2 = await ok(svc, 'mergeCis', { keep: 'b', merge: 'c' }); // "?" would never be taken: m1 can be undone
    expect(m2.filled).toEqual([]);
    const m3 = await ok(svc, 'mergeCis', { keep: 'b', merge: 'd' }); // qa left because of m1
    expect((await fails(svc, 'undoMerge', { id: m1.id })).message).toContain(`d's owner was not taken because this merge had filled it`);
    await ok(svc, 'undoMerge', { id: m3.id });
    await ok(svc, 'undoMerge', { id: m1.id });
    expect((await ok(svc, 'getCi', { key: 'b' })).ci.owner).toBe('unknown');
  });

  it('refuses to undo a merge a later merge into the same CI leaned on (a duplicate it dropped, a field it left), until that one is undone', async () => {
    const svc = freshService();
    const ci = (key: string, fields: Record<string, unknown> = {}) =>
      ok(svc, 'createCi', { key, fields: { type: 'server', name: key, ...fields } });
    await ci('b');
    await ci('a', { owner: 'ops' });
    await ci('c', { owner: 'dev' });
    await ci('d', { owner: 'qa' });
    await ok(svc, 'createCi', { key: 'app', fields: { type: 'application', name: 'app' } });
    await ok(svc, 'createRelationship', { source: 'app', target: 'a', type: 'runs_on' });
    await ok(svc, 'createRelationship', { source: 'app', target: 'c', type: 'runs_on' });
    const before = dumpData(svc);
    const m1 = await ok(svc, 'mergeCis', { keep: 'b', merge: 'a' }); // moves app runs_on a to b, fills owner
    const m2 = await ok(svc, 'mergeCis', { keep: 'b', merge: 'c' }); // drops app runs_on c (b has it), leaves c's owner
    expect([m2.dropped, m2.filled]).toEqual([1, []]);
    // Undone first, m1 would delete app runs_on b and empty b's owner: c's relationship and owner would be lost while m2 stands.
    expect((await fails(svc, 'undoMerge', { id: m1.id })).message).toBe(
      `Merge #${m1.id} (a into b) cannot be undone: merge #${m2.id} (c into b) came after it and dropped app runs_on c as the same as app runs_on b, which this merge moved there. Undo merge #${m2.id} first.`,
    );
    await ok(svc, 'undoMerge', { id: m2.id });
    const m3 = await ok(svc, 'mergeCis', { keep: 'b', merge: 'd' }); // no relationship; d's owner left
    expect((await fails(svc, 'undoMerge', { id: m1.id })).message).toContain(
      `merge #${m3.id} (d into b) came after it, and d's owner was not taken because this merge had filled it. Undo merge #${m3.id} first.`,
    );
    await ok(svc, 'undoMerge', { id: m3.id });
    await ok(svc, 'undoMerge', { id: m1.id });
    expect(dumpData(svc)).toBe(before);
  });

  it('refuses an undo the CMDB has moved past: key reused, kept CI merged away or deleted, a moved relationship gone', async () => {
    const svc = freshService();
    await duplicates(svc);
    const first = await ok(svc, 'mergeCis', { keep: 'web-01', merge: 'WEB 01' });
    await ok(svc, 'createCi', { key: 'WEB 01', fields: { type: 'server', name: 'again' } });
    expect((await fails(svc, 'undoMerge', { id: first.id })).message).toContain('a CI with key "WEB 01" was created since');
    await ok(svc, 'deleteCi', { key: 'WEB 01' });

    await ok(svc, 'createCi', { key: 'web-02', fields: { type: 'server', name: 'web-02' } });
    const second = await ok(svc, 'mergeCis', { keep: 'web-02', merge: 'web-01' });
    expect((await fails(svc, 'undoMerge', { id: first.id })).message).toContain(
      `web-01 was merged into web-02 since (merge #${second.id}). Undo that merge first.`,
    );
    await ok(svc, 'undoMerge', { id: second.id });

    const rel = (await ok(svc, 'getCi', { key: 'app' })).outgoing.find((r) => r.type === 'runs_on')!;
    await ok(svc, 'deleteRelationship', { id: rel.id });
    expect((await fails(svc, 'undoMerge', { id: first.id })).message).toContain(
      'the relationship app runs_on WEB 01, moved to web-01 by the merge, has been deleted or moved since',
    );
    await ok(svc, 'deleteCi', { key: 'web-01' });
    expect((await fails(svc, 'undoMerge', { id: first.id })).message).toContain('web-01, the CI kept, has been deleted since');
  });
});

describe('merges and imports', () => {
  const file = (name: string, content: string) => ({ name, content });

  it('a merged key names where it went: lookups, a relationships file still listing it, a CIs file creating it again', async () => {
    const svc = freshService();
    await ok(svc, 'importCsv', {
      cis: file('c.csv', 'id,name,type\nweb-1,Web 1,server\nweb-1b,WEB-1,server\nweb-1c,WEB 1,server\napp-1,App 1,application\n'),
    });
    const first = await ok(svc, 'mergeCis', { keep: 'web-1b', merge: 'web-1c' });
    const second = await ok(svc, 'mergeCis', { keep: 'web-1', merge: 'web-1b' });
    // A chain (web-1c into web-1b, web-1b into web-1) ends at the CI that exists, each merge named with its number.
    const hint =
      `it was merged into web-1b (merge #${first.id}), then web-1b into web-1 (merge #${second.id}); ` +
      `use web-1, or undo merges #${second.id} then #${first.id} to bring it back`;
    expect((await fails(svc, 'getCi', { key: 'web-1b' })).message).toBe(
      `No CI with key "web-1b": it was merged into web-1 (merge #${second.id}); use web-1, or undo the merge to bring it back.`,
    );
    expect((await fails(svc, 'getCi', { key: 'web-1c' })).message).toBe(`No CI with key "web-1c": ${hint}.`);
    const resolved = await fails(svc, 'resolveCis', { refs: ['web-1c'] });
    expect(resolved.message).toBe(`No CI has the key or name "web-1c": ${hint}.`);
    expect(resolved.details).toMatchObject({ problems: [{ ref: 'web-1c', mergedInto: { key: 'web-1', mergeId: first.id } }] });
    expect((await fails(svc, 'getCi', { key: 'nope' })).message).toBe('No CI with key "nope". Search for it by name to find its key.');
    const rels = await fails(svc, 'importCsv', { relationships: file('r.csv', 'source,target,type\napp-1,web-1c,runs_on\n') });
    expect(rels.message).toContain(`r.csv line 2, column target: unknown target CI "web-1c": ${hint}.`);
    const again = await ok(svc, 'importCsv', { cis: file('c.csv', 'id,name,type\nweb-1c,WEB 1,server\nweb-2,Web 2,server\n') });
    expect(again.counts.created).toBe(2);
    expect(again.warnings).toEqual([
      `web-1c was merged into web-1b (merge #${first.id}), then web-1b into web-1 (merge #${second.id}) and this import created it again: the file still lists it. ` +
        'Merge it into web-1 again, and correct the source so it lists web-1 only.',
    ]);
  });

  it('a chain follows merges in time: a kept CI merged away before the key was merged into it is not a hop', async () => {
    const svc = freshService();
    const file = (name: string, content: string) => ({ name, content });
    await ok(svc, 'importCsv', { cis: file('c.csv', 'id,name,type\nb,Web 1,server\nc,WEB-1,server\n') });
    const first = await ok(svc, 'mergeCis', { keep: 'c', merge: 'b' });
    await ok(svc, 'importCsv', { cis: file('again.csv', 'id,name,type\nb,Web 1,server\na,WEB 1,server\n') });
    const second = await ok(svc, 'mergeCis', { keep: 'b', merge: 'a' });
    await ok(svc, 'deleteCi', { key: 'b' });
    expect((await fails(svc, 'getCi', { key: 'a' })).message).toBe(
      `No CI with key "a": it was merged into b (merge #${second.id}); use b, or undo the merge to bring it back.`,
    );
    expect(first.id).toBeLessThan(second.id);
  });

  it('a chain takes the next merge of the very CI kept: not a later one of a CI made again under its key', async () => {
    const svc = freshService();
    await ok(svc, 'importCsv', { cis: file('c.csv', 'id,name,type\na,A,server\nb,B,server\nc,C,server\nd,D,server\n') });
    const m1 = await ok(svc, 'mergeCis', { keep: 'b', merge: 'a' });
    const m2 = await ok(svc, 'mergeCis', { keep: 'c', merge: 'b' });
    // b made again: the chain goes on through it to c, where a's data is, not to the new b.
    await ok(svc, 'importCsv', { cis: file('again.csv', 'id,name,type\nb,B,server\n') });
    const toC = `No CI with key "a": it was merged into b (merge #${m1.id}), then b into c (merge #${m2.id}); use c, or undo merges #${m2.id} then #${m1.id} to bring it back.`;
    expect((await fails(svc, 'getCi', { key: 'a' })).message).toBe(toC);
    // The new b merged into d: a's data did not go there.
    await ok(svc, 'mergeCis', { keep: 'd', merge: 'b' });
    expect((await fails(svc, 'getCi', { key: 'a' })).message).toBe(toC);
    expect((await fails(svc, 'undoMerge', { id: m1.id })).message).toContain(
      `b was merged into c since (merge #${m2.id}). Undo that merge first.`,
    );
  });

  it('an import that created a merged CI is not undone (it would delete nothing and say it had)', async () => {
    const svc = freshService();
    await ok(svc, 'importCsv', {
      cis: file('c.csv', 'id,name,type\nweb-1,Web 1,server\napp-1,App 1,application\napp-2,App 2,application\n'),
    });
    const imp = await ok(svc, 'importCsv', {
      cis: file('d.csv', 'id,name,type,owner\nweb-1b,WEB-1,server,ops\n'),
      relationships: file('r.csv', 'source,target,type\napp-1,web-1b,runs_on\nweb-1b,app-2,connects_to\n'),
    });
    const rec = await ok(svc, 'mergeCis', { keep: 'web-1', merge: 'web-1b' });
    const refused = await fails(svc, 'undoImport', { id: imp.importId });
    expect(refused.code).toBe('CONFLICT');
    expect(refused.message).toContain(`: merge #${rec.id} merged WEB-1 (web-1b) into Web 1 (web-1). `);
    expect(refused.message).toMatch(
      new RegExp(`First undo merge #${rec.id} \\(cmdb undo-merge ${rec.id}\\); then import ${imp.importId} can be undone\\.$`),
    );
    // Without the check the undo went through and deleted nothing: the merged CI was gone, its relationships moved.
    expect(refused.details).toMatchObject({
      later: [expect.objectContaining({ kind: 'merge', id: rec.id, keys: expect.arrayContaining(['web-1b']) })],
    });
  });
});

// ---------------------------------------------------------------------------
// The impact index: patched after a merge and its undo, it answers as a fresh one.

type Q = { keys: string[]; direction: 'downstream' | 'upstream' };

/** What an answer says, without what depends on the order the search met CIs in (which of equal paths). */
function comparable(r: ImpactResult): unknown {
  return {
    counts: r.counts,
    risk: r.risk.level,
    impacted: r.impacted.map((i) => [i.key, i.state, i.depth]).sort(),
    services: r.businessServices.map((s) => [s.key, s.state]),
    owners: r.owners,
    singlePoints: r.singlePoints?.map((c) => c.key).sort(),
  };
}

function compareAll(svc: CmdbService): void {
  const index = GraphIndex.build(svc.db);
  const attrs = CiAttrs.build(svc.db, index);
  const fresh = (q: Q) => analyse(svc.db, index, attrs, { ...q, limit: 1_000_000 }).result;
  for (const key of svc.db.prepare('SELECT key FROM cis ORDER BY key').pluck().all() as string[]) {
    for (const direction of ['downstream', 'upstream'] as const) {
      const q = { keys: [key], direction };
      expect(comparable(svc.impacts.impact({ ...q, limit: 1_000_000 })), `${direction} of ${key}`).toEqual(comparable(fresh(q)));
    }
  }
}

const TYPES = ['depends_on', 'runs_on', 'member_of', 'uses', 'connects_to'] as const;
const N = 8;

describe('the impact index after merges', () => {
  it('is patched, not rebuilt, and answers as a fresh index after a merge and after its undo', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ s: fc.nat(N - 1), t: fc.nat(N - 1), type: fc.constantFrom(...TYPES), group: fc.constantFrom(null, 'g') }), {
          minLength: 4,
          maxLength: 20,
        }),
        fc.array(fc.constantFrom(null, 'critical', 'low'), { minLength: N, maxLength: N }),
        fc.nat(N - 1),
        fc.nat(N - 2),
        async (rels, crit, keep, other) => {
          const svc = freshService();
          for (let i = 0; i < N; i++) {
            const type = i === 0 ? 'business_service' : 'server';
            await ok(svc, 'createCi', {
              key: `c${i}`,
              fields: { type: i === keep ? 'server' : type, name: `c${i}`, criticality: crit[i] },
            });
          }
          for (const r of rels) {
            if (r.s === r.t) continue;
            await svc.call('createRelationship', { source: `c${r.s}`, target: `c${r.t}`, type: r.type, redundancyGroup: r.group }, 'cli');
          }
          const merge = other >= keep ? other + 1 : other;
          await ok(svc, 'updateCi', { key: `c${merge}`, fields: { type: 'server' } });
          compareAll(svc);
          const holder = svc.impacts.indexHolder;
          const builds = holder.builds;
          const merged = await svc.call('mergeCis', { keep: `c${keep}`, merge: `c${merge}` });
          if (!merged.ok) {
            // Refused: a moved relationship would join a group of another type (the same label 'g'); nothing changed.
            expect(merged.error.message).toMatch(/into a group it does not fit/);
            compareAll(svc);
            expect(holder.builds).toBe(builds);
            svc.close();
            return;
          }
          const rec = merged.value;
          compareAll(svc);
          await ok(svc, 'undoMerge', { id: rec.id });
          compareAll(svc);
          expect(holder.patchErrors).toEqual([]);
          expect(holder.builds).toBe(builds);
          svc.close();
        },
      ),
      { numRuns: 25 },
    );
  });
});
