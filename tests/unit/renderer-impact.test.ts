/** The Impact screen's pure parts (subgraph, table filter and sort) and the import wizard's CSV helpers. */
import { describe, expect, it } from 'vitest';
import type { ImpactCi, ImpactResult } from '../../shared/impact.js';
import { criticalityOptions, filterAndSort, impactSubgraph, listFootText, savedChangeCounts } from '../../renderer/src/impact/model.js';
import { withinHops } from '../../shared/explain.js';
import { formatWindow, parseWindow } from '../../renderer/src/impact/window.js';
import { errorsCsv } from '../../renderer/src/import/files.js';
import { encodingLabel } from '../../shared/import.js';

const step = (key: string, rel: string | null, type = 'application') => ({ key, name: key.toUpperCase(), type, rel });

function ci(key: string, state: 'down' | 'degraded', path: string[], extra: Partial<ImpactCi> = {}): ImpactCi {
  return {
    key,
    name: key.toUpperCase(),
    type: 'application',
    owner: null,
    criticality: null,
    state,
    depth: path.length - 1,
    changed: path.length === 1,
    path: path.map((k, i) => step(k, i === 0 ? null : 'depends_on')),
    ...extra,
  };
}

function result(impacted: ImpactCi[]): ImpactResult {
  return {
    direction: 'downstream',
    changed: [{ key: 'db', name: 'DB', type: 'database', owner: null, criticality: null }],
    types: ['depends_on'],
    depthLimit: null,
    impacted,
    truncated: false,
    counts: { changed: 0, down: 0, degraded: 0, total: impacted.length, byType: [], byCriticality: [] },
    businessServices: [],
    owners: [],
    risk: { level: 'low', reasons: [] },
    durationMs: 1,
  };
}

describe('impactSubgraph', () => {
  const r = result([
    ci('db', 'down', ['db']),
    ci('a', 'down', ['db', 'a']),
    ci('b', 'down', ['db', 'a', 'b']),
    ci('c', 'degraded', ['db', 'c']),
    ci('d', 'degraded', ['db', 'c', 'd']),
  ]);

  it('draws the union of the paths with each CI once and each step as an edge', () => {
    const g = impactSubgraph(r, 100);
    expect(g.nodes.map((n) => [n.key, n.state]).sort()).toEqual([
      ['a', 'down'],
      ['b', 'down'],
      ['c', 'degraded'],
      ['d', 'degraded'],
      ['db', 'changed'],
    ]);
    expect(g.edges.map((e) => `${e.source}>${e.target}`).sort()).toEqual(['a>b', 'c>d', 'db>a', 'db>c']);
    expect([g.shown, g.omitted]).toEqual([5, 0]);
  });

  it("colours a path's step that is not listed by the state the engine gave it on the path (found by a CAB chair)", () => {
    // Only the service is listed; the hypervisor on its path is down, and was drawn as unaffected.
    const svc = ci('svc', 'down', ['san', 'hv', 'svc']);
    svc.path[1] = { ...svc.path[1]!, state: 'down' };
    const g = impactSubgraph(result([svc]), 100);
    expect(g.nodes.find((n) => n.key === 'hv')?.state).toBe('down');
  });

  it('draws each edge the way its relationship runs, not the way the impact travelled', () => {
    const lb = ci('lb', 'down', ['lb']);
    const svc = ci('svc', 'degraded', ['lb', 'svc']);
    svc.path[1] = { ...svc.path[1]!, rel: 'depends_on', forward: false };
    const g = impactSubgraph(result([lb, svc]), 100);
    expect(g.edges.map((e) => `${e.source}>${e.target}:${e.rel}`)).toEqual(['svc>lb:depends_on']);
  });

  it("draws a failed redundancy group's other lost members beside the one its path runs through (both changed, one group)", () => {
    const lb1 = ci('lb1', 'down', ['lb1']);
    const lb2 = ci('lb2', 'down', ['lb2']);
    const app = ci('app', 'down', ['lb1', 'app']);
    const group = { label: 'edge', members: 2, lost: 2, minUp: 1, up: [], upMore: 0, lostKeys: ['lb1', 'lb2'], failed: true };
    app.path[1] = { ...app.path[1]!, forward: false, why: { kind: 'group', strength: 'hard', group } };
    const g = impactSubgraph(result([lb1, lb2, app]), 100);
    expect(g.edges.map((e) => `${e.source}>${e.target}:${e.rel}`).sort()).toEqual(['app>lb1:depends_on', 'app>lb2:depends_on']);
    // A lost member not drawn is not added: the graph draws only what it lists.
    const alone = impactSubgraph(result([lb1, app]), 100);
    expect(alone.edges.map((e) => `${e.source}>${e.target}`)).toEqual(['app>lb1']);
  });

  it('stops at the cap, most severe first, says how many it left out, and always draws the selected CI', () => {
    const g = impactSubgraph(r, 3);
    expect(g.nodes.map((n) => n.key).sort()).toEqual(['a', 'b', 'db']);
    expect(g.omitted).toBe(2);
    const withSel = impactSubgraph(r, 3, 'd');
    expect(withSel.nodes.map((n) => n.key).sort()).toEqual(['a', 'b', 'c', 'd', 'db']);
  });
});

