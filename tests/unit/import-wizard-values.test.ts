/**
 * The wizard's criticality and status value maps (renderer/src/import/wizard.ts):
 * which values it offers to map (the rows shown, read with the columns on
 * screen, and what dry runs named), how a choice becomes the mapping sent,
 * and a profile's value maps taken along.
 */
import { describe, expect, it } from 'vitest';
import type { Preview } from '../../shared/import.js';
import {
  buildMapping,
  buildRequest,
  emptyCellsOf,
  extrasOf,
  extrasText,
  type Entry,
  newEntry,
  sentMap,
  settingsKey,
  valueMapsOf,
  valuesToMap,
  withDryValues,
  withValueMap,
} from '../../renderer/src/import/wizard.js';

function entry(map: Record<string, string>, rows: string[][], more: Partial<Preview> = {}): Entry {
  const preview: Preview = {
    name: 'cis.csv',
    headers: ['Name', 'Class', 'Tier', 'State'],
    rows,
    encoding: 'utf8',
    delimiter: ',',
    kind: 'cis',
    suggested: { cis: { name: 'Name', type: 'Class' } },
    warnings: [],
    ignoredColumns: [],
    statusFallbacks: {},
    unrecognisedValues: [],
    ...more,
  };
  return { ...newEntry({ fileId: 'f1', name: 'cis.csv', size: 10 }, preview), map };
}

const ROWS = [
  ['a', 'server', 'Gold', 'Live'],
  ['b', 'server', 'Gold', 'Green'],
  ['c', 'server', 'high', 'Green'],
];

