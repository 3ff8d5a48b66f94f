/**
 * ciPosition: where a CI stands in the list listCis gives for the same question, so that Browse can bring a CI
 * opened from the search box into view however far down the table it is (found by a tester: only the loaded
 * rows were looked in). Checked against listCis itself for every sort, order, search and filter.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Request } from '../../shared/api.js';
import type { CmdbService } from '../../electron/cmdb/service.js';
import { freshService, ok } from './helpers.js';

let svc: CmdbService;
beforeAll(async () => {
  svc = freshService();
  const statuses = ['operational', null, 'retired', 'Operational'];
  const owners = ['team-a', 'team-b', null];
  for (let i = 0; i < 150; i++) {
    const fields: { type: string; name: string; status?: string; owner?: string } = {
      type: i % 3 ? 'server' : 'application',
      // Names alike but for case and number, some the same, so the id must break ties as the list's does.
      name: i % 10 === 0 ? 'Web host' : `${i % 2 ? 'web' : 'Web'} host ${String(i % 37).padStart(2, '0')}`,
    };
    const status = statuses[i % 4];
    const owner = owners[i % 3];
    if (status) fields.status = status;
    if (owner) fields.owner = owner;
    await ok(svc, 'createCi', { key: `ci-${String((i * 61) % 150).padStart(3, '0')}`, fields });
  }
  return () => svc.close();
});

type Question = Omit<Request<'ciPosition'>, 'key'>;

async function expectPlaces(q: Question): Promise<void> {
  const list = await ok(svc, 'listCis', { ...q, limit: 1000 });
  expect(list.items.length).toBeGreaterThan(0);
  for (const [i, ci] of list.items.entries())
    expect(await ok(svc, 'ciPosition', { ...q, key: ci.key }), `${ci.key} in ${JSON.stringify(q)}`).toEqual({ index: i });
}

describe('ciPosition', () => {
  it("gives each CI's row in the list, for every sort and order, with filters", async () => {
    for (const sort of [undefined, 'name', 'key', 'type', 'status', 'owner', 'updatedAt'] as const)
      for (const order of ['asc', 'desc'] as const) await expectPlaces({ sort, order });
    await expectPlaces({ filters: { owner: ['team-a', ''] } });
    await expectPlaces({ filters: { status: ['retired'] }, sort: 'key', order: 'desc' });
  });

  it('and within a search, ranked or sorted', async () => {
    await expectPlaces({ query: 'web host' });
    await expectPlaces({ query: 'host 1' });
    await expectPlaces({ query: 'web', sort: 'owner', order: 'desc', filters: { type: ['server'] } });
  });

  it('is null for a CI the list does not hold, one no CI has, and in criticality order', async () => {
    const app = (await ok(svc, 'listCis', { filters: { type: ['application'] }, limit: 1 })).items[0]!;
    expect(await ok(svc, 'ciPosition', { key: app.key, filters: { type: ['server'] } })).toEqual({ index: null });
    expect(await ok(svc, 'ciPosition', { key: app.key, query: 'nothing-like-it' })).toEqual({ index: null });
    expect(await ok(svc, 'ciPosition', { key: 'no-such-key' })).toEqual({ index: null });
    expect(await ok(svc, 'ciPosition', { key: app.key, sort: 'criticality' })).toEqual({ index: null });
  });
});
