/**
 * A CI created or edited by hand reads criticality and status as an import
 * does: onto their scales, an unknown word refused, a value the CI already
 * holds (an import's unknown word) left as it is, and the file text an
 * import kept dropped once the value it explains is changed.
 */
import { describe, expect, it } from 'vitest';
import { fails, freshService, ok } from './helpers.js';

const file = (name: string, content: string) => ({ name, content });

describe('criticality and status typed by hand', () => {
  it('stores the scale value a known word means', async () => {
    const svc = freshService();
    const ci = await ok(svc, 'createCi', { fields: { type: 'server', name: 'web-01', criticality: 'Tier 1', status: 'Active' } });
    expect(ci).toMatchObject({ criticality: 'critical', status: 'operational' });
    const edited = await ok(svc, 'updateCi', { key: ci.key, fields: { criticality: ' High ', status: 'In Maintenance' } });
    expect(edited).toMatchObject({ criticality: 'high', status: 'maintenance' });
  });

  it('refuses a word neither scale knows, naming the scale, and writes nothing', async () => {
    const svc = freshService();
    const err = await fails(svc, 'createCi', { fields: { type: 'server', name: 'web-01', criticality: 'hihg' } });
    expect(err.code).toBe('INVALID_REQUEST');
    expect(err.message).toBe('"hihg" is not a criticality the CMDB knows. Use one of critical, high, medium, low, or leave it empty.');
    expect((await ok(svc, 'stats', {})).cis).toBe(0);
    const ci = await ok(svc, 'createCi', { fields: { type: 'server', name: 'web-01', status: 'operational' } });
    const again = await fails(svc, 'updateCi', { key: ci.key, fields: { status: 'up-ish' } });
    expect(again.message).toContain('"up-ish" is not a status the CMDB knows. Use one of operational, non-operational,');
    expect((await ok(svc, 'getCi', { key: ci.key })).ci.status).toBe('operational');
  });

  it("keeps an import's unknown word when another field is edited, and drops the file's text once the value changes", async () => {
    const svc = freshService();
    await ok(svc, 'importCsv', { cis: file('cis.csv', 'id,name,type,criticality,status\na,A,server,Gold,Live\nb,B,server,Tier 2,Live\n') });
    const a = (await ok(svc, 'getCi', { key: 'a' })).ci;
    expect(a.criticality).toBe('Gold');
    // The form sends every field back: the held word passes, the owner changes.
    const owned = await ok(svc, 'updateCi', { key: 'a', fields: { owner: 'team-a', criticality: 'Gold', status: a.status } });
    expect(owned).toMatchObject({ owner: 'team-a', criticality: 'Gold' });

    const b = (await ok(svc, 'getCi', { key: 'b' })).ci;
    expect(b.criticality).toBe('high');
    expect(b.attributes.criticality_source).toBe('Tier 2');
    const same = await ok(svc, 'updateCi', { key: 'b', fields: { owner: 'team-b', criticality: 'high', attributes: b.attributes } });
    expect(same.attributes.criticality_source).toBe('Tier 2');
    const changed = await ok(svc, 'updateCi', { key: 'b', fields: { criticality: 'low', attributes: b.attributes } });
    expect(changed.criticality).toBe('low');
    expect(changed.attributes).not.toHaveProperty('criticality_source');
  });

  it('refuses a field the contract does not know (a key among the fields), rather than dropping it and making another key', async () => {
    const svc = freshService();
    const err = await fails(svc, 'createCi', { fields: { key: 'NEW-1', type: 'application', name: 'n1' } });
    expect(err.code).toBe('INVALID_REQUEST');
    expect(err.message).toContain('key');
    expect((await ok(svc, 'stats', {})).cis).toBe(0);
    const ci = await ok(svc, 'createCi', { key: 'NEW-1', fields: { type: 'application', name: 'n1' } });
    expect((await fails(svc, 'updateCi', { key: ci.key, fields: { owner: 'x', colour: 'red' } })).code).toBe('INVALID_REQUEST');
  });
});

describe('an edit made on a CI as it was before its last change', () => {
  it('is refused (CONFLICT), saying what changed it, and writes nothing; made on the CI as it is, it saves', async () => {
    const svc = freshService();
    const ci = await ok(svc, 'createCi', { key: 'web-01', fields: { type: 'server', name: 'Web 01', owner: 'team-a' } });
    await new Promise((r) => setTimeout(r, 5));
    const b = await ok(svc, 'updateCi', { key: 'web-01', fields: { owner: 'team-b' }, since: ci.updatedAt });
    const stale = await fails(svc, 'updateCi', { key: 'web-01', fields: { owner: 'team-a', description: 'x' }, since: ci.updatedAt });
    expect(stale.code).toBe('CONFLICT');
    expect(stale.message).toBe(
      `Web 01 (web-01) was changed at ${b.updatedAt} (Changed owner, by test), after you opened it. Nothing was saved: reload it and make your edit again.`,
    );
    expect((await ok(svc, 'getCi', { key: 'web-01' })).ci).toMatchObject({ owner: 'team-b', description: null });
    expect((await ok(svc, 'updateCi', { key: 'web-01', fields: { description: 'x' }, since: b.updatedAt })).description).toBe('x');
  });
});
