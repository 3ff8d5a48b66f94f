import { describe, expect, it } from 'vitest';
import { freshService, ok } from './helpers.js';

describe('export always writes a file that import reads back', () => {
  it('attribute keys that differ only in case, or are named like a core column, still re-import', async () => {
    const svc = freshService();
    await ok(svc, 'importCsv', { cis: { name: 'a.csv', content: 'id,name,type,Port,rack\nweb-1,Web 1,server,443,R1\n' } });
    await ok(svc, 'importCsv', { cis: { name: 'b.csv', content: 'id,name,type,port\nweb-2,Web 2,server,8443\n' } });
    await ok(svc, 'createCi', {
      key: 'app-1',
      fields: { name: 'App', type: 'application', attributes: { Status: 'from a form', ' ': 'blank key' } },
    });
    const out = await ok(svc, 'exportCsv', {});
    const header = out.cis.split('\n')[0]!;
    expect(header).toBe('id,name,type,status,environment,owner,criticality,description,Port,rack,Status (attribute)');

    const copy = freshService();
    const r = await ok(copy, 'importCsv', { cis: { name: 'cis.csv', content: out.cis } });
    expect(r.errors).toEqual([]);
    expect((await ok(copy, 'getCi', { key: 'web-1' })).ci.attributes).toEqual({ Port: '443', rack: 'R1' });
    expect((await ok(copy, 'getCi', { key: 'web-2' })).ci.attributes).toEqual({ Port: '8443' });
    const app = (await ok(copy, 'getCi', { key: 'app-1' })).ci;
    expect(app.status).toBeNull();
    expect(app.attributes).toEqual({ 'Status (attribute)': 'from a form' });
  });
});
