/**
 * The service serves the contract through handler slices, one per area of
 * the engine: together they cover every method exactly once (the compiler
 * checks the whole map; this checks no area also claims another's method),
 * and `call` reaches each through the map, never through a method of its own.
 */
import { describe, expect, it } from 'vitest';
import { CLOSE_SEARCHED } from '../../electron/cmdb/resolve-cis.js';
import { ciRefProblemsSchema, METHOD_NAMES } from '../../shared/api.js';
import type { ImpactResult } from '../../shared/impact.js';
import {
  baselineHandlers,
  browseHandlers,
  exportHandlers,
  fileHandlers,
  graphHandlers,
  healthHandlers,
  impactHandlers,
  importHandlers,
  mergeHandlers,
  pageHandlers,
  storeHandlers,
} from '../../electron/cmdb/handlers.js';
import { Search } from '../../electron/cmdb/search.js';
import { fails, freshService, ok } from './helpers.js';

describe('handler slices', () => {
  it('cover every method of the contract exactly once', () => {
    const svc = freshService();
    const search = new Search(svc.db);
    const slices = [
      browseHandlers(svc.db, svc.path, search),
      storeHandlers(svc.store, 'test'),
      pageHandlers(svc.store, search),
      importHandlers(svc.imports),
      fileHandlers(svc.imports.files),
      exportHandlers(svc.db),
      impactHandlers(svc.impacts),
      baselineHandlers(svc.baselines),
      graphHandlers(svc.db),
      mergeHandlers(svc.merges),
      healthHandlers(svc.health, svc.store, 'test'),
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

/** A CMDB with names made to collide: two CIs named "Web", one "Mail" and one "mail", a key that is another CI's name. */
async function namedService() {
  const svc = freshService();
  const add = (key: string, name: string, type: string) => ok(svc, 'createCi', { key, fields: { name, type } });
  await add('app-web', 'Web', 'application');
  await add('srv-web', 'Web', 'server');
  await add('app-mail', 'Mail', 'application');
  await add('srv-mail', 'mail', 'server');
  await add('db', 'Database', 'database');
  await add('app-db', 'db', 'application');
  await add('bs-shop', 'Online Shop', 'business_service');
  await ok(svc, 'createRelationship', { source: 'bs-shop', target: 'app-web', type: 'depends_on' });
  await ok(svc, 'createRelationship', { source: 'app-web', target: 'db', type: 'depends_on' });
  return svc;
}

describe('resolveCis: a CI by key, or by a name only one CI has', () => {
  it('takes keys and unique names, exact case first, then any case', async () => {
    const svc = await namedService();
    const r = await ok(svc, 'resolveCis', { refs: ['srv-web', 'Database', 'online shop', 'Mail', 'mail'] });
    expect(r.cis.map((c) => [c.ref, c.key, c.matchedBy])).toEqual([
      ['srv-web', 'srv-web', 'key'],
      ['Database', 'db', 'name'],
      ['online shop', 'bs-shop', 'name'],
      ['Mail', 'app-mail', 'name'],
      ['mail', 'srv-mail', 'name'],
    ]);
    expect(r.cis[1]).toMatchObject({ name: 'Database', type: 'database' });
  });

  it('reads a ref as an import stores text: trimmed, and in NFC (a key copied from a file saved on a Mac)', async () => {
    const svc = freshService();
    await ok(svc, 'importCsv', { cis: { name: 'c.csv', content: 'id,name,type\ncafe\u0301-01,Cafe\u0301 server,server\n' } });
    const r = await ok(svc, 'resolveCis', { refs: ['cafe\u0301-01', ' café-01 ', 'Cafe\u0301 server ', 'Café\u00a0server'] });
    expect(r.cis.map((c) => [c.ref, c.key, c.matchedBy])).toEqual([
      ['cafe\u0301-01', 'café-01', 'key'],
      [' café-01 ', 'café-01', 'key'],
      ['Cafe\u0301 server ', 'café-01', 'name'],
      ['Café\u00a0server', 'café-01', 'name'],
    ]);
  });

  it('an exact key wins over another CI with that name', async () => {
    const svc = await namedService();
    expect((await ok(svc, 'resolveCis', { refs: ['db'] })).cis[0]).toMatchObject({ key: 'db', matchedBy: 'key' });
  });

  it('refuses a shared name with its candidates (key and type), and a ref that names nothing', async () => {
    const svc = await namedService();
    const amb = await fails(svc, 'resolveCis', { refs: ['Web', 'nothing-here'] });
    expect(amb.code).toBe('AMBIGUOUS');
    expect(amb.message).toContain('"Web" is the name of 2 CIs: app-web (application), srv-web (server). Give one of their keys.');
    expect(amb.message).toContain('No CI has the key or name "nothing-here", and none matches its words.');
    expect(ciRefProblemsSchema.parse(amb.details).problems).toEqual([
      {
        ref: 'Web',
        problem: 'ambiguous',
        candidates: [
          { key: 'app-web', name: 'Web', type: 'application' },
          { key: 'srv-web', name: 'Web', type: 'server' },
        ],
        more: 0,
      },
      { ref: 'nothing-here', problem: 'not_found', candidates: [], more: 0 },
    ]);
    const missing = await fails(svc, 'resolveCis', { refs: ['WEB-X'] });
    expect(missing.code).toBe('NOT_FOUND');
  });

  it('names the close matches of a ref that names nothing: the best of a search for its words', async () => {
    const svc = await namedService();
    const typo = await fails(svc, 'resolveCis', { refs: ['online'] });
    expect(typo.code).toBe('NOT_FOUND');
    expect(typo.message).toBe('No CI has the key or name "online". Close matches: bs-shop (Online Shop).');
    expect(ciRefProblemsSchema.parse(typo.details).problems).toEqual([
      { ref: 'online', problem: 'not_found', candidates: [{ key: 'bs-shop', name: 'Online Shop', type: 'business_service' }], more: 0 },
    ]);
    // More than CLOSE_SHOWN: the first five, and how many more.
    for (let i = 1; i <= 7; i++) await ok(svc, 'createCi', { key: `app-pay-${i}`, fields: { name: `Payments ${i}`, type: 'application' } });
    const many = ciRefProblemsSchema.parse((await fails(svc, 'resolveCis', { refs: ['Payments'] })).details).problems[0]!;
    expect([many.candidates.length, many.more]).toEqual([5, 2]);
  });

  it('searches for the first CLOSE_SEARCHED refs that name nothing only: many gone keys cost no more', async () => {
    const svc = await namedService();
    // "Web" with 1, 2, ... trailing dots: no CI has that name, and each is a search for "Web".
    const refs = Array.from({ length: CLOSE_SEARCHED + 2 }, (_, i) => `Web${'.'.repeat(i + 1)}`);
    const err = await fails(svc, 'resolveCis', { refs });
    const problems = ciRefProblemsSchema.parse(err.details).problems;
    expect(problems.map((p) => p.candidates.length)).toEqual([...refs.slice(0, CLOSE_SEARCHED).map(() => 2), 0, 0]);
    expect(err.message).toContain('No CI has the key or name "Web.". Close matches: app-web (Web), srv-web (Web).');
    expect(err.message).toMatch(new RegExp(`No CI has the key or name "Web\\.{${CLOSE_SEARCHED + 2}}"\\.$`));
  });

  it('is open to every door (the app and the web page may resolve what a person typed)', async () => {
    const svc = await namedService();
    for (const door of ['renderer', 'web'] as const)
      expect((await ok(svc, 'resolveCis', { refs: ['Online Shop'] }, door)).cis[0]!.key).toBe('bs-shop');
  });
});

describe('exportImpact: an analysis as a report, without saving a change', () => {
  it('lists every impacted CI, whatever the request limit, titled by the changed CIs', async () => {
    const svc = await namedService();
    const request = { keys: ['db'], limit: 1 };
    const all = await ok(svc, 'impact', { keys: ['db'] });
    expect(all.counts.total).toBeGreaterThan(1);
    const csv = await ok(svc, 'exportImpact', { request, format: 'csv' }, 'web');
    expect(csv).toMatchObject({ filename: 'impact-db.csv', mime: 'text/csv; charset=utf-8' });
    const rows = csv.content.trim().split('\r\n');
    expect(rows[0]).toBe('key,name,type,owner,criticality,state,depth,changed,path,why,data_quality');
    expect(
      rows
        .slice(1)
        .map((l) => l.split(',')[0])
        .sort(),
    ).toEqual(all.impacted.map((i) => i.key).sort());
    const md = await ok(svc, 'exportImpact', { request, format: 'markdown' }, 'renderer');
    expect(md.content.startsWith('# Impact of Database (db)\n')).toBe(true);
    expect(md.content).toContain('Database \\<-\\[depends\\_on\\]- Web');
    const html = await ok(svc, 'exportImpact', { request, format: 'html' });
    expect(html.content).toContain('<h1>Impact of Database (db)</h1>');
    const json = JSON.parse((await ok(svc, 'exportImpact', { request, format: 'json' })).content) as ImpactResult;
    expect(json.impacted).toHaveLength(all.counts.total);
    expect(json.truncated).toBe(false);
  });

  it('streams the same answer as a call, piece by piece, and an unknown CI as one error envelope', async () => {
    const svc = await namedService();
    const req = { request: { keys: ['db'] }, format: 'csv' };
    const called = await svc.call('exportImpact', req, 'web');
    const pieces: string[] = [];
    for await (const piece of svc.stream('exportImpact', req, 'web')) pieces.push(piece);
    expect(pieces.length).toBeGreaterThan(2);
    expect(JSON.parse(pieces.join(''))).toEqual(called);
    const failed: string[] = [];
    for await (const piece of svc.stream('exportImpact', { request: { keys: ['nope'] }, format: 'csv' }, 'web')) failed.push(piece);
    expect(failed).toHaveLength(1);
    expect(JSON.parse(failed[0]!)).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });
});
