/**
 * Creating, updating and deleting CIs and relationships through the service
 * envelope, with field-level history on both ends of every relationship.
 */
import { describe, expect, it } from 'vitest';
import type { HistoryEntry } from '../../shared/domain.js';
import { dumpDb, fails, freshService, ok } from './helpers.js';

const byAction = (h: HistoryEntry[], action: string, entity = 'ci') => h.filter((e) => e.action === action && e.entity === entity);

describe('CIs: create, update, delete with field-level history', () => {
  it('creates a CI with every field and records a create entry listing each field', async () => {
    const svc = freshService();
    const ci = await ok(svc, 'createCi', {
      key: 'app-checkout-api',
      fields: {
        type: 'application',
        name: 'Checkout API',
        status: 'operational',
        environment: 'production',
        owner: 'team-checkout',
        criticality: 'critical',
        description: 'Turns a basket into an order.',
        attributes: { version: '5.18.2', language: 'Java' },
      },
    });
    expect(ci).toMatchObject({
      key: 'app-checkout-api',
      type: 'application',
      name: 'Checkout API',
      status: 'operational',
      environment: 'production',
      owner: 'team-checkout',
      criticality: 'critical',
      attributes: { version: '5.18.2', language: 'Java' },
      importId: null,
    });
    expect(ci.createdAt).toBe(ci.updatedAt);
    const d = await ok(svc, 'getCi', { key: 'app-checkout-api' });
    expect(d.history).toHaveLength(1);
    expect(d.history[0]).toMatchObject({ entity: 'ci', action: 'create', ciKey: 'app-checkout-api', source: 'test', importId: null });
    expect(d.history[0]!.changes).toMatchObject({
      type: { from: null, to: 'application' },
      name: { from: null, to: 'Checkout API' },
      owner: { from: null, to: 'team-checkout' },
      attributes: { from: null, to: { version: '5.18.2', language: 'Java' } },
    });
  });

  it('derives the key type:name when none is given, and refuses a duplicate key with CONFLICT', async () => {
    const svc = freshService();
    const ci = await ok(svc, 'createCi', { fields: { type: 'Virtual Machine', name: 'web-01' } });
    expect(ci.key).toBe('virtual_machine:web-01');
    expect(ci.type).toBe('virtual_machine');
    const err = await fails(svc, 'createCi', { fields: { type: 'virtual_machine', name: 'web-01' } });
    expect(err.code).toBe('CONFLICT');
    expect(err.message).toContain('virtual_machine:web-01');
  });

  it('rejects an invalid request with INVALID_REQUEST naming the field, and writes nothing', async () => {
    const svc = freshService();
    const before = dumpDb(svc.db);
    const err = await fails(svc, 'createCi', { key: 'x', fields: { type: 'application' } });
    expect(err.code).toBe('INVALID_REQUEST');
    expect(err.message).toMatch(/fields\.name/);
    expect((await fails(svc, 'listCis', { limit: 0 })).code).toBe('INVALID_REQUEST');
    expect(dumpDb(svc.db)).toBe(before);
  });

  it('creates a CI type the registry lacks, flagged for review', async () => {
    const svc = freshService();
    await ok(svc, 'createCi', { key: 'pdu-1', fields: { type: 'power_unit', name: 'PDU 1' } });
    const types = await ok(svc, 'getTypes', {});
    expect(types.ciTypes.find((t) => t.name === 'power_unit')).toMatchObject({ flagged: true, builtin: false, count: 1 });
    expect((await ok(svc, 'stats', {})).flaggedTypes).toEqual(['power_unit']);
  });

  it('records an update with only the changed fields, from and to; a no-op update records nothing', async () => {
    const svc = freshService();
    await ok(svc, 'createCi', {
      key: 'db-orders',
      fields: {
        type: 'database',
        name: 'Orders DB',
        status: 'operational',
        owner: 'team-dba',
        attributes: { version: '15.5', port: '5432' },
      },
    });
    const updated = await ok(svc, 'updateCi', {
      key: 'db-orders',
      fields: { status: 'maintenance', attributes: { version: '15.6', port: '5432' } },
    });
    expect(updated).toMatchObject({ status: 'maintenance', owner: 'team-dba', name: 'Orders DB', attributes: { version: '15.6' } });
    let d = await ok(svc, 'getCi', { key: 'db-orders' });
    const updates = byAction(d.history, 'update');
    expect(updates).toHaveLength(1);
    expect(updates[0]!.changes).toEqual({
      status: { from: 'operational', to: 'maintenance' },
      attributes: { from: { version: '15.5', port: '5432' }, to: { version: '15.6', port: '5432' } },
    });
    expect(updates[0]!.summary).toMatch(/status/);
    // Newest first.
    expect(d.history.map((h) => h.action)).toEqual(['update', 'create']);

    // Clearing a field to null is a change too.
    await ok(svc, 'updateCi', { key: 'db-orders', fields: { owner: null } });
    d = await ok(svc, 'getCi', { key: 'db-orders' });
    expect(d.ci.owner).toBeNull();
    expect(byAction(d.history, 'update')[0]!.changes).toEqual({ owner: { from: 'team-dba', to: null } });

    const before = dumpDb(svc.db);
    await ok(svc, 'updateCi', { key: 'db-orders', fields: { status: 'maintenance', name: 'Orders DB' } });
    expect(dumpDb(svc.db)).toBe(before);
  });

  it('answers NOT_FOUND for an unknown key on get, update and delete', async () => {
    const svc = freshService();
    for (const [method, req] of [
      ['getCi', { key: 'nope' }],
      ['updateCi', { key: 'nope', fields: { name: 'x' } }],
      ['deleteCi', { key: 'nope' }],
    ] as const) {
      const err = await fails(svc, method, req);
      expect(err.code).toBe('NOT_FOUND');
      expect(err.message).toContain('"nope"');
    }
  });

  it('deletes a CI with its relationships, recording the deletes on both ends', async () => {
    const svc = freshService();
    for (const [key, type] of [
      ['app', 'application'],
      ['db', 'database'],
      ['vm', 'virtual_machine'],
    ] as const) {
      await ok(svc, 'createCi', { key, fields: { type, name: key.toUpperCase() } });
    }
    await ok(svc, 'createRelationship', { source: 'app', target: 'db', type: 'depends_on' });
    await ok(svc, 'createRelationship', { source: 'db', target: 'vm', type: 'runs_on' });
    const r = await ok(svc, 'deleteCi', { key: 'db' });
    expect(r).toEqual({ deleted: true, relationshipsDeleted: 2 });
    expect((await fails(svc, 'getCi', { key: 'db' })).code).toBe('NOT_FOUND');
    const app = await ok(svc, 'getCi', { key: 'app' });
    expect(app.outgoing).toEqual([]);
    expect(byAction(app.history, 'delete', 'relationship').map((h) => h.summary)).toEqual(['app depends_on db']);
    const vm = await ok(svc, 'getCi', { key: 'vm' });
    expect(vm.incoming).toEqual([]);
    expect(byAction(vm.history, 'delete', 'relationship').map((h) => h.summary)).toEqual(['db runs_on vm']);
    // The CI's own history survives its deletion, with the values it had.
    const rows = svc.db.prepare("SELECT action, changes FROM history WHERE entity = 'ci' AND ci_key = 'db' ORDER BY id").all() as Array<{
      action: string;
      changes: string;
    }>;
    expect(rows.map((x) => x.action)).toEqual(['create', 'delete']);
    expect(JSON.parse(rows[1]!.changes)).toMatchObject({ type: { from: 'database', to: null }, name: { from: 'DB', to: null } });
    // Search no longer finds it.
    expect((await ok(svc, 'listCis', { query: 'DB' })).items.map((c) => c.key)).not.toContain('db');
  });
});

