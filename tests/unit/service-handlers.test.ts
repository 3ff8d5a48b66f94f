/**
 * The service serves the contract through handler slices, one per area of
 * the engine: together they cover every method exactly once (the compiler
 * checks the whole map; this checks no area also claims another's method),
 * and `call` reaches each through the map, never through a method of its own.
 */
import { describe, expect, it } from 'vitest';
import { METHOD_NAMES } from '../../shared/api.js';
import {
  browseHandlers,
  exportHandlers,
  fileHandlers,
  impactHandlers,
  importHandlers,
  storeHandlers,
} from '../../electron/cmdb/handlers.js';
import { Search } from '../../electron/cmdb/search.js';
import { freshService, ok } from './helpers.js';

describe('handler slices', () => {
  it('cover every method of the contract exactly once', () => {
    const svc = freshService();
    const slices = [
      browseHandlers(svc.db, svc.path, new Search(svc.db)),
      storeHandlers(svc.store, 'test'),
      importHandlers(svc.imports),
      fileHandlers(svc.imports.files),
      exportHandlers(svc.db),
      impactHandlers(svc.impacts),
    ];
    const names = slices.flatMap((s) => Object.keys(s));
    expect([...names].sort()).toEqual([...METHOD_NAMES].sort());
    expect(new Set(names).size).toBe(names.length);
    for (const s of slices) for (const h of Object.values(s)) expect(typeof h).toBe('function');
  });

  it('bound slices run each class method with its own class as this (ImpactService, ImportService)', async () => {
    const svc = freshService();
    await ok(svc, 'createCi', { key: 'a', fields: { name: 'A', type: 'server' } });
    const r = await ok(svc, 'impact', { keys: ['a'] });
    expect(r.changed.map((c) => c.key)).toEqual(['a']);
    expect((await ok(svc, 'listMappingProfiles', {})).items).toEqual([]);
  });

  it('an unknown method name fails inside the envelope: call never throws', async () => {
    const svc = freshService();
    const r = await svc.call('noSuchMethod' as never, {});
    expect(r.ok).toBe(false);
  });
});