describe('the impacted list under a depth limit (found by a tester)', () => {
  it('says the CIs are those within the limit, of how many at any depth, not "the most severe of" them all', () => {
    expect(withinHops(1)).toBe('within 1 hop');
    expect(withinHops(2)).toBe('within 2 hops');
    expect(listFootText({ shown: 8, rows: 8, total: 34, depthLimit: 1, truncated: false })).toBe(
      '8 CIs within 1 hop · 34 at any depth: export for all',
    );
    expect(listFootText({ shown: 3, rows: 500, total: 900, depthLimit: 2, truncated: true })).toBe(
      '3 of 500 CIs within 2 hops, the most severe · 900 at any depth: export for all',
    );
    expect(listFootText({ shown: 5, rows: 5, total: 5, depthLimit: 1, truncated: false })).toBe('5 CIs within 1 hop');
    // Without a limit, as before.
    expect(listFootText({ shown: 8, rows: 8, total: 34, depthLimit: null, truncated: true })).toBe(
      '8 CIs · the most severe of 34: export for all',
    );
  });
});

describe('filterAndSort', () => {
  const rows = [
    ci('x', 'degraded', ['db', 'x'], { criticality: 'low', type: 'server', owner: 'team-b' }),
    ci('y', 'down', ['db', 'y'], { criticality: 'critical', owner: 'team-a' }),
    ci('z', 'down', ['db', 'q', 'z'], { criticality: 'high' }),
  ];
  const none = { state: '' as const, type: '', criticality: '', text: '' };

  it('filters by state, type, criticality and text (key, name, owner)', () => {
    expect(filterAndSort(rows, { ...none, state: 'down' }, null, false).map((r) => r.key)).toEqual(['y', 'z']);
    expect(filterAndSort(rows, { ...none, type: 'server' }, null, false).map((r) => r.key)).toEqual(['x']);
    expect(filterAndSort(rows, { ...none, criticality: 'high' }, null, false).map((r) => r.key)).toEqual(['z']);
    expect(filterAndSort(rows, { ...none, text: 'TEAM-A' }, null, false).map((r) => r.key)).toEqual(['y']);
  });

  it('sorts by criticality rank and depth, both ways, keeping the engine order on ties', () => {
    expect(filterAndSort(rows, none, 'criticality', false).map((r) => r.key)).toEqual(['y', 'z', 'x']);
    expect(filterAndSort(rows, none, 'criticality', true).map((r) => r.key)).toEqual(['x', 'z', 'y']);
    expect(filterAndSort(rows, none, 'depth', false).map((r) => r.key)).toEqual(['x', 'y', 'z']);
    expect(filterAndSort(rows, none, 'state', false).map((r) => r.key)).toEqual(['y', 'z', 'x']);
  });

  it('sorts criticality on the registry scale: other vocabularies by what they mean, unknown values last', () => {
    const mixed = [
      ci('low', 'down', ['db', 'low'], { criticality: 'low' }),
      ci('none', 'down', ['db', 'none'], { criticality: null }),
      ci('odd', 'down', ['db', 'odd'], { criticality: 'whatever' }),
      ci('sn1', 'down', ['db', 'sn1'], { criticality: '1 - most critical' }),
      ci('mc', 'down', ['db', 'mc'], { criticality: 'Mission Critical' }),
      ci('hi', 'down', ['db', 'hi'], { criticality: 'High' }),
    ];
    const keys = filterAndSort(mixed, none, 'criticality', false).map((r) => r.key);
    expect(keys.slice(0, 2).sort()).toEqual(['mc', 'sn1']);
    expect(keys.slice(2)).toEqual(['hi', 'low', 'none', 'odd']);
  });

  it('offers the criticality filter in severity order, not alphabetically (found by a tester: critical|high|low|medium)', () => {
    const of = (...values: Array<string | null>) => values.map((c, i) => ci(`c${i}`, 'down', ['db', `c${i}`], { criticality: c }));
    expect(criticalityOptions(of('low', 'medium', null, 'whatever', 'high', 'critical', 'low', 'Mission Critical'))).toEqual([
      'critical',
      'Mission Critical',
      'high',
      'medium',
      'low',
      'whatever',
    ]);
  });
});

