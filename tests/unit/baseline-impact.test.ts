/**
 * Impact across time (issue 17): `impact` with `compare` asks the same
 * question of a baseline and says what is newly impacted, no longer
 * impacted, or in another state; a saved change does the same against any
 * baseline (getChange's `compare`), not only against when it was saved.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { impactSummary } from '../../electron/cli/impact-commands.js';
import { fails, freshService, ok, tempDir } from './helpers.js';

const file = (name: string, content: string) => ({ name, content });

// app-1 runs on web-1 and web-2 (a redundancy group of two, one enough) and depends on db-1; svc-1 depends on app-1.
const CIS = [
  'id,name,type',
  'web-1,Web 1,server',
  'web-2,Web 2,server',
  'db-1,DB 1,database',
  'app-1,App 1,application',
  'svc-1,Shop,business_service',
  'rpt-1,Reports,application',
].join('\n');
const RELS = [
  'source,target,type,redundancy_group,min_up',
  'app-1,web-1,runs_on,web,1',
  'app-1,web-2,runs_on,web,1',
  'app-1,db-1,depends_on,,',
  'svc-1,app-1,depends_on,,',
].join('\n');

async function estate() {
  const svc = freshService(join(tempDir(), 'cmdb.db'));
  await ok(svc, 'importCsv', { cis: file('cis.csv', CIS), relationships: file('rels.csv', RELS) });
  await ok(svc, 'saveBaseline', { name: 'before', note: null });
  return svc;
}

describe('impact compared with a baseline', () => {
  it('says what is newly impacted, no longer impacted and in another state', async () => {
    const svc = await estate();
    // Then: web-1 down degrades app-1 and svc-1 (web-2 is still up). Now: web-2 is gone, so app-1 and svc-1 go down;
    // rpt-1 now depends on web-1; db-1's only dependent was app-1 and it no longer depends on it.
    await ok(svc, 'deleteCi', { key: 'web-2' });
    await ok(svc, 'createRelationship', { source: 'rpt-1', target: 'web-1', type: 'runs_on' });
    const before = await ok(svc, 'impact', { keys: ['web-1'], compare: 'before' });
    expect(before.compare).toMatchObject({
      baseline: 'before',
      newlyImpacted: [{ key: 'rpt-1', state: 'down' }],
      noLongerImpacted: [],
      stateChanged: [
        { key: 'app-1', from: 'degraded', to: 'down' },
        { key: 'svc-1', from: 'degraded', to: 'down' },
      ],
      missingKeys: [],
    });
    expect(before.compare!.baselineAt).toMatch(/^\d{4}-\d\d-\d\dT/);
    const rels = svc.db
      .prepare("SELECT id FROM relationships WHERE type = 'depends_on' AND target_id = (SELECT id FROM cis WHERE key = 'db-1')")
      .pluck()
      .get() as number;
    await ok(svc, 'deleteRelationship', { id: rels });
    const db = await ok(svc, 'impact', { keys: ['db-1'], compare: 'before' });
    expect(db.compare!.noLongerImpacted).toEqual([
      { key: 'app-1', name: 'App 1', state: 'down' },
      { key: 'svc-1', name: 'Shop', state: 'down' },
    ]);
    expect(db.compare!.newlyImpacted).toEqual([]);
  });

  it('without compare the answer has none; with an unchanged CMDB the lists are empty', async () => {
    const svc = await estate();
    expect((await ok(svc, 'impact', { keys: ['web-1'] })).compare).toBeUndefined();
    const same = await ok(svc, 'impact', { keys: ['db-1'], compare: 'before' });
    expect(same.compare).toMatchObject({ newlyImpacted: [], noLongerImpacted: [], stateChanged: [], missingKeys: [] });
  });

  it('lists the asked-about CIs the baseline lacks instead of refusing', async () => {
    const svc = await estate();
    await ok(svc, 'createCi', { key: 'lb-1', fields: { name: 'LB', type: 'load_balancer' } });
    await ok(svc, 'createRelationship', { source: 'svc-1', target: 'lb-1', type: 'depends_on' });
    const r = await ok(svc, 'impact', { keys: ['lb-1'], compare: 'before' });
    expect(r.compare).toMatchObject({ missingKeys: ['lb-1'], newlyImpacted: [{ key: 'svc-1', state: 'down' }] });
  });

  it('matches CIs deleted and created again under their keys (new rows) on their keys: no difference', async () => {
    const svc = await estate();
    await ok(svc, 'deleteCi', { key: 'web-1' });
    await ok(svc, 'deleteCi', { key: 'app-1' });
    await ok(svc, 'importCsv', { cis: file('cis.csv', CIS), relationships: file('rels.csv', RELS) });
    expect(svc.db.prepare("SELECT id FROM cis WHERE key = 'web-1'").pluck().get()).not.toBe(1);
    const r = await ok(svc, 'impact', { keys: ['web-1'], compare: 'before' });
    expect(r.counts.total).toBeGreaterThan(0);
    expect(r.compare).toMatchObject({ newlyImpacted: [], noLongerImpacted: [], stateChanged: [], missingKeys: [] });
  });

  it('a row id SQLite gave again to another CI is another CI: one left the answer, the other joined it', async () => {
    const svc = await estate();
    // old-1 takes the highest row id; deleted after the baseline, its id is free again and new-1 gets it.
    await ok(svc, 'deleteBaseline', { name: 'before' });
    await ok(svc, 'createCi', { key: 'old-1', fields: { name: 'Old', type: 'application' } });
    await ok(svc, 'createRelationship', { source: 'old-1', target: 'db-1', type: 'depends_on' });
    await ok(svc, 'saveBaseline', { name: 'before', note: null });
    const oldId = svc.db.prepare("SELECT id FROM cis WHERE key = 'old-1'").pluck().get();
    await ok(svc, 'deleteCi', { key: 'old-1' });
    await ok(svc, 'createCi', { key: 'new-1', fields: { name: 'New', type: 'application' } });
    await ok(svc, 'createRelationship', { source: 'new-1', target: 'db-1', type: 'depends_on' });
    expect(svc.db.prepare("SELECT id FROM cis WHERE key = 'new-1'").pluck().get()).toBe(oldId);
    const r = await ok(svc, 'impact', { keys: ['db-1'], compare: 'before' });
    // Each named: old-1, deleted since, by the baseline.
    expect(r.compare).toMatchObject({
      newlyImpacted: [{ key: 'new-1', name: 'New', state: 'down' }],
      noLongerImpacted: [{ key: 'old-1', name: 'Old', state: 'down' }],
      stateChanged: [],
    });
    expect(impactSummary(r)).toContain('  no longer impacted (1): Old (old-1)');
  });

  it('an import undone after the baseline and another import: the ids come back as other CIs, upstream too', async () => {
    const svc = await estate();
    await ok(svc, 'deleteBaseline', { name: 'before' });
    // 300 CIs on db-1 (more than the first batches of ids checked), and svc-1 on the last.
    const n = Array.from({ length: 300 }, (_, i) => String(i).padStart(3, '0'));
    const load = (p: string) =>
      ok(svc, 'importCsv', {
        cis: file('c.csv', ['id,name,type', ...n.map((i) => `${p}-${i},${i},application`)].join('\n')),
        relationships: file(
          'r.csv',
          ['source,target,type', ...n.map((i) => `${p}-${i},db-1,depends_on`), `svc-1,${p}-299,depends_on`].join('\n'),
        ),
      });
    const two = await load('old');
    await ok(svc, 'saveBaseline', { name: 'before', note: null });
    await ok(svc, 'undoImport', { id: two.importId! });
    await load('new');
    const down = await ok(svc, 'impact', { keys: ['db-1'], compare: 'before' });
    expect(down.compare!.newlyImpacted.map((c) => c.key)).toEqual(n.map((i) => `new-${i}`));
    expect(down.compare!.noLongerImpacted.map((c) => c.key)).toEqual(n.map((i) => `old-${i}`));
    expect(down.compare!.stateChanged).toEqual([]);
    const up = await ok(svc, 'impact', { keys: ['svc-1'], direction: 'upstream', compare: 'before' });
    expect(up.compare).toMatchObject({ newlyImpacted: [{ key: 'new-299' }], noLongerImpacted: [{ key: 'old-299' }], stateChanged: [] });
  });

  it('a CI created again under its key and its old id (an import undone and run again) is the same answer', async () => {
    const svc = await estate();
    await ok(svc, 'deleteBaseline', { name: 'before' });
    const load = () =>
      ok(svc, 'importCsv', {
        cis: file('c.csv', 'id,name,type\nk-1,K,application\n'),
        relationships: file('r.csv', 'source,target,type\nk-1,db-1,depends_on\n'),
      });
    const first = await load();
    const id = svc.db.prepare("SELECT id FROM cis WHERE key = 'k-1'").pluck().get();
    await ok(svc, 'saveBaseline', { name: 'before', note: null });
    await ok(svc, 'undoImport', { id: first.importId! });
    await new Promise((r) => setTimeout(r, 5)); // another created_at
    await load();
    expect(svc.db.prepare("SELECT id FROM cis WHERE key = 'k-1'").pluck().get()).toBe(id);
    const r = await ok(svc, 'impact', { keys: ['db-1'], compare: 'before' });
    expect(r.compare).toMatchObject({ newlyImpacted: [], noLongerImpacted: [], stateChanged: [], missingKeys: [] });
  });

  it('an id an undone merge put back below CIs that stayed is checked too', async () => {
    const svc = await estate();
    await ok(svc, 'deleteBaseline', { name: 'before' });
    // dup-1 (the largest id) is merged into rpt-1; b-1 then gets its id, and 100 CIs the next ones; all depend on db-1.
    for (const key of ['dup-1', 'b-1']) {
      if (key === 'b-1') await ok(svc, 'mergeCis', { keep: 'rpt-1', merge: 'dup-1' });
      await ok(svc, 'createCi', { key, fields: { name: key, type: 'application' } });
      await ok(svc, 'createRelationship', { source: key, target: 'db-1', type: 'depends_on' });
    }
    const many = Array.from({ length: 100 }, (_, i) => `c-${i}`);
    await ok(svc, 'importCsv', {
      cis: file('c.csv', ['id,name,type', ...many.map((k) => `${k},${k},application`)].join('\n')),
      relationships: file('r.csv', ['source,target,type', ...many.map((k) => `${k},db-1,depends_on`)].join('\n')),
    });
    const id = (key: string) => svc.db.prepare('SELECT id FROM cis WHERE key = ?').pluck().get(key);
    const dupId = id('b-1');
    await ok(svc, 'saveBaseline', { name: 'before', note: null });
    await ok(svc, 'deleteCi', { key: 'b-1' });
    const merge = (await ok(svc, 'listMerges', {})).items[0]!;
    await ok(svc, 'undoMerge', { id: merge.id });
    expect(id('dup-1')).toBe(dupId);
    const r = await ok(svc, 'impact', { keys: ['db-1'], compare: 'before' });
    // rpt-1 had dup-1's relationship to db-1 while merged; the undo took it back.
    expect(r.compare).toMatchObject({
      newlyImpacted: [{ key: 'dup-1', state: 'down' }],
      noLongerImpacted: [
        { key: 'b-1', state: 'down' },
        { key: 'rpt-1', state: 'down' },
      ],
      stateChanged: [],
    });
  });

  it('an id an undone merge put back is no proof for the ids below it', async () => {
    const svc = await estate();
    await ok(svc, 'deleteBaseline', { name: 'before' });
    const on = async (key: string) => {
      await ok(svc, 'createCi', { key, fields: { name: key, type: 'application' } });
      await ok(svc, 'createRelationship', { source: key, target: 'db-1', type: 'depends_on' });
    };
    // r-1 on db-1, then 100 CIs on nothing, then top-1 on db-1 (the largest id).
    await on('r-1');
    const many = Array.from({ length: 100 }, (_, i) => `u-${i},u,application`);
    const u = await ok(svc, 'importCsv', { cis: file('u.csv', ['id,name,type', ...many].join('\n')) });
    await on('top-1');
    await ok(svc, 'saveBaseline', { name: 'before', note: null });
    // top-1 merged away, the 100 and r-1 gone: new-1 gets r-1's id; the merge undone puts top-1 back under its id.
    await ok(svc, 'mergeCis', { keep: 'rpt-1', merge: 'top-1' });
    await ok(svc, 'undoImport', { id: u.importId! });
    const id = (key: string) => svc.db.prepare('SELECT id FROM cis WHERE key = ?').pluck().get(key);
    const rId = id('r-1');
    await ok(svc, 'deleteCi', { key: 'r-1' });
    await on('new-1');
    expect(id('new-1')).toBe(rId);
    await ok(svc, 'undoMerge', { id: (await ok(svc, 'listMerges', {})).items[0]!.id });
    const r = await ok(svc, 'impact', { keys: ['db-1'], compare: 'before' });
    expect(r.compare).toMatchObject({
      newlyImpacted: [{ key: 'new-1', state: 'down' }],
      noLongerImpacted: [{ key: 'r-1', state: 'down' }],
      stateChanged: [],
    });
  });

  it('follows only the types the baseline knows: a type added since is not refused', async () => {
    const svc = await estate();
    await ok(svc, 'importCsv', { relationships: file('r.csv', 'source,target,type\nrpt-1,db-1,feeds_from\n') });
    const r = await ok(svc, 'impact', { keys: ['db-1'], types: ['feeds_from'], compare: 'before' });
    expect(r.compare).toMatchObject({ newlyImpacted: [{ key: 'rpt-1', state: 'down' }], noLongerImpacted: [] });
  });

  it('an unknown baseline is NOT_FOUND listing the baselines', async () => {
    const svc = await estate();
    for (const compare of ['', '  ']) {
      expect((await fails(svc, 'impact', { keys: ['web-1'], compare })).message).toContain(
        'name the baseline to compare with (cmdb baseline list shows them)',
      );
      expect((await fails(svc, 'getChange', { ref: 'x', compare })).message).toContain('name the baseline to compare with');
    }
    const err = await fails(svc, 'impact', { keys: ['web-1'], compare: 'nope' });
    expect(err.code).toBe('NOT_FOUND');
    expect(err.message).toContain('The baselines are: before.');
    // "now" is not offered where it cannot be used.
    expect(err.message).not.toContain('now');
  });

  it('"now" is refused as what the answer already is, naming the baselines, not as an unknown baseline', async () => {
    const svc = await estate();
    await ok(svc, 'saveChange', { ref: 'CHG1', title: 'Patch the database', keys: ['db-1'] });
    for (const compare of ['now', ' NOW ']) {
      const err = await fails(svc, 'impact', { keys: ['web-1'], compare });
      expect(err.code).toBe('INVALID_REQUEST');
      expect(err.message).toBe(
        'Compare with a baseline, not "now": the answer is already the CMDB as it is now. The baselines are: before.',
      );
      expect((await fails(svc, 'getChange', { ref: 'CHG1', compare })).message).toContain('Compare with a baseline, not "now"');
    }
  });

  it('finds the baseline in any letter case, and answers under its saved name', async () => {
    const svc = await estate();
    await ok(svc, 'deleteCi', { key: 'web-2' });
    const r = await ok(svc, 'impact', { keys: ['web-1'], compare: 'BEFORE' });
    expect(r.compare).toMatchObject({ baseline: 'before', stateChanged: [{ key: 'app-1' }, { key: 'svc-1' }] });
  });

  it('a CI deleted since the baseline can be asked about: the baseline answers for it, the answer now leaves it out', async () => {
    const svc = await estate();
    await ok(svc, 'deleteCi', { key: 'db-1' });
    // Without a baseline it is refused, as any unknown CI.
    expect((await fails(svc, 'impact', { keys: ['db-1'] })).code).toBe('NOT_FOUND');
    const r = await ok(svc, 'impact', { keys: ['db-1'], compare: 'before' });
    expect(r.changed).toEqual([]);
    expect(r.counts.total).toBe(0);
    expect(r.compare).toMatchObject({
      missingNow: ['db-1'],
      missingKeys: [],
      newlyImpacted: [],
      noLongerImpacted: [
        { key: 'app-1', name: 'App 1', state: 'down' },
        { key: 'db-1', name: 'DB 1', state: 'down' },
        { key: 'svc-1', name: 'Shop', state: 'down' },
      ],
    });
    expect(impactSummary(r)).toEqual(
      expect.arrayContaining([
        '  no longer impacted (3): App 1 (app-1), DB 1 (db-1), Shop (svc-1)',
        '  not in the CMDB now, answered by the baseline only (1): DB 1 (db-1)',
      ]),
    );
    // With a CI the CMDB still has, that one is answered now too.
    const both = await ok(svc, 'impact', { keys: ['db-1', 'web-1'], compare: 'before' });
    expect(both.changed.map((c) => c.key)).toEqual(['web-1']);
    expect(both.compare!.missingNow).toEqual(['db-1']);
    // A CI neither has is refused, naming it.
    const bad = await fails(svc, 'impact', { keys: ['db-1', 'no-such-ci'], compare: 'before' });
    expect(bad.code).toBe('NOT_FOUND');
    expect(bad.message).toContain('"no-such-ci"');
    expect(bad.message).not.toContain('"db-1"');
  });

  it('each side counts the members its own statuses say are not running: a member retired since takes the cluster down now', async () => {
    // The tester's case: m1 and m2 are the members of cluster c, app runs on c; m2 is retired after the baseline.
    const svc = freshService(join(tempDir(), 'cmdb.db'));
    const cis = (rows: string[]) => file('cis.csv', ['id,name,type,status', ...rows].join('\n'));
    await ok(svc, 'importCsv', {
      cis: cis([
        'm1,Member 1,server,operational',
        'm2,Member 2,server,operational',
        'c,Cluster,cluster,operational',
        'app,App,application,operational',
      ]),
      relationships: file('rels.csv', 'source,target,type\nm1,c,member_of\nm2,c,member_of\napp,c,runs_on\n'),
    });
    await ok(svc, 'saveBaseline', { name: 'base', note: null });
    await ok(svc, 'saveChange', { ref: 'CHG-1', title: 'patch m1', keys: ['m1'] });
    await ok(svc, 'importCsv', { cis: cis(['m2,Member 2,server,retired']) });
    const downNow = [
      { key: 'app', name: 'App', from: 'degraded', to: 'down' },
      { key: 'c', name: 'Cluster', from: 'degraded', to: 'down' },
    ];
    const r = await ok(svc, 'impact', { keys: ['m1'], compare: 'base' });
    expect(r.counts).toMatchObject({ down: 2, degraded: 0 });
    expect(r.compare).toMatchObject({ newlyImpacted: [], noLongerImpacted: [], stateChanged: downNow });
    expect((await ok(svc, 'getChange', { ref: 'CHG-1', compare: 'base' })).compare!.stateChanged).toEqual(downNow);
    // And the other way round: retired in the baseline, back in service now.
    await ok(svc, 'saveBaseline', { name: 'retired', note: null });
    await ok(svc, 'importCsv', { cis: cis(['m2,Member 2,server,operational']) });
    const back = await ok(svc, 'impact', { keys: ['m1'], compare: 'retired' });
    expect(back.compare!.stateChanged).toEqual(downNow.map((c) => ({ ...c, from: 'down', to: 'degraded' })));
  });

  it('a baseline deleted and saved again under the same name is read afresh', async () => {
    const svc = await estate();
    expect((await ok(svc, 'impact', { keys: ['web-1'], compare: 'before' })).compare!.newlyImpacted).toEqual([]);
    await ok(svc, 'createRelationship', { source: 'rpt-1', target: 'web-1', type: 'runs_on' });
    expect((await ok(svc, 'impact', { keys: ['web-1'], compare: 'before' })).compare!.newlyImpacted).toEqual([
      { key: 'rpt-1', name: 'Reports', state: 'down' },
    ]);
    await ok(svc, 'deleteBaseline', { name: 'before' });
    await new Promise((r) => setTimeout(r, 5));
    await ok(svc, 'saveBaseline', { name: 'before', note: null });
    expect((await ok(svc, 'impact', { keys: ['web-1'], compare: 'before' })).compare!.newlyImpacted).toEqual([]);
  });
});

describe('a saved change compared with any baseline', () => {
  it('getChange with compare: its blast radius now against the same change asked of the baseline', async () => {
    const svc = await estate();
    await ok(svc, 'createRelationship', { source: 'rpt-1', target: 'db-1', type: 'depends_on' });
    const saved = await ok(svc, 'saveChange', { ref: 'CHG1', title: 'Patch the database', keys: ['db-1'] });
    const plain = await ok(svc, 'getChange', { id: saved.change.id });
    expect(plain.compare).toBeUndefined();
    expect(plain.diff.changed).toBe(false);
    const d = await ok(svc, 'getChange', { id: saved.change.id, compare: 'before' });
    expect(d.compare).toMatchObject({
      baseline: 'before',
      newlyImpacted: [{ key: 'rpt-1', state: 'down' }],
      noLongerImpacted: [],
      stateChanged: [],
    });
  });
});
