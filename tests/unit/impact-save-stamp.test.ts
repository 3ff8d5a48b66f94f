/**
 * A change's report right after its save says "saved (the CMDB has not changed since)" only when nothing changed
 * the CMDB from the save's evaluation on: another connection's commit during the save's walk makes it say the
 * change was re-evaluated, with the data as it is now.
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { downstreamImpact } from '../../electron/cmdb/impact/engine.js';
import { demoCsv, freshService, ok, tempDir } from './helpers.js';

vi.mock('../../electron/cmdb/impact/engine.js', async (importOriginal) => {
  const engine = await importOriginal<typeof import('../../electron/cmdb/impact/engine.js')>();
  return { ...engine, downstreamImpact: vi.fn(engine.downstreamImpact) };
});
const walks = vi.mocked(downstreamImpact);
const engine = await vi.importActual<typeof import('../../electron/cmdb/impact/engine.js')>('../../electron/cmdb/impact/engine.js');

describe('the report of a change just saved', () => {
  it('says "has not changed since" when nothing did, and "re-evaluated" after a commit during the save', async () => {
    const path = join(tempDir(), 'cmdb.db');
    const svc = freshService(path);
    await ok(svc, 'importCsv', demoCsv());
    await ok(svc, 'saveChange', { ref: 'CHG1', title: 'Orders DB patch', keys: ['db-orders-primary'] });
    const quiet = (await ok(svc, 'exportChange', { ref: 'CHG1', format: 'markdown' })).content;
    expect(quiet).toMatch(/saved \S+ \(the CMDB has not changed since\)/);
    // Another connection commits while the save walks the graph (its CIs already read).
    walks.mockImplementationOnce((...args) => {
      const other = new Database(path);
      other.prepare("UPDATE cis SET owner = 'team-orders-4' WHERE key = 'app-order-service'").run();
      other.close();
      return engine.downstreamImpact(...args);
    });
    await ok(svc, 'saveChange', { ref: 'CHG2', title: 'Orders DB patch again', keys: ['db-orders-primary'] });
    const md = (await ok(svc, 'exportChange', { ref: 'CHG2', format: 'markdown' })).content;
    expect(md).not.toMatch(/has not changed since/);
    expect(md).toMatch(/re-evaluated/);
    expect(md).toContain('team-orders-4');
    svc.close();
  });
});
