/**
 * The Compare screen's data (renderer/src/compare/model.ts, relLines.ts):
 * rows, filters, summary, default points, the relationships of one CI across
 * two points and a saved change's compare, from hand-built engine answers and
 * from the engine's own diff of a small CMDB.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Baseline, Diff, ImpactCompare } from '../../shared/baseline.js';
import { formatValue } from '../../shared/format.js';
import {
  countLine,
  defaultPoints,
  diffErrorNext,
  diffRows,
  fieldEntries,
  filterRows,
  impactCompareSections,
  isEmptyDiff,
  NO_FILTER,
  ownerOptions,
  summaryOf,
  toggle,
} from '../../renderer/src/compare/model.js';
import { ciRelLines, lineCounts, relElements } from '../../renderer/src/compare/relLines.js';
import { freshService, ok, tempDir } from './helpers.js';

const ci = (key: string, type: string, owner: string | null) => ({ key, name: key.toUpperCase(), type, owner });
const rel = (source: string, type: string, target: string) => ({ source, target, type });

function diff(over: Partial<Diff> = {}): Diff {
  return {
    from: 'v1',
    to: 'now',
    provenance: {
      cmdb: '/data/cmdb.db',
      from: { kind: 'baseline', at: '2026-12-01T09:00:00.000Z', note: null },
      to: { kind: 'now', at: '2026-12-02T09:00:00.000Z', note: null },
      types: null,
    },
    cis: {
      added: [ci('app-2', 'application', 'team-app')],
      removed: [ci('web-2', 'server', 'team-web')],
      changed: [
        {
          ...ci('db-1', 'database', 'team-dba'),
          fields: {
            'attributes.rack': { from: 'R3', to: 'R9' },
            owner: { from: 'team-db', to: 'team-dba' },
            status: { from: 'operational', to: null },
          },
        },
      ],
    },
    relationships: {
      added: [rel('app-2', 'depends_on', 'db-1')],
      removed: [rel('app-1', 'runs_on', 'web-2')],
      changed: [{ ...rel('app-1', 'runs_on', 'web-1'), fields: { minUp: { from: 1, to: 2 } } }],
    },
    types: { added: ['queue'], removed: [] },
    counts: {
      cisAdded: 1,
      cisRemoved: 1,
      cisChanged: 1,
      cisRetired: 0,
      relationshipsAdded: 1,
      relationshipsRemoved: 1,
      relationshipsChanged: 1,
    },
    truncated: false,
    ...over,
  };
}

describe('diffRows', () => {
  it('lists every CI, relationship and type with its kind, CIs first, each id unique', () => {
    const rows = diffRows(diff());
    expect(rows.map((r) => `${r.entity}:${r.kind}:${r.id}`)).toEqual([
      'ci:added:ci:app-2',
      'ci:removed:ci:web-2',
      'ci:changed:ci:db-1',
      'relationship:added:rel:app-2>depends_on>db-1',
      'relationship:removed:rel:app-1>runs_on>web-2',
      'relationship:changed:rel:app-1>runs_on>web-1',
      'type:added:type:queue',
    ]);
    expect(new Set(rows.map((r) => r.id)).size).toBe(rows.length);
    expect(rows.find((r) => r.id === 'ci:db-1')!.fields!.owner).toEqual({ from: 'team-db', to: 'team-dba' });
    expect(rows.find((r) => r.id === 'ci:app-2')!.fields).toBeUndefined();
  });
});

describe('filterRows', () => {
  const rows = diffRows(diff());
  const ids = (f: Partial<typeof NO_FILTER>) => filterRows(rows, { ...NO_FILTER, ...f }).map((r) => r.id);

  it('keeps everything without a filter', () => {
    expect(ids({})).toHaveLength(rows.length);
  });
  it('by kind of change and by what changed, together', () => {
    expect(ids({ kinds: ['removed'] })).toEqual(['ci:web-2', 'rel:app-1>runs_on>web-2']);
    expect(ids({ kinds: ['added'], entities: ['ci', 'type'] })).toEqual(['ci:app-2', 'type:queue']);
    expect(ids({ entities: ['relationship'], kinds: ['changed'] })).toEqual(['rel:app-1>runs_on>web-1']);
  });
  it('by owner: its CIs and the relationships with an end among them; no type', () => {
    expect(ids({ owners: ['team-dba'] })).toEqual(['ci:db-1', 'rel:app-2>depends_on>db-1']);
    expect(ids({ owners: ['team-web', 'team-app'] })).toEqual([
      'ci:app-2',
      'ci:web-2',
      'rel:app-2>depends_on>db-1',
      'rel:app-1>runs_on>web-2',
    ]);
    expect(ids({ owners: [null] })).toEqual([]);
  });
  it('by text in a key, a name or a relationship end, any letter case', () => {
    expect(ids({ text: '  WEB-2 ' })).toEqual(['ci:web-2', 'rel:app-1>runs_on>web-2']);
    expect(ids({ text: 'queue' })).toEqual(['type:queue']);
  });
});

describe('summary, owners, fields', () => {
  it('counts come from the engine (they cover entries a limit left out)', () => {
    const d = diff({ counts: { ...diff().counts, cisChanged: 5000 }, truncated: true });
    expect(summaryOf(d).find((s) => s.label === 'CIs changed')!.value).toBe(5000);
    expect(summaryOf(d).find((s) => s.label === 'Types added')!.value).toBe(1);
    expect(isEmptyDiff(d)).toBe(false);
    // The CIs a sync retired since are said apart, under the changed ones (found by a tester).
    expect(summaryOf(d).find((s) => s.label === 'CIs changed')!.note).toBeUndefined();
    const retired = diff({ counts: { ...diff().counts, cisChanged: 49, cisRetired: 24 } });
    expect(summaryOf(retired).find((s) => s.label === 'CIs changed')!.note).toBe('24 of them retired');
  });
  it("the list's count line says how many changes there are in all when the lists were cut", () => {
    const d = diff();
    expect(countLine(6, 6, d, 10_000)).toBe('6 changes');
    expect(countLine(2, 6, d, 10_000)).toBe('2 of 6 changes');
    // 500 CIs added and 10,000 of 50,000 changed listed, 1,437 relationships changed: 11,937 listed of 51,937.
    const cut = diff({
      counts: {
        cisAdded: 500,
        cisRemoved: 0,
        cisChanged: 50_000,
        cisRetired: 0,
        relationshipsAdded: 0,
        relationshipsRemoved: 0,
        relationshipsChanged: 1437,
      },
      types: { added: [], removed: [] },
      truncated: true,
    });
    expect(countLine(11_937, 11_937, cut, 10_000)).toBe('11,937 of 51,937 changes listed (at most 10,000 of each kind; export for all)');
    expect(countLine(10_000, 11_937, cut, 10_000)).toBe(
      '10,000 shown of 11,937 listed of 51,937 changes (at most 10,000 of each kind; export for all)',
    );
  });
  it('a damaged baseline gets no generic "open another CMDB" step: the message says to delete that baseline', () => {
    expect(diffErrorNext('DB_CORRUPT')).toBeNull();
    expect(diffErrorNext('NOT_FOUND')).toBeUndefined();
  });
  it('an empty diff is empty, a types-only diff is not', () => {
    const none = diff({
      cis: { added: [], removed: [], changed: [] },
      relationships: { added: [], removed: [], changed: [] },
      types: { added: [], removed: [] },
      counts: {
        cisAdded: 0,
        cisRemoved: 0,
        cisChanged: 0,
        cisRetired: 0,
        relationshipsAdded: 0,
        relationshipsRemoved: 0,
        relationshipsChanged: 0,
      },
    });
    expect(isEmptyDiff(none)).toBe(true);
    expect(isEmptyDiff({ ...none, types: { added: [], removed: ['old'] } })).toBe(false);
  });
  it('owners of the CIs, the most frequent first, with not set as null', () => {
    const rows = diffRows(diff({ cis: { ...diff().cis, added: [ci('a', 'server', 'team-web'), ci('b', 'server', null)] } }));
    expect(ownerOptions(rows)).toEqual([
      { owner: 'team-web', count: 2 },
      { owner: null, count: 1 },
      { owner: 'team-dba', count: 1 },
    ]);
  });
  it('core fields before attributes, each sorted; values read through the one formatter', () => {
    const f = fieldEntries(diff().cis.changed[0]!.fields);
    expect(f.map((x) => x.field)).toEqual(['owner', 'status', 'attributes.rack']);
    expect([formatValue(f[1]!.from), formatValue(f[1]!.to), formatValue(['a', 1])]).toEqual(['operational', '∅', '["a",1]']);
  });
  it('toggle adds and removes', () => {
    expect(toggle(toggle(['a'], 'b'), 'a')).toEqual(['b']);
  });
});

describe('defaultPoints', () => {
  const b = (name: string, createdAt: string): Baseline => ({
    name,
    note: null,
    createdAt,
    schemaVersion: 7,
    cis: 1,
    relationships: 0,
    bytes: 4096,
  });
  const list = [b('old', '2026-11-01T10:00:00.000Z'), b('newest', '2026-12-01T10:00:00.000Z'), b('mid', '2026-11-15T10:00:00.000Z')];
  it('the newest baseline against now unless the address names the points', () => {
    expect(defaultPoints({}, list)).toEqual({ from: 'newest', to: 'now' });
    expect(defaultPoints({ from: 'old', to: 'mid' }, list)).toEqual({ from: 'old', to: 'mid' });
    expect(defaultPoints({ to: 'old' }, list)).toEqual({ from: 'newest', to: 'old' });
  });
  it('none without a baseline; an unknown name is kept so the engine refuses it with the list', () => {
    expect(defaultPoints({}, [])).toBeNull();
    expect(defaultPoints({ from: 'nope' }, list)).toEqual({ from: 'nope', to: 'now' });
  });
});

describe('ciRelLines', () => {
  it('to now: the diff’s lines with their state, the live rest as in both, a removed one never live', () => {
    const live = [rel('app-1', 'runs_on', 'web-1'), rel('app-1', 'uses', 'cache-1')];
    const lines = ciRelLines('app-1', diff(), live);
    expect(lines.map((l) => `${l.source}>${l.type}>${l.target}:${l.state}`).sort()).toEqual([
      'app-1>runs_on>web-1:changed',
      'app-1>runs_on>web-2:removed',
      'app-1>uses>cache-1:same',
    ]);
    expect(lineCounts(lines)).toEqual({ added: 0, removed: 1, changed: 1, same: 1 });
  });
  it('between two baselines: only what differs (the live CMDB is neither point)', () => {
    const lines = ciRelLines('db-1', { ...diff(), to: 'v2' }, [rel('app-9', 'depends_on', 'db-1')]);
    expect(lines).toEqual([{ source: 'app-2', target: 'db-1', type: 'depends_on', state: 'added' }]);
  });
  it('from now: live relationships not named by the diff are in both', () => {
    const d = { ...diff(), from: 'now', to: 'v1' };
    const lines = ciRelLines('db-1', d, [rel('app-2', 'depends_on', 'db-1'), rel('app-9', 'depends_on', 'db-1')]);
    expect(lines.map((l) => l.state).sort()).toEqual(['added', 'same']);
  });
  it('as elements: the CI in the centre once, each end once, each line an edge with its state', () => {
    const els = relElements('app-1', ciRelLines('app-1', diff(), null), new Map([['web-2', 'Web 2']]));
    expect(els.nodes.map((n) => n.data)).toEqual([
      { id: 'app-1', label: 'app-1', centre: 1 },
      { id: 'web-2', label: 'Web 2', centre: 0 },
      { id: 'web-1', label: 'web-1', centre: 0 },
    ]);
    expect(els.edges.map((e) => e.data.state)).toEqual(['removed', 'changed']);
  });
});

describe('impactCompareSections', () => {
  it("names each CI (the names known now first, else the answer's own: a CI deleted since by the baseline's), says each state in words and leaves out empty lists", () => {
    const c: ImpactCompare = {
      baseline: 'v1',
      baselineAt: '2026-12-01T10:00:00.000Z',
      newlyImpacted: [{ key: 'bs-1', name: 'Checkout (old)', state: 'down' }],
      noLongerImpacted: [],
      stateChanged: [{ key: 'bs-2', name: 'Payments', from: 'degraded', to: 'down' }],
      missingKeys: [],
      missingNow: [],
    };
    expect(impactCompareSections(c, new Map([['bs-1', 'Checkout']]))).toEqual([
      { id: 'newly', label: 'Newly impacted', items: [{ key: 'bs-1', name: 'Checkout', note: 'down' }] },
      { id: 'state', label: 'State changed', items: [{ key: 'bs-2', name: 'Payments', note: 'degraded → down' }] },
    ]);
    const gone: ImpactCompare = {
      ...c,
      newlyImpacted: [],
      stateChanged: [],
      noLongerImpacted: [{ key: 'bill-1', name: 'Billing', state: 'down' }],
    };
    expect(impactCompareSections(gone, new Map())).toEqual([
      { id: 'gone', label: 'No longer impacted', items: [{ key: 'bill-1', name: 'Billing', note: 'was down' }] },
    ]);
  });
});

describe('with the engine', () => {
  it('rows and filters over a real diff: an edited owner, an attribute, a deleted relationship', async () => {
    const svc = freshService(join(tempDir(), 'cmdb.db'));
    await ok(svc, 'importCsv', {
      cis: { name: 'cis.csv', content: 'id,name,type,owner,rack\nweb-1,Web 1,server,team-web,R1\napp-1,App 1,application,team-app,\n' },
      relationships: { name: 'rels.csv', content: 'source,target,type\napp-1,web-1,runs_on\n' },
    });
    await ok(svc, 'saveBaseline', { name: 'before', note: null });
    await ok(svc, 'updateCi', { key: 'web-1', fields: { owner: 'team-ops', attributes: { rack: 'R7' } } });
    const app = await ok(svc, 'getCi', { key: 'app-1' });
    await ok(svc, 'deleteRelationship', { id: app.outgoing[0]!.id });
    const d = await ok(svc, 'diff', { from: 'before', to: 'now', limit: 100 });
    const rows = diffRows(d);
    expect(rows.map((r) => `${r.kind}:${r.id}`)).toEqual(['changed:ci:web-1', 'removed:rel:app-1>runs_on>web-1']);
    expect(fieldEntries(rows[0]!.fields!)).toEqual([
      { field: 'owner', from: 'team-web', to: 'team-ops' },
      { field: 'attributes.rack', from: 'R1', to: 'R7' },
    ]);
    // The CI has the new owner; its removed relationship is kept with it.
    expect(filterRows(rows, { ...NO_FILTER, owners: ['team-ops'] }).map((r) => r.id)).toEqual(['ci:web-1', 'rel:app-1>runs_on>web-1']);
    svc.close();
  });
});
