/**
 * HealthService.rulesForCis for CIs that are a quarter of the CMDB or more (a
 * change's report listing most of an estate): the rules run once over the
 * whole CMDB, not for just those CIs (at 300,000 CIs, 2.4 s for the 245,749 a
 * report named, against 1.0 s), and the report says, byte for byte, what a
 * run for just those CIs makes it say: on a CMDB with duplicates by name and
 * by identifying attribute, CIs named alike that are not duplicates, and
 * values spelled several ways.
 */
import { describe, expect, it, vi } from 'vitest';
import { rawFindings } from '../../electron/cmdb/health/compute.js';
import { HealthService } from '../../electron/cmdb/health/health-service.js';
import type { CmdbService } from '../../electron/cmdb/service.js';
import { freshService, ok } from './helpers.js';

vi.mock('../../electron/cmdb/health/compute.js', async (importOriginal) => {
  const compute = await importOriginal<typeof import('../../electron/cmdb/health/compute.js')>();
  return { ...compute, rawFindings: vi.fn(compute.rawFindings) };
});
const runs = vi.mocked(rawFindings);
/** The scope of each run of the rules since the last call: null for the whole CMDB, else how many CIs. */
const scopes = () => {
  const out = runs.mock.calls.map((c) => (c[4] ? c[4].size : null));
  runs.mockClear();
  return out;
};

/**
 * A hub that 24 CIs depend on (the impact of a change to it names 25 of the 33 CIs), with two duplicates by
 * name, one by serial number (spelled apart), one with a member outside the impact, two CIs named alike told
 * apart by their serial numbers, an environment spelled three ways, and CIs without an owner.
 */
async function estate(): Promise<CmdbService> {
  const svc = freshService();
  const ci = (key: string, type: string, name: string, more: Record<string, unknown> = {}) =>
    ok(svc, 'createCi', { key, fields: { type, name, owner: 'team-a', criticality: 'high', environment: 'production', ...more } });
  await ci('core', 'network', 'Core switch');
  const deps: Array<[string, string, string, Record<string, unknown>?]> = [
    ['orders-api', 'application', 'Orders API'],
    ['orders-api-2', 'application', 'orders-api'],
    ['web-01', 'server', 'web-01', { attributes: { serial_number: 'SN-1' } }],
    ['web-01b', 'server', 'WEB 01', { attributes: { serial_number: ' sn-1' } }],
    ['box-a', 'server', 'Box A', { attributes: { serial_number: 'SN-9' } }],
    ['cache-1', 'server', 'cache', { attributes: { serial_number: 'SN-2' } }],
    ['cache-2', 'server', 'Cache', { attributes: { serial_number: 'SN-3' } }],
    ['billing', 'application', 'Billing', { environment: ' Production' }],
    ['ledger', 'application', 'Ledger', { environment: 'PRODUCTION', owner: null }],
    ['shop', 'business_service', 'Shop', { owner: null }],
  ];
  for (let i = 0; i < 14; i++) deps.push([`app-${i}`, 'application', `App ${i}`]);
  for (const [key, type, name, more] of deps) {
    await ci(key, type, name, more);
    await ok(svc, 'createRelationship', { source: key, target: 'core', type: 'depends_on' });
  }
  // Outside the impact: a duplicate of box-a by serial number, and CIs on their own.
  await ci('box-b', 'server', 'Box B', { attributes: { serial_number: 'sn-9 ' } });
  for (let i = 0; i < 7; i++) await ci(`other-${i}`, 'server', `Other ${i}`);
  return svc;
}

const FORMATS = ['markdown', 'html', 'csv', 'json'] as const;

/** The change's report in every format, times masked. */
async function reports(svc: CmdbService): Promise<string[]> {
  const out: string[] = [];
  for (const format of FORMATS) {
    const { content } = await ok(svc, 'exportChange', { ref: 'CHG1', format });
    out.push(content.replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z/g, '<TIME>').replace(/"durationMs": ?[\d.]+/g, '"durationMs": 0'));
  }
  return out;
}

describe('the health of an answer naming a quarter of the CMDB or more', () => {
  it('runs the rules once over the whole CMDB, and the report is the one a run for just its CIs makes', async () => {
    const svc = await estate();
    scopes();
    await ok(svc, 'saveChange', { ref: 'CHG1', title: 'Core switch upgrade', keys: ['core'] });
    // One run over the whole CMDB, for the save; the reports after it, in the same state, run nothing.
    expect(scopes()).toEqual([null]);
    const whole = await reports(svc);
    expect(scopes()).toEqual([]);
    const ids = svc.db.prepare('SELECT id FROM cis').pluck().all() as number[];
    svc.health.rulesForCis(ids);
    expect(scopes()).toEqual([]);

    // The same reports with the rules run for just the CIs the answer names.
    const scoped = new HealthService(svc.db, svc.path, () => svc.impacts.indexHolder.get(), Date.now, Infinity);
    Object.assign(svc, { health: scoped });
    const few = await reports(svc);
    expect(scopes()).toEqual([25]);
    expect(few).toEqual(whole);

    // The case has what it is about: duplicates by name and by serial number (one reaching outside the
    // impact), CIs named alike that are not duplicates, spellings of an environment.
    const json = JSON.parse(whole[3]!) as { current: { health: { byKey: Record<string, string[]> } } };
    const byKey = json.current.health.byKey;
    for (const key of ['orders-api', 'orders-api-2', 'web-01', 'web-01b', 'box-a']) expect(byKey[key]).toContain('duplicate');
    for (const key of ['cache-1', 'cache-2']) expect(byKey[key] ?? []).not.toContain('duplicate');
    for (const key of ['billing', 'ledger']) expect(byKey[key]).toContain('value-variants');
    expect(byKey['ledger']).toContain('missing-owner');
  });

  it('runs the rules for just the CIs asked when they are fewer', async () => {
    const svc = await estate();
    const id = (key: string) => svc.db.prepare('SELECT id FROM cis WHERE key = ?').pluck().get(key) as number;
    scopes();
    const asked = ['web-01', 'box-a', 'cache-1', 'ledger'].map(id);
    expect(svc.health.rulesForCis(asked)).toEqual(
      new Map([
        [id('web-01'), ['duplicate']],
        [id('box-a'), ['duplicate']],
        [id('ledger'), ['missing-owner', 'value-variants']],
      ]),
    );
    expect(scopes()).toEqual([4]);
  });
});