describe('relationships: create and delete, seen and recorded from both ends', () => {
  async function twoCis() {
    const svc = freshService();
    await ok(svc, 'createCi', { key: 'app-a', fields: { type: 'application', name: 'App A', criticality: 'high' } });
    await ok(svc, 'createCi', { key: 'cl-kafka', fields: { type: 'cluster', name: 'Kafka', status: 'operational' } });
    return svc;
  }

  it('creates a relationship with redundancy group, min_up and attributes, visible from both ends', async () => {
    const svc = await twoCis();
    const rel = await ok(svc, 'createRelationship', {
      source: 'app-a',
      target: 'cl-kafka',
      type: 'Depends On',
      redundancyGroup: 'brokers',
      minUp: 2,
      attributes: { port: '9093' },
    });
    expect(rel).toMatchObject({
      source: 'app-a',
      target: 'cl-kafka',
      type: 'depends_on',
      redundancyGroup: 'brokers',
      minUp: 2,
      attributes: { port: '9093' },
    });
    const a = await ok(svc, 'getCi', { key: 'app-a' });
    expect(a.outgoing).toHaveLength(1);
    expect(a.outgoing[0]).toMatchObject({ id: rel.id, other: { key: 'cl-kafka', name: 'Kafka', type: 'cluster', status: 'operational' } });
    expect(a.incoming).toEqual([]);
    const k = await ok(svc, 'getCi', { key: 'cl-kafka' });
    expect(k.incoming[0]).toMatchObject({ id: rel.id, other: { key: 'app-a', criticality: 'high' } });
    for (const d of [a, k]) {
      const created = byAction(d.history, 'create', 'relationship');
      expect(created).toHaveLength(1);
      expect(created[0]).toMatchObject({ summary: 'app-a depends_on cl-kafka', ciKey: 'app-a', source: 'test' });
      expect(created[0]!.changes).toMatchObject({ type: { from: null, to: 'depends_on' }, minUp: { from: null, to: 2 } });
    }
  });

  it('deletes a relationship and records it on both ends', async () => {
    const svc = await twoCis();
    const rel = await ok(svc, 'createRelationship', { source: 'app-a', target: 'cl-kafka', type: 'uses' });
    expect(await ok(svc, 'deleteRelationship', { id: rel.id })).toEqual({ deleted: true });
    for (const key of ['app-a', 'cl-kafka']) {
      const d = await ok(svc, 'getCi', { key });
      expect([...d.outgoing, ...d.incoming]).toEqual([]);
      expect(d.history.filter((h) => h.entity === 'relationship').map((h) => h.action)).toEqual(['delete', 'create']);
    }
    expect((await fails(svc, 'deleteRelationship', { id: rel.id })).code).toBe('NOT_FOUND');
  });

  it('refuses unknown endpoints, unknown types, self-loops and duplicates, writing nothing', async () => {
    const svc = await twoCis();
    await ok(svc, 'createRelationship', { source: 'app-a', target: 'cl-kafka', type: 'depends_on' });
    const before = dumpDb(svc.db);
    expect((await fails(svc, 'createRelationship', { source: 'app-a', target: 'ghost', type: 'depends_on' })).code).toBe('NOT_FOUND');
    expect((await fails(svc, 'createRelationship', { source: 'app-a', target: 'cl-kafka', type: 'likes' })).code).toBe('INVALID_REQUEST');
    expect((await fails(svc, 'createRelationship', { source: 'app-a', target: 'app-a', type: 'uses' })).code).toBe('INVALID_REQUEST');
    expect((await fails(svc, 'createRelationship', { source: 'app-a', target: 'cl-kafka', type: 'depends_on' })).code).toBe('CONFLICT');
    expect((await fails(svc, 'createRelationship', { source: 'app-a', target: 'cl-kafka', type: 'uses', minUp: 0 })).code).toBe(
      'INVALID_REQUEST',
    );
    expect(dumpDb(svc.db)).toBe(before);
  });

  it('applies the rules of a redundancy group as an import does: min_up only with a group, one type and one min_up per group', async () => {
    const svc = await twoCis();
    for (const key of ['db-1', 'db-2', 'db-3']) await ok(svc, 'createCi', { key, fields: { type: 'database', name: key } });
    await ok(svc, 'createRelationship', { source: 'app-a', target: 'db-1', type: 'depends_on', redundancyGroup: 'dbs', minUp: 1 });
    const before = dumpDb(svc.db);
    const noGroup = await fails(svc, 'createRelationship', { source: 'app-a', target: 'db-2', type: 'depends_on', minUp: 1 });
    expect(noGroup.code).toBe('INVALID_REQUEST');
    expect(noGroup.message).toMatch(/^minUp 1 only means something with a redundancy group .*Give the group, or leave minUp out\.$/);
    const blank = await fails(svc, 'createRelationship', {
      source: 'app-a',
      target: 'db-2',
      type: 'depends_on',
      redundancyGroup: ' ',
      minUp: 1,
    });
    expect(blank.message).toMatch(/^minUp 1 only means/);
    const type = await fails(svc, 'createRelationship', { source: 'app-a', target: 'db-2', type: 'uses', redundancyGroup: 'dbs' });
    expect(type.message).toBe(
      'Redundancy group "dbs" of app-a holds depends_on relationships, and this one is uses. A group holds relationships of one type: use another group name.',
    );
    const minUp = await fails(svc, 'createRelationship', {
      source: 'app-a',
      target: 'db-2',
      type: 'depends_on',
      redundancyGroup: 'dbs',
      minUp: 2,
    });
    expect(minUp.message).toBe(
      'Redundancy group "dbs" of app-a has min_up 1, and this one gives 2. Give the whole group the same min_up, or leave it out.',
    );
    expect(dumpDb(svc.db)).toBe(before);
    // The same min_up, or none, joins the group; a blank group is no group; another CI may use the same label freely.
    await ok(svc, 'createRelationship', { source: 'app-a', target: 'db-2', type: 'depends_on', redundancyGroup: 'dbs', minUp: 1 });
    await ok(svc, 'createRelationship', { source: 'app-a', target: 'db-3', type: 'depends_on', redundancyGroup: 'dbs' });
    const plain = await ok(svc, 'createRelationship', { source: 'cl-kafka', target: 'db-1', type: 'uses', redundancyGroup: '' });
    expect(plain.redundancyGroup).toBeNull();
    await ok(svc, 'createRelationship', { source: 'cl-kafka', target: 'db-2', type: 'runs_on', redundancyGroup: 'dbs', minUp: 2 });
    // member_of points from the member to the cluster that depends on it: the group is the cluster's.
    await ok(svc, 'createCi', { key: 'node-1', fields: { type: 'server', name: 'node-1' } });
    await ok(svc, 'createRelationship', { source: 'node-1', target: 'cl-kafka', type: 'member_of', redundancyGroup: 'nodes', minUp: 1 });
    const member = await fails(svc, 'createRelationship', {
      source: 'db-3',
      target: 'cl-kafka',
      type: 'member_of',
      redundancyGroup: 'nodes',
      minUp: 3,
    });
    expect(member.message).toMatch(/^Redundancy group "nodes" of cl-kafka has min_up 1, and this one gives 3\./);
  });
});

