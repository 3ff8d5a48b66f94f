/**
 * Which CIs a shortened list of risk reasons ("… and N more") names: the
 * nearest first, then the lowest id, whatever order the search met them in,
 * so the same question names the same CIs before and after unrelated edits.
 */
import { describe, expect, it } from 'vitest';
import { freshService, ok } from './helpers.js';

describe('risk reasons past the ones shown', () => {
  it('name the nearest CIs at the worst level, then the lowest ids, not the order the relationships were made in', async () => {
    const svc = freshService();
    await ok(svc, 'createCi', { key: 'db', fields: { type: 'database', name: 'DB', criticality: 'low' } });
    const apps = Array.from({ length: 12 }, (_, i) => `app-${String(i).padStart(2, '0')}`);
    for (const key of apps) await ok(svc, 'createCi', { key, fields: { type: 'application', name: key, criticality: 'high' } });
    // One more at depth 2 with the worst level too: after every CI at depth 1 however low its id.
    await ok(svc, 'createCi', { key: 'far', fields: { type: 'application', name: 'far', criticality: 'high' } });
    for (const key of apps.slice(1)) await ok(svc, 'createRelationship', { source: key, target: 'db', type: 'depends_on' });
    await ok(svc, 'createRelationship', { source: 'far', target: 'app-11', type: 'depends_on' });
    svc.impacts.impact({ keys: ['db'], direction: 'downstream', limit: 100 });
    // The first CI's relationship made after the index was read: the patched index meets it last.
    await ok(svc, 'createRelationship', { source: 'app-00', target: 'db', type: 'depends_on' });

    const r = svc.impacts.impact({ keys: ['db'], direction: 'downstream', limit: 100 });
    expect(svc.impacts.indexHolder.patches).toBeGreaterThan(0);
    // Each name is its key, so each reads once: "app-00 goes down: application, criticality high".
    const named = r.risk.reasons.map((s) => /^(\S+) goes down: /.exec(s)?.[1]).filter((k) => k !== undefined);
    expect(named).toEqual(apps.slice(0, 8));
    expect(r.risk.reasons).toContain('and 5 more impacted CIs that raise the risk');
    svc.close();
  });
});