describe('wizard value maps', () => {
  it('offers the values of the rows shown, read with the columns mapped on screen, and those dry runs named', () => {
    const e = entry({ name: 'Name', type: 'Class', criticality: 'Tier', status: 'State' }, ROWS);
    const rowsRead = { inFile: false, of: 3 };
    expect(valuesToMap(e, [])).toEqual([
      { field: 'criticality', column: 'Tier', value: 'Gold', count: 2, ...rowsRead },
      { field: 'status', column: 'State', value: 'Green', count: 2, ...rowsRead },
    ]);
    const dry = [
      { field: 'criticality' as const, column: 'Tier', value: 'Gold', count: 120 },
      { field: 'criticality' as const, column: 'Tier', value: 'Bronze', count: 3 },
      // A dry run with another column mapped: not this mapping's values.
      { field: 'status' as const, column: 'Class', value: 'server', count: 3 },
    ];
    // A dry run's count is of the whole file: it replaces the first rows' (said apart: found by a tester, × 7 beside 6 rows shown).
    expect(valuesToMap(e, dry)).toEqual([
      { field: 'criticality', column: 'Tier', value: 'Gold', count: 120, inFile: true, of: 3 },
      { field: 'status', column: 'State', value: 'Green', count: 2, ...rowsRead },
      { field: 'criticality', column: 'Tier', value: 'Bronze', count: 3, inFile: true, of: 3 },
    ]);
    // Criticality not mapped to a column: nothing to offer for it.
    expect(valuesToMap(entry({ name: 'Name', type: 'Class' }, ROWS), dry)).toEqual([]);
  });

  it("offers a status read where the status column is empty from the engine's fallback column (install_status), in the rows shown and a dry run's", () => {
    // ServiceNow's export: operational_status empty for a server installed but not yet in operation.
    const sn = {
      headers: ['name', 'sys_class_name', 'operational_status', 'install_status'],
      suggested: { cis: { name: 'name', type: 'sys_class_name', status: 'operational_status' } },
      // The engine's preview: each status column's fallbacks, were it the status column.
      statusFallbacks: { operational_status: ['install_status'], install_status: ['operational_status'] },
    };
    const rows = [
      ['WIN-APP-07', 'cmdb_ci_win_server', '', 'Awaiting Rack'],
      ['WIN-APP-08', 'cmdb_ci_win_server', 'Operational', 'Awaiting Rack'],
      ['WIN-APP-09', 'cmdb_ci_win_server', 'Gold-ish', 'Installed'],
    ];
    const map = { name: 'name', type: 'sys_class_name', status: 'operational_status' };
    const e = entry(map, rows, sn);
    const fromFallback = { field: 'status' as const, column: 'install_status', fallbackOf: 'operational_status', value: 'Awaiting Rack' };
    // Only the row whose operational_status is empty reads install_status.
    const rowsRead = { inFile: false, of: 3 };
    expect(valuesToMap(e, [])).toEqual([
      { field: 'status', column: 'operational_status', value: 'Gold-ish', count: 1, ...rowsRead },
      { ...fromFallback, count: 1, ...rowsRead },
    ]);
    // A dry run's value from the fallback column is this mapping's too (it was dropped as another column's).
    expect(valuesToMap(e, [{ ...fromFallback, count: 40 }])).toContainEqual({ ...fromFallback, count: 40, inFile: true, of: 3 });
    // install_status mapped to another field on screen, or ignored by a profile: the import does not read it as the
    // status, so neither the rows shown nor an earlier dry run offer its values (found by a reviewer).
    const onlyOwn = [{ field: 'status', column: 'operational_status', value: 'Gold-ish', count: 1, ...rowsRead }];
    expect(valuesToMap(entry({ ...map, description: 'install_status' }, rows, sn), [{ ...fromFallback, count: 40 }])).toEqual(onlyOwn);
    expect(valuesToMap(e, [{ ...fromFallback, count: 40 }], ['INSTALL_STATUS'])).toEqual(onlyOwn);
    // The status mapped to install_status on screen: operational_status is read where it is empty (found by a reviewer).
    const other = entry({ ...map, status: 'install_status' }, rows, sn);
    expect(valuesToMap(other, [{ ...fromFallback, count: 40 }])).toEqual([
      { field: 'status', column: 'install_status', value: 'Awaiting Rack', count: 2, ...rowsRead },
    ]);
    const emptyInstall = [['WIN-APP-10', 'cmdb_ci_win_server', 'Gold-ish', '']];
    expect(valuesToMap(entry({ ...map, status: 'install_status' }, emptyInstall, sn), [])).toEqual([
      { field: 'status', column: 'operational_status', fallbackOf: 'install_status', value: 'Gold-ish', count: 1, inFile: false, of: 1 },
    ]);
  });

  it('a value read from the status column in some rows and from its fallback in others is counted once with all its rows', () => {
    const sn = {
      headers: ['name', 'sys_class_name', 'operational_status', 'install_status'],
      suggested: { cis: { name: 'name', type: 'sys_class_name', status: 'operational_status' } },
      statusFallbacks: { operational_status: ['install_status'] },
    };
    const rows = [
      ['a', 'server', 'Awaiting Rack', 'Installed'],
      ['b', 'server', '', 'Awaiting Rack'],
      ['c', 'server', '', 'Awaiting Rack'],
    ];
    const e = entry({ name: 'name', type: 'sys_class_name', status: 'operational_status' }, rows, sn);
    // Three rows hold it as their status (it was offered as 2, the larger of 1 and 2).
    expect(valuesToMap(e, [])).toEqual([
      { field: 'status', column: 'operational_status', value: 'Awaiting Rack', count: 3, inFile: false, of: 3 },
    ]);
    // A dry run's two entries are summed the same way; its reading, of the whole file, is kept.
    const dry = [
      { field: 'status' as const, column: 'operational_status', value: 'Awaiting Rack', count: 10 },
      { field: 'status' as const, column: 'install_status', fallbackOf: 'operational_status', value: 'Awaiting Rack', count: 30 },
    ];
    expect(valuesToMap(e, dry)).toEqual([
      { field: 'status', column: 'operational_status', value: 'Awaiting Rack', count: 40, inFile: true, of: 3 },
    ]);
    // A second dry run names them again: each reading once, with its newest count (two dry runs did add up).
    const twice = withDryValues(withDryValues([], { unrecognisedValues: dry }), { unrecognisedValues: dry });
    expect(valuesToMap(e, twice)).toEqual(valuesToMap(e, dry));
  });

  it('a choice becomes the value map sent (and changes the dry run key); as given removes it', () => {
    const e = entry({ name: 'Name', type: 'Class', criticality: 'Tier' }, ROWS);
    const maps = withValueMap({}, 'criticality', 'Gold', 'critical');
    expect(buildMapping([e], maps)).toEqual({
      cis: sentMap('cis', { name: 'Name', type: 'Class', criticality: 'Tier' }),
      criticalityValues: { Gold: 'critical' },
    });
    const base = { entries: [e], mode: 'upsert' as const, skipBad: false };
    expect(settingsKey({ ...base, valueMaps: maps })).not.toBe(settingsKey(base));
    const none = withValueMap(maps, 'criticality', 'Gold', null);
    expect(buildMapping([e], none)).toEqual({ cis: sentMap('cis', { name: 'Name', type: 'Class', criticality: 'Tier' }) });
    expect(settingsKey({ ...base, valueMaps: none })).toBe(settingsKey(base));
  });

  it("a profile's value maps are taken along, its type values and relationship type values with them", () => {
    const p = {
      name: 'house',
      createdAt: '',
      updatedAt: '',
      mapping: {
        cis: { name: 'Name' },
        criticalityValues: { Gold: 'critical' },
        typeValues: { box: 'server' },
        relTypeValues: { 'Feeds::Fed by': 'uses' },
      },
    };
    expect(valueMapsOf(p)).toEqual({
      criticalityValues: { Gold: 'critical' },
      typeValues: { box: 'server' },
      relTypeValues: p.mapping.relTypeValues,
    });
    expect(extrasOf(p)).toEqual({});
  });

  it('offers the type values a dry run found make a new type, read from the type column on screen; relTypeValues go with the relationships file', () => {
    const e = entry({ name: 'Name', type: 'Class' }, ROWS);
    const rels: Entry = {
      ...newEntry(
        { fileId: 'f2', name: 'deps.csv', size: 10 },
        { ...e.preview, name: 'deps.csv', headers: ['Parent', 'Child', 'Rel'], kind: 'relationships' },
      ),
      map: { source: 'Parent', target: 'Child', type: 'Rel' },
    };
    const storage = { field: 'type' as const, column: 'Class', value: 'Storage Array', type: 'storage_array', count: 2 };
    const feeds = { field: 'relType' as const, column: 'Rel', value: 'Feeds::Fed by', type: 'feeds', count: 3 };
    const dry = withDryValues([], {
      unrecognisedValues: [],
      newTypeValues: [storage, feeds, { ...storage, column: 'Kind', value: 'Box' }],
    });
    expect(valuesToMap(e, dry)).toEqual([{ ...storage, inFile: true, of: 0 }]);
    expect(valuesToMap(rels, dry)).toEqual([{ ...feeds, inFile: true, of: 0 }]);
    // Another column mapped as the type: the dry run's values are not this mapping's.
    expect(valuesToMap({ ...e, map: { name: 'Name', type: 'Tier' } }, dry)).toEqual([]);
    const maps = withValueMap(withValueMap({}, 'type', 'Storage Array', 'storage'), 'relType', 'Feeds::Fed by', 'uses');
    expect(buildMapping([e, rels], maps)).toEqual({
      cis: sentMap('cis', e.map),
      typeValues: { 'Storage Array': 'storage' },
      relationships: sentMap('relationships', rels.map),
      relTypeValues: { 'Feeds::Fed by': 'uses' },
    });
    expect(buildMapping([rels], maps)).toEqual({
      relationships: sentMap('relationships', rels.map),
      relTypeValues: { 'Feeds::Fed by': 'uses' },
    });
  });

  it('carries the rest of a profile as it is (ignore, ...), sent and named; found by a tester', () => {
    const p = {
      name: 'lansweeper',
      createdAt: '',
      updatedAt: '',
      mapping: {
        cis: { name: 'Name' },
        criticalityValues: { Gold: 'critical' },
        ignore: { cis: ['Notes'] },
        emptyTarget: 'skip' as const,
        shortRows: 'empty' as const,
      },
    };
    const extras = extrasOf(p);
    expect(extras).toEqual({ ignore: { cis: ['Notes'] }, emptyTarget: 'skip', shortRows: 'empty' });
    expect(extrasText(extras)).toBe(
      'Also from the profile: ignored columns (1), empty targets skipped, short rows read with empty last cells.',
    );
    expect(extrasText({})).toBeNull();
    const e = entry({ name: 'Name', type: 'Class' }, ROWS);
    const request = buildRequest({ entries: [e], mode: 'upsert', skipBad: false, valueMaps: valueMapsOf(p), extras });
    expect(request.mapping).toEqual({
      ...extras,
      cis: sentMap('cis', { name: 'Name', type: 'Class' }),
      criticalityValues: { Gold: 'critical' },
    });
    const base = { entries: [e], mode: 'upsert' as const, skipBad: false };
    expect(settingsKey({ ...base, extras })).not.toBe(settingsKey(base));
    expect(settingsKey({ ...base, extras: {} })).toBe(settingsKey(base));
  });

  it("empty cells: keep is sent as the mapping's emptyCells and changes the dry run key; a profile's is the choice, not an extra", () => {
    const e = entry({ name: 'Name', type: 'Class' }, ROWS);
    const base = { entries: [e], mode: 'upsert' as const, skipBad: false };
    expect(buildRequest({ ...base, emptyCells: 'keep' }).mapping).toEqual({
      cis: sentMap('cis', { name: 'Name', type: 'Class' }),
      emptyCells: 'keep',
    });
    // Clear is the engine's default: not sent, the same request as without the choice.
    expect(buildRequest({ ...base, emptyCells: 'clear' }).mapping).toEqual(buildRequest(base).mapping);
    expect(settingsKey({ ...base, emptyCells: 'keep' })).not.toBe(settingsKey(base));
    expect(settingsKey({ ...base, emptyCells: 'clear' })).toBe(settingsKey(base));
    const p = { name: 'partial', createdAt: '', updatedAt: '', mapping: { cis: { name: 'Name' }, emptyCells: 'keep' as const } };
    expect(emptyCellsOf(p)).toBe('keep');
    expect(extrasOf(p)).toEqual({});
    expect(emptyCellsOf({ ...p, mapping: { cis: { name: 'Name' } } })).toBe('clear');
  });
});