describe('import helpers', () => {
  it('writes row errors as CSV, quoting commas and quotes', () => {
    expect(errorsCsv([{ file: 'a.csv', line: 4, column: 'CI Name', message: 'missing "name", fill it in' }])).toBe(
      '\uFEFFfile,line,column,message\r\na.csv,4,CI Name,"missing ""name"", fill it in"\r\n',
    );
    expect(errorsCsv([{ file: 'a.csv', line: 2, column: null, message: 'x' }])).toBe('\uFEFFfile,line,column,message\r\na.csv,2,,x\r\n');
  });

  it("names the engine's detected encodings for a person", () => {
    expect(['utf8', 'utf16le', 'utf16be', 'windows1252', 'macintosh'].map(encodingLabel)).toEqual([
      'UTF-8',
      'UTF-16 (little-endian)',
      'UTF-16 (big-endian)',
      'Windows-1252 (not UTF-8)',
      'Mac Roman (not UTF-8)',
    ]);
  });
});

describe('planned window', () => {
  it('writes local times with their zone and reads them back', () => {
    expect(formatWindow('2026-12-05T22:00', '2026-12-06T01:30', 'Europe/London')).toBe(
      '2026-12-05 22:00 to 2026-12-06 01:30 (Europe/London)',
    );
    expect(parseWindow('2026-12-05 22:00 to 2026-12-06 01:30 (Europe/London)')).toEqual({
      start: '2026-12-05T22:00',
      end: '2026-12-06T01:30',
    });
    expect(parseWindow('next Tuesday evening')).toEqual({ start: '', end: '' });
    expect(formatWindow('', '')).toBeNull();
  });
});

describe('a saved change in the list of saved changes', () => {
  it('counts with separators, as every count in the app (a CAB chair read "98864 down" beside "5,303 more")', () => {
    expect(savedChangeCounts({ down: 98_864, degraded: 1_203, window: null })).toBe('98,864 down · 1,203 degraded');
    expect(savedChangeCounts({ down: 0, degraded: 2, window: 'Sun 02:00-03:00 UTC' })).toBe('0 down · 2 degraded · Sun 02:00-03:00 UTC');
  });
});
