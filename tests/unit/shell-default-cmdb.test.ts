import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFromDemo, openDefaultCmdb } from '../../electron/cmdb/default-cmdb.js';

let dir: string;
let demo: { cis: string; relationships: string };

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'cmdb-default-'));
  demo = { cis: join(dir, 'cis.csv'), relationships: join(dir, 'relationships.csv') };
  writeFileSync(demo.cis, 'id,name,type\nsvc-a,Service A,service\nsrv-1,Server 1,server\n');
  writeFileSync(demo.relationships, 'source,target,type\nsvc-a,srv-1,runs_on\n');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('openDefaultCmdb', () => {
  it('creates a missing CMDB from the demo, then reopens it as it is', async () => {
    const path = join(dir, 'nested', 'cmdb.db');
    const first = await openDefaultCmdb({ path, demo });
    expect(first).toMatchObject({ path, created: true, fromDemo: true });
    const stats = await first.service.call('stats', {});
    expect(stats).toMatchObject({ ok: true, value: { cis: 2, relationships: 1 } });
    await first.service.call('deleteCi', { key: 'svc-a' });
    first.service.close();
    // No temporary files are left beside it.
    expect(readdirSync(join(dir, 'nested')).filter((f) => f.includes('creating'))).toEqual([]);

    const second = await openDefaultCmdb({ path, demo });
    expect(second).toMatchObject({ created: false, fromDemo: false });
    expect(await second.service.call('stats', {})).toMatchObject({ ok: true, value: { cis: 1 } });
    second.service.close();
  });

  it('creates an empty CMDB when the demo inventory is missing', async () => {
    const path = join(dir, 'empty.db');
    const r = await openDefaultCmdb({ path, demo: { cis: join(dir, 'none.csv'), relationships: join(dir, 'none2.csv') } });
    expect(r).toMatchObject({ created: true, fromDemo: false });
    expect(await r.service.call('stats', {})).toMatchObject({ ok: true, value: { cis: 0 } });
    r.service.close();
  });

  it('leaves no file behind when the demo cannot be imported', async () => {
    writeFileSync(demo.cis, 'id,name,type\nsvc-a,,service\n');
    const path = join(dir, 'bad.db');
    await expect(createFromDemo(path, demo)).rejects.toMatchObject({ code: expect.any(String) });
    expect(existsSync(path)).toBe(false);
    expect(readdirSync(dir).filter((f) => f.startsWith('bad.db'))).toEqual([]);
  });

  it('refuses to overwrite an existing file', async () => {
    const path = join(dir, 'exists.db');
    writeFileSync(path, '');
    await expect(createFromDemo(path, demo)).rejects.toMatchObject({ code: 'CONFLICT' });
  });
});
