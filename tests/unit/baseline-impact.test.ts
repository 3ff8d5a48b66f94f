/**
 * Impact across time (issue 17): `impact` with `compare` asks the same
 * question of a baseline and says what is newly impacted, no longer
 * impacted, or in another state; a saved change does the same against any
 * baseline (getChange's `compare`), not only against when it was saved.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
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
      { key: 'app-1', state: 'down' },
      { key: 'svc-1', state: 'down' },
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

  it('follows only the types the baseline knows: a type added since is not refused', async () => {
    const svc = await estate();
    await ok(svc, 'importCsv', { relationships: file('r.csv', 'source,target,type\nrpt-1,db-1,feeds_from\n') });
    const r = await ok(svc, 'impact', { keys: ['db-1'], types: ['feeds_from'], compare: 'before' });
    expect(r.compare).toMatchObject({ newlyImpacted: [{ key: 'rpt-1', state: 'down' }], noLongerImpacted: [] });
  });

  it('an unknown baseline is NOT_FOUND listing the baselines', async () => {
    const svc = await estate();
    const err = await fails(svc, 'impact', { keys: ['web-1'], compare: 'nope' });
    expect(err.code).toBe('NOT_FOUND');
    expect(err.message).toContain('The baselines are: before');
  });

  it('a baseline deleted and saved again under the same name is read afresh', async () => {
    const svc = await estate();
    expect((await ok(svc, 'impact', { keys: ['web-1'], compare: 'before' })).compare!.newlyImpacted).toEqual([]);
    await ok(svc, 'createRelationship', { source: 'rpt-1', target: 'web-1', type: 'runs_on' });
    expect((await ok(svc, 'impact', { keys: ['web-1'], compare: 'before' })).compare!.newlyImpacted).toEqual([
      { key: 'rpt-1', state: 'down' },
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