describe('text through the API as an import would store it', () => {
  it('trims keys, names and fields, reads no-break spaces as spaces and accents composed (NFC); blank fields are empty', async () => {
    const svc = freshService();
    const ci = await ok(svc, 'createCi', {
      key: '  caf\u0065\u0301-db\u00a0 ',
      fields: { type: ' database ', name: ' Caf\u0065\u0301\u00a0DB ', owner: '   ', status: ' operational ' },
    });
    expect(ci).toMatchObject({ key: 'caf\u00e9-db', name: 'Caf\u00e9 DB', type: 'database', owner: null, status: 'operational' });
    // Found by the key as typed, with spaces or in the other form.
    expect((await ok(svc, 'getCi', { key: ' caf\u0065\u0301-db' })).ci.id).toBe(ci.id);
    const app = await ok(svc, 'createCi', { key: 'app', fields: { type: 'application', name: 'App' } });
    const rel = await ok(svc, 'createRelationship', { source: 'app ', target: 'caf\u0065\u0301-db', type: 'depends_on' });
    expect(rel).toMatchObject({ source: app.key, target: 'caf\u00e9-db' });
    const updated = await ok(svc, 'updateCi', { key: 'caf\u00e9-db', fields: { owner: ' Team\u202fA ' } });
    expect(updated.owner).toBe('Team A');
  });

  it('refuses a key, name or type that is only spaces, saying which', async () => {
    const svc = freshService();
    expect((await fails(svc, 'createCi', { key: '   ', fields: { type: 'server', name: 'x' } })).message).toMatch(/key cannot be empty/);
    expect((await fails(svc, 'createCi', { fields: { type: 'server', name: ' \u00a0 ' } })).message).toMatch(/name cannot be empty/);
    expect((await fails(svc, 'createCi', { fields: { type: '  ', name: 'x' } })).message).toMatch(/type cannot be empty/);
    await ok(svc, 'createCi', { key: 'x', fields: { type: 'server', name: 'x' } });
    expect((await fails(svc, 'updateCi', { key: 'x', fields: { name: '  ' } })).message).toMatch(/name cannot be empty/);
    // Refused at the door, naming the field (shared/well-formed.ts); the store refuses it too, for callers inside the engine.
    expect((await fails(svc, 'updateCi', { key: 'x', fields: { owner: 'a\0b' } })).message).toMatch(/fields\.owner: the text holds a NUL/);
    expect(() => svc.store.updateCi('x', { owner: 'a\0b' }, 'ui')).toThrow(/owner cannot hold a NUL/);
  });
});
