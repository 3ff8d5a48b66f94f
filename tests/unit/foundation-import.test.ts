/**
 * Import of the default CSV formats: the demo inventory, the export -> import
 * round trip, and bad input, which must be rejected with file, line and
 * column and leave the database exactly as it was.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CmdbService } from '../../electron/cmdb/service.js';
import type { CiFields } from '../../shared/domain.js';
import { cmdbContent as content, csvDataRows, DEMO_CIS, DEMO_RELS, demoCsv, dumpDb, fails, freshService, ok } from './helpers.js';

async function importDemo(svc: CmdbService) {
  return ok(svc, 'importCsv', demoCsv());
}

describe('import of the demo CMDB', () => {
  it('imports every row with no error and no flagged type', async () => {
    const svc = freshService();
    const r = await importDemo(svc);
    const ciRows = csvDataRows(DEMO_CIS);
    const relRows = csvDataRows(DEMO_RELS);
    expect(ciRows).toBeGreaterThanOrEqual(500);
    expect(ciRows).toBeLessThanOrEqual(800);
    expect(r.errors).toEqual([]);
    expect(r.importId).not.toBeNull();
    expect(r.counts).toMatchObject({ created: ciRows, updated: 0, rejected: 0, relationshipsCreated: relRows, relationshipsRejected: 0 });
    expect(r.createdTypes).toEqual([]);
    expect(r.createdRelTypes).toEqual([]);
    const stats = await ok(svc, 'stats', {});
    expect(stats).toMatchObject({ cis: ciRows, relationships: relRows, flaggedTypes: [] });
    expect(stats.lastImportAt).not.toBeNull();
    const types = await ok(svc, 'getTypes', {});
    expect(types.ciTypes.filter((t) => t.flagged)).toEqual([]);
    expect(types.relTypes.filter((t) => t.flagged)).toEqual([]);
    // Every relationship type of the registry is used, and the estate has what the brief asks for.
    expect(types.relTypes.filter((t) => t.count === 0).map((t) => t.name)).toEqual([]);
    const count = (type: string) => stats.byType.find((t) => t.type === type)?.count ?? 0;
    for (const type of ['business_service', 'application', 'database', 'message_queue', 'kubernetes_cluster', 'kubernetes_node']) {
      expect(count(type), type).toBeGreaterThan(0);
    }
    for (const type of ['virtual_machine', 'hypervisor', 'load_balancer', 'network_device', 'storage', 'dns', 'cloud_resource', 'saas']) {
      expect(count(type), type).toBeGreaterThan(0);
    }
  });

  it('gives the answers an engineer expects about checkout', async () => {
    const svc = freshService();
    await importDemo(svc);
    const checkout = await ok(svc, 'getCi', { key: 'bs-checkout' });
    expect(checkout.ci).toMatchObject({
      type: 'business_service',
      criticality: 'critical',
      status: 'operational',
      environment: 'production',
    });
    const lbs = checkout.outgoing.filter((r) => r.other.type === 'load_balancer');
    expect(lbs.map((r) => r.other.key).sort()).toEqual(['lb-edge-prod-01', 'lb-edge-prod-02']);
    expect(lbs.every((r) => r.redundancyGroup === 'edge-load-balancers' && r.minUp === 1)).toBe(true);
    // Kafka: three brokers, the cluster needs two.
    const kafka = await ok(svc, 'getCi', { key: 'mq-kafka-prod' });
    const brokers = kafka.incoming.filter((r) => r.type === 'member_of' && r.redundancyGroup === 'kafka-prod-brokers');
    expect(brokers).toHaveLength(3);
    expect(brokers.every((r) => r.minUp === 2)).toBe(true);
    // Upstream of checkout reaches the orders database primary; the email provider is only used softly.
    const up = await ok(svc, 'neighbourhood', { key: 'bs-checkout', depth: 4, direction: 'upstream', maxNodes: 5000 });
    expect(up.nodes.map((n) => n.key)).toContain('db-orders-primary');
    const mail = await ok(svc, 'getCi', { key: 'saas-sendgrid' });
    expect(mail.incoming.map((r) => `${r.other.key} ${r.type}`)).toContain('app-notification-service uses');
    // Searching finds the service first.
    expect((await ok(svc, 'listCis', { query: 'checkout' })).items[0]!.key).toBe('bs-checkout');
    // Staging is a separate copy.
    expect((await ok(svc, 'getCi', { key: 'app-checkout-api-stg' })).ci.environment).toBe('staging');
  });

  it('re-imports the same files as unchanged, writing no new history', async () => {
    const svc = freshService();
    await importDemo(svc);
    const historyRows = svc.db.prepare('SELECT count(*) FROM history').pluck().get();
    const r = await importDemo(svc);
    expect(r.counts).toMatchObject({ created: 0, updated: 0, unchanged: csvDataRows(DEMO_CIS), relationshipsCreated: 0 });
    expect(r.counts.relationshipsUnchanged).toBe(csvDataRows(DEMO_RELS));
    expect(svc.db.prepare('SELECT count(*) FROM history').pluck().get()).toBe(historyRows);
  });

  it('writes nothing in a dry run, but reports what it would do', async () => {
    const svc = freshService();
    const before = dumpDb(svc.db);
    const r = await ok(svc, 'importCsv', { ...demoCsv(), dryRun: true });
    expect(r.dryRun).toBe(true);
    expect(r.counts.created).toBe(csvDataRows(DEMO_CIS));
    expect(dumpDb(svc.db)).toBe(before);
  });
});

describe('export -> import round trip', () => {
  it('is lossless for the demo: every CI, attribute and relationship comes back, and re-exports identically', async () => {
    const a = freshService();
    await importDemo(a);
    const exported = await ok(a, 'exportCsv', {});
    const b = freshService();
    const r = await ok(b, 'importCsv', {
      cis: { name: 'out-cis.csv', content: exported.cis },
      relationships: { name: 'out-rels.csv', content: exported.relationships },
    });
    expect(r.errors).toEqual([]);
    expect(content(b)).toEqual(content(a));
    expect((await ok(b, 'exportCsv', {})).cis).toBe(exported.cis);
    expect((await ok(b, 'exportCsv', {})).relationships).toBe(exported.relationships);
  });

  it('keeps awkward values: delimiters, quotes, line breaks, unicode, formulas, numbers-as-text, sparse attributes', async () => {
    const a = freshService();
    const awkward: Array<{ key: string; fields: CiFields }> = [
      { key: 'a,1', fields: { type: 'application', name: 'Comma, "quoted" name', description: 'line one\nline two\r\nline "three"' } },
      {
        key: 'b',
        fields: { type: 'database', name: 'Ünïcödé – 数据库 😀', owner: 'équipe', attributes: { port: '007', formula: '=1+2' } },
      },
      { key: 'c', fields: { type: 'Custom Thing', name: 'flagged type', attributes: { 'odd column; name': 'x;y', empty_looking: '0' } } },
      { key: 'd', fields: { type: 'server', name: 'plain', status: 'retired', environment: 'staging', criticality: 'low' } },
    ];
    for (const c of awkward) await ok(a, 'createCi', c);
    await ok(a, 'createRelationship', { source: 'a,1', target: 'b', type: 'depends_on', redundancyGroup: 'g "1"', minUp: 2 });
    await ok(a, 'createRelationship', { source: 'd', target: 'b', type: 'depends_on', redundancyGroup: 'g "1"', minUp: 2 });
    await ok(a, 'createRelationship', { source: 'c', target: 'd', type: 'backup_of', attributes: { note: 'nightly, "full"' } });
    // Exact: the safe default would write the formula as '=1+2.
    const exported = await ok(a, 'exportCsv', { exact: true });
    const b = freshService();
    await ok(b, 'importCsv', {
      cis: { name: 'x.csv', content: exported.cis },
      relationships: { name: 'y.csv', content: exported.relationships },
    });
    expect(content(b)).toEqual(content(a));
    expect((await ok(b, 'getTypes', {})).ciTypes.find((t) => t.name === 'custom_thing')?.flagged).toBe(true);
  });
});

describe('bad imports are rejected with file, line and column, and change nothing', () => {
  const RELS_HEADER = 'source,target,type,redundancy_group,min_up\n';
  const cases: Array<{
    what: string;
    input: Record<string, { name: string; content: string }>;
    code: 'IMPORT_REJECTED' | 'CSV_ERROR';
    file: string;
    line: number;
    column: string | null | undefined;
  }> = [
    {
      what: 'an unknown relationship endpoint',
      input: {
        relationships: {
          name: 'rels.csv',
          content: `${RELS_HEADER}bs-checkout,app-checkout-api,depends_on,,\nbs-checkout,ghost-ci,depends_on,,\n`,
        },
      },
      code: 'IMPORT_REJECTED',
      file: 'rels.csv',
      line: 3,
      column: 'target',
    },
    {
      what: 'an unknown relationship source',
      input: { relationships: { name: 'rels.csv', content: `${RELS_HEADER}ghost-ci,app-checkout-api,depends_on,,\n` } },
      code: 'IMPORT_REJECTED',
      file: 'rels.csv',
      line: 2,
      column: 'source',
    },
    {
      what: 'a missing required column',
      input: { cis: { name: 'cis.csv', content: 'id,name,status\nx,X,operational\n' } },
      code: 'CSV_ERROR',
      file: 'cis.csv',
      line: 1,
      column: 'type',
    },
    {
      what: 'a missing required relationship column',
      input: { relationships: { name: 'rels.csv', content: 'source,type\nbs-checkout,depends_on\n' } },
      code: 'CSV_ERROR',
      file: 'rels.csv',
      line: 1,
      column: 'target',
    },
    {
      what: 'malformed quoting',
      input: {
        cis: { name: 'cis.csv', content: 'id,name,type\nnew-1,New 1,application\nnew-2,"New 2,application\nnew-3,New 3,application\n' },
      },
      code: 'IMPORT_REJECTED',
      file: 'cis.csv',
      line: 3,
      column: undefined,
    },
    {
      what: 'a ragged row',
      input: { cis: { name: 'cis.csv', content: 'id,name,type\nnew-1,New 1,application\nnew-2,New 2,application,surplus\n' } },
      code: 'IMPORT_REJECTED',
      file: 'cis.csv',
      line: 3,
      column: undefined,
    },
    {
      what: 'a duplicate key',
      input: {
        cis: { name: 'cis.csv', content: 'id,name,type\nnew-1,New 1,application\nnew-2,New 2,application\nnew-1,Again,application\n' },
      },
      code: 'IMPORT_REJECTED',
      file: 'cis.csv',
      line: 4,
      column: 'id',
    },
    {
      what: 'a min_up of 0',
      input: { relationships: { name: 'rels.csv', content: `${RELS_HEADER}bs-checkout,app-checkout-api,depends_on,g,0\n` } },
      code: 'IMPORT_REJECTED',
      file: 'rels.csv',
      line: 2,
      column: 'min_up',
    },
    {
      what: 'a min_up that is not a number',
      input: { relationships: { name: 'rels.csv', content: `${RELS_HEADER}bs-checkout,app-checkout-api,depends_on,g,two\n` } },
      code: 'IMPORT_REJECTED',
      file: 'rels.csv',
      line: 2,
      column: 'min_up',
    },
    {
      what: 'a missing name, after good rows in both files',
      input: {
        cis: { name: 'cis.csv', content: 'id,name,type\nnew-1,New 1,application\nnew-2,,application\n' },
        relationships: { name: 'rels.csv', content: `${RELS_HEADER}new-1,bs-checkout,uses,,\n` },
      },
      code: 'IMPORT_REJECTED',
      file: 'cis.csv',
      line: 3,
      column: 'name',
    },
  ];

  // One demo CMDB on disk for all cases: each must leave it exactly as it was.
  let svc: CmdbService;
  let before: string;
  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cmdb-bad-import-'));
    svc = CmdbService.open(join(dir, 'demo.db'), { source: 'test' });
    await importDemo(svc);
    before = dumpDb(svc.db);
    return () => {
      svc.close();
      rmSync(dir, { recursive: true, force: true });
    };
  });

  for (const c of cases) {
    it(`${c.what}: ${c.code} at ${c.file} line ${c.line}${c.column ? `, column ${c.column}` : ''}`, async () => {
      const err = await fails(svc, 'importCsv', c.input);
      expect(err.code).toBe(c.code);
      expect(err.message).toContain(`${c.file} line ${c.line}`);
      expect(err.message).not.toMatch(/\n/);
      const details = err.details as { errors?: Array<Record<string, unknown>>; file?: string; line?: number; column?: unknown };
      const first = details.errors ? details.errors[0]! : details;
      expect(first).toMatchObject({ file: c.file, line: c.line });
      expect(first).toHaveProperty('column');
      if (c.column !== undefined) expect(first.column).toBe(c.column);
      if (c.column) expect(err.message).toMatch(new RegExp(`\\b${c.column}\\b`));
      expect(dumpDb(svc.db)).toBe(before);
    });
  }

  it('reports every bad row, not only the first', async () => {
    const s = freshService();
    const err = await fails(s, 'importCsv', {
      cis: { name: 'cis.csv', content: 'id,name,type\na,,application\nb,B,\nc,C,application\nc,C again,application\n' },
    });
    expect(err.code).toBe('IMPORT_REJECTED');
    const lines = (err.details as { errors: Array<{ line: number }> }).errors.map((e) => e.line);
    expect(lines).toEqual([2, 3, 5]);
    expect((await ok(s, 'stats', {})).cis).toBe(0);
  });

  it('refuses an empty request and an empty file', async () => {
    const s = freshService();
    expect((await fails(s, 'importCsv', {})).code).toBe('INVALID_REQUEST');
    const empty = await fails(s, 'importCsv', { cis: { name: 'empty.csv', content: '' } });
    expect(empty.code).toBe('CSV_ERROR');
    expect(empty.message).toContain('empty.csv');
  });
});
