/** The import wizard's pure logic: mapping cleanup, required fields, the request, the dry-run settings key, profiles and progress text. */
import { describe, expect, it } from 'vitest';
import { type MappingProfile, newTypesLines, type Preview } from '../../shared/import.js';
import { contentTags } from '../../renderer/src/import/logFiles.js';
import {
  applyProfileTo,
  buildMapping,
  buildRequest,
  hasTwoOfAKind,
  isCsvName,
  isMissingRequired,
  jobPercent,
  mergeEntries,
  newEntry,
  MAP_FIELDS,
  profileFits,
  progressText,
  sentMap,
  settingsKey,
  suggestedMap,
  type Entry,
} from '../../renderer/src/import/wizard.js';

function preview(kind: 'cis' | 'relationships', headers: string[]): Preview {
  return {
    name: `${kind}.csv`,
    headers,
    rows: [],
    encoding: 'utf8',
    delimiter: ',',
    kind,
    suggested: { cis: { name: 'Name', type: 'Class' }, relationships: { source: 'From', target: 'To', type: 'Rel' } },
    statusFallbacks: {},
    warnings: [],
    ignoredColumns: [],
    unrecognisedValues: [],
  };
}

/** A field map as sent: every field of the kind, those not given as "" (read from no column). */
const sent = (kind: 'cis' | 'relationships', m: Record<string, string>) => ({
  ...Object.fromEntries(MAP_FIELDS[kind].map((f) => [f, ''])),
  ...m,
});

const cis = (name = 'cis.csv', size = 10): Entry =>
  newEntry({ fileId: `f-${name}`, name, size }, preview('cis', ['Name', 'Class', 'Owner', 'Notes']));
const rels = (name = 'rels.csv'): Entry =>
  newEntry({ fileId: `f-${name}`, name, size: 5 }, preview('relationships', ['From', 'To', 'Rel']));

describe('import wizard', () => {
  it('starts an entry with the suggestion for the kind its headers look like, as a copy', () => {
    const e = cis();
    expect(e.kind).toBe('cis');
    expect(e.map).toEqual({ name: 'Name', type: 'Class' });
    e.map.owner = 'Owner';
    expect(e.preview.suggested.cis).toEqual({ name: 'Name', type: 'Class' });
    expect(suggestedMap(e.preview, 'relationships')).toEqual({ source: 'From', target: 'To', type: 'Rel' });
  });

  it('sends every field the card shows: one shown as none, left out or chosen so, as ""', () => {
    expect(sentMap('cis', { name: 'Name', type: '', owner: undefined, status: 'S' })).toEqual({
      id: '',
      name: 'Name',
      type: '',
      status: 'S',
      environment: '',
      owner: '',
      criticality: '',
      description: '',
    });
    const e = { ...cis(), map: { name: 'Name', type: 'Class', owner: '' } };
    expect(buildMapping([e, rels()])).toEqual({
      cis: sent('cis', { name: 'Name', type: 'Class' }),
      relationships: sent('relationships', { source: 'From', target: 'To', type: 'Rel' }),
    });
    expect(buildMapping([])).toEqual({});
  });

  it('a CIs file re-labelled as relationships sends its type as none: its `type` column (physical/virtual) is not read (found by a tester)', () => {
    // A Device42 devices export added twice, the second held as relationships: no relationship suggestion.
    const headers = ['device_id', 'name', 'type', 'virtual_host', 'os'];
    const p: Preview = { ...preview('cis', headers), suggested: { cis: { id: 'device_id', name: 'name', type: 'type' } } };
    const second = newEntry({ fileId: 'f2', name: 'devices (2).csv', size: 9 }, p);
    const asRels: Entry = { ...second, kind: 'relationships', map: suggestedMap(p, 'relationships') };
    const mapped: Entry = { ...asRels, map: { ...asRels.map, source: 'device_id', target: 'virtual_host' }, defaults: { type: 'runs_on' } };
    expect(buildMapping([mapped]).relationships).toEqual(sent('relationships', { source: 'device_id', target: 'virtual_host' }));
    expect(buildMapping([mapped]).relationships?.type).toBe('');
    expect(buildMapping([mapped]).relDefaults).toEqual({ type: 'runs_on' });
  });

  it('asks for the required fields of each kind present', () => {
    expect(isMissingRequired([])).toBe(false);
    expect(isMissingRequired([cis(), rels()])).toBe(false);
    expect(isMissingRequired([{ ...cis(), map: { name: 'Name' } }])).toBe(true);
    expect(isMissingRequired([{ ...rels(), map: { source: 'From', type: 'Rel' } }])).toBe(true);
    // A relationships file alone needs no CI fields.
    expect(isMissingRequired([rels()])).toBe(false);
    // An update-only file of keys (id,owner) needs no name or type: its CIs keep theirs; without a key it does.
    const keysOnly = { ...cis(), map: { id: 'Id', owner: 'Owner' } };
    expect(isMissingRequired([keysOnly], 'update-only')).toBe(false);
    expect(isMissingRequired([keysOnly], 'upsert')).toBe(true);
    expect(isMissingRequired([{ ...cis(), map: { owner: 'Owner' } }], 'update-only')).toBe(true);
  });

  it('takes one file of each kind', () => {
    expect(hasTwoOfAKind([cis(), rels()])).toBe(false);
    expect(hasTwoOfAKind([cis('a.csv'), cis('b.csv')])).toBe(true);
    expect(hasTwoOfAKind([rels('a.csv'), rels('b.csv')])).toBe(true);
  });

  it('builds the request from the files by id, the mapping, the mode and the error policy', () => {
    expect(buildRequest({ entries: [cis(), rels()], mode: 'sync', skipBad: true })).toEqual({
      cis: { fileId: 'f-cis.csv' },
      relationships: { fileId: 'f-rels.csv' },
      mapping: {
        cis: sent('cis', { name: 'Name', type: 'Class' }),
        relationships: sent('relationships', { source: 'From', target: 'To', type: 'Rel' }),
      },
      mode: 'sync',
      skipBadRows: true,
    });
    expect(buildRequest({ entries: [rels()], mode: 'upsert', skipBad: false })).toEqual({
      relationships: { fileId: 'f-rels.csv' },
      mapping: { relationships: sent('relationships', { source: 'From', target: 'To', type: 'Rel' }) },
      mode: 'upsert',
      skipBadRows: false,
    });
    // The source typed (the CLI's --source), trimmed; left empty, the engine's default.
    expect(buildRequest({ entries: [cis()], mode: 'sync', skipBad: false, source: ' inv.csv ' }).source).toBe('inv.csv');
    expect(buildRequest({ entries: [cis()], mode: 'sync', skipBad: false, source: '  ' })).not.toHaveProperty('source');
    expect(settingsKey({ entries: [cis()], mode: 'sync', skipBad: false, source: 'a' })).not.toBe(
      settingsKey({ entries: [cis()], mode: 'sync', skipBad: false }),
    );
  });

  it('changes the settings key with anything that changes a dry run, and only then', () => {
    const base = { entries: [cis()], mode: 'upsert' as const, skipBad: false };
    const k = settingsKey(base);
    expect(settingsKey({ ...base, entries: [cis()] })).toBe(k);
    // A field chosen as none is sent as one left out (both shown as none): the same mapping; a column is another.
    expect(settingsKey({ ...base, entries: [{ ...cis(), map: { ...cis().map, owner: '' } }] })).toBe(k);
    expect(settingsKey({ ...base, entries: [{ ...cis(), map: { ...cis().map, owner: 'Owner' } }] })).not.toBe(k);
    expect(settingsKey({ ...base, mode: 'sync' })).not.toBe(k);
    expect(settingsKey({ ...base, skipBad: true })).not.toBe(k);
    expect(settingsKey({ ...base, entries: [cis('cis.csv', 11)] })).not.toBe(k);
    expect(settingsKey({ ...base, entries: [{ ...cis(), map: { name: 'Name', type: 'Owner' } }] })).not.toBe(k);
    expect(settingsKey({ ...base, entries: [{ ...cis(), kind: 'relationships' }] })).not.toBe(k);
  });

  it('a saved profile fits the files loaded when they have every column it names, for the kinds loaded (found by a new user)', () => {
    const p = (mapping: MappingProfile['mapping']): MappingProfile => ({ name: 'weekly', mapping, createdAt: '', updatedAt: '' });
    const both = p({ cis: { name: 'name', owner: 'Owner' }, relationships: { source: 'From', target: 'To', type: 'Rel' } });
    expect(profileFits(both, [cis(), rels()])).toBe(true);
    // Only the CIs file loaded: its columns are judged alone.
    expect(profileFits(both, [cis()])).toBe(true);
    // A column the file lacks: it does not fit.
    expect(profileFits(p({ cis: { name: 'Name', status: 'Lifecycle Status' } }), [cis()])).toBe(false);
    // Value maps alone, or a field read from no column, name no column to judge: not offered.
    expect(profileFits(p({ statusValues: { Live: 'operational' } }), [cis()])).toBe(false);
    expect(profileFits(p({ cis: { id: '' } }), [cis()])).toBe(false);
    // A relationships profile with only a CIs file loaded names no column of it.
    expect(profileFits(p({ relationships: { source: 'From' } }), [cis()])).toBe(false);
  });

  it('applies a profile only with the headers a file has, and leaves a kind the profile lacks alone', () => {
    const profile = {
      name: 'p',
      mapping: { cis: { name: 'Name', owner: 'Owner', status: 'Missing' } },
      createdAt: '',
      updatedAt: '',
    };
    // Status names a header this file lacks, and type is not named: both keep the suggestion.
    const applied = applyProfileTo(cis(), profile);
    expect(applied.map).toEqual({ name: 'Name', type: 'Class', owner: 'Owner' });
    // The column it lacks is kept for the card to say (it changed the field silently: found by a tester).
    expect(applied.lacking).toEqual({ profile: 'p', columns: [{ field: 'status', column: 'Missing' }] });
    // Another profile, whose columns the file has: nothing lacking any more.
    expect(applyProfileTo(applied, { ...profile, mapping: { cis: { name: 'Name' } } }).lacking).toBeUndefined();
    // A field the profile reads from no column stays so.
    expect(applyProfileTo(cis(), { ...profile, mapping: { cis: { name: 'Name', id: '' } } }).map).toEqual({
      name: 'Name',
      type: 'Class',
      id: '',
    });
    // A header named in another case is the file's header; a column the profile puts in another field leaves the suggestion.
    expect(applyProfileTo(cis(), { ...profile, mapping: { cis: { owner: 'class' } } }).map).toEqual({ name: 'Name', owner: 'Class' });
    const r = rels();
    expect(applyProfileTo(r, profile)).toBe(r);
  });

  it('names new CI types and new relationship types apart (a name that is both, once each); a dry run says they would be added', () => {
    expect(newTypesLines({ createdTypes: ['physical', 'virtual'], createdRelTypes: ['virtual'] }, true)).toEqual([
      'New CI types would be added to the registry and flagged for review: physical, virtual',
      'New relationship types would be added to the registry and flagged for review, each read as a hard depends_on (the source goes down with the target) until mapped to a known type (relTypeValues in a mapping, docs/import.md): virtual',
    ]);
    expect(newTypesLines({ createdTypes: ['rack'], createdRelTypes: [] }, false)).toEqual([
      'New CI types added to the registry and flagged for review: rack',
    ]);
    expect(newTypesLines({ createdTypes: [], createdRelTypes: [] }, false)).toEqual([]);
    // The app points to the file card's box, where the dry run's type values are offered for mapping.
    expect(newTypesLines({ createdTypes: ['storage_array'], createdRelTypes: ['feeds'] }, true, 'app')).toEqual([
      'New CI types would be added to the registry and flagged for review (map them to a known CI type in the file card’s “Values to map” box): storage_array',
      'New relationship types would be added to the registry and flagged for review, each read as a hard depends_on (the source goes down with the target) until mapped to a known type (map them to a known relationship type in the file card’s “Values to map” box): feeds',
    ]);
  });

  it('applies a partial profile over the suggestion, a JSON key path (tags.Name) as given: an AWS Config query (found by a tester)', () => {
    const headers = ['resourceId', 'resourceName', 'resourceType', 'awsRegion', 'configuration.instanceType', 'tags'];
    const p: Preview = {
      ...preview('cis', headers),
      suggested: { cis: { id: 'resourceId', name: 'resourceName', type: 'resourceType' } },
    };
    const aws = newEntry({ fileId: 'f-aws', name: 'aws.csv', size: 9 }, p);
    const profile = { name: 'aws', mapping: { cis: { name: 'tags.Name', owner: 'tags.Owner' } }, createdAt: '', updatedAt: '' };
    const applied = applyProfileTo(aws, profile);
    expect(applied.map).toEqual({ id: 'resourceId', name: 'tags.Name', type: 'resourceType', owner: 'tags.Owner' });
    expect(isMissingRequired([applied])).toBe(false);
    expect(buildMapping([applied]).cis).toEqual(
      sent('cis', { id: 'resourceId', name: 'tags.Name', type: 'resourceType', owner: 'tags.Owner' }),
    );
    // A header of that exact name is its own column; a key of a column the file lacks, or of a relationship field, is no column.
    const other = { ...profile, mapping: { cis: { description: 'configuration.instanceType', environment: 'labels.env' } } };
    expect(applyProfileTo(aws, other).map).toMatchObject({ description: 'configuration.instanceType' });
    expect(applyProfileTo(aws, other).map).not.toHaveProperty('environment');
  });

  it('replaces a file of the same name when files are added again', () => {
    const merged = mergeEntries([cis('a.csv'), rels('b.csv')], [cis('b.csv', 99)]);
    expect(merged.map((e) => [e.file.name, e.kind, e.file.size])).toEqual([
      ['a.csv', 'cis', 10],
      ['b.csv', 'cis', 99],
    ]);
  });

  it('takes CSV, TSV and text files by name', () => {
    expect(['a.csv', 'B.TSV', 'c.txt'].every(isCsvName)).toBe(true);
    expect(['a.xlsx', 'csv', 'a.csv.gz'].some(isCsvName)).toBe(false);
  });

  it('tells the progress in percent and in words', () => {
    const job = { jobId: 'j', rowsDone: 500, total: 2000, rate: 1200, phase: 'writing', cancelling: false };
    expect(jobPercent(null)).toBeNull();
    expect(jobPercent({ ...job, total: null })).toBeNull();
    expect(jobPercent(job)).toBe(25);
    expect(jobPercent({ ...job, rowsDone: 2500 })).toBe(100);
    // The share of the files read, not a row total scaled from the rows so far (it read ~407,643 of 768,799).
    expect(progressText(job)).toBe('writing · 500 rows · 25% of the files read · 1,200 rows/s');
    expect(progressText({ ...job, total: null, rate: 0 })).toBe('writing · 500 rows');
    expect(progressText({ ...job, cancelling: true })).toBe('Cancelling: rolling back…');
  });
});

describe('import wizard defaults (the mapping’s ciDefaults and relDefaults)', () => {
  const noType = (): Entry => ({ ...cis(), map: { name: 'Name' } });
  const linkExport = (): Entry => ({ ...rels(), map: { source: 'From', target: 'To' } });

  it('counts a default type as the type: a file with no type column can run with one', () => {
    expect(isMissingRequired([noType()])).toBe(true);
    expect(isMissingRequired([{ ...noType(), defaults: { type: '  ' } }])).toBe(true);
    expect(isMissingRequired([{ ...noType(), defaults: { type: 'server' } }])).toBe(false);
    expect(isMissingRequired([linkExport()])).toBe(true);
    expect(isMissingRequired([{ ...linkExport(), defaults: { type: 'depends_on' } }])).toBe(false);
    // A default for a field that cannot have one does not stand in for its column.
    expect(isMissingRequired([{ ...cis(), map: { type: 'Class' }, defaults: { name: 'x' } }])).toBe(true);
  });

  it('sends the defaults typed (trimmed, empty ones left out) as ciDefaults and relDefaults', () => {
    const m = buildMapping([
      { ...noType(), defaults: { type: ' server ', environment: 'production', owner: '', name: 'ignored' } },
      { ...linkExport(), defaults: { type: 'depends_on' } },
    ]);
    expect(m).toEqual({
      cis: sent('cis', { name: 'Name' }),
      ciDefaults: { type: 'server', environment: 'production' },
      relationships: sent('relationships', { source: 'From', target: 'To' }),
      relDefaults: { type: 'depends_on' },
    });
    expect(buildMapping([cis(), rels()])).not.toHaveProperty('ciDefaults');
    expect(buildMapping([cis(), rels()])).not.toHaveProperty('relDefaults');
  });

  it('a changed default changes the dry-run key; a profile brings its defaults', () => {
    const base = { mode: 'upsert' as const, skipBad: false };
    const k = settingsKey({ ...base, entries: [{ ...noType(), defaults: { type: 'server' } }] });
    expect(settingsKey({ ...base, entries: [{ ...noType(), defaults: { type: 'application' } }] })).not.toBe(k);
    const profile = {
      name: 'p',
      mapping: { relationships: { source: 'From', target: 'To' }, relDefaults: { type: 'depends_on' } },
      createdAt: '',
      updatedAt: '',
    };
    const applied = applyProfileTo(rels(), profile);
    expect(applied.defaults).toEqual({ type: 'depends_on' });
    // Type, which the profile does not name, keeps the suggested column (the default fills its empty cells).
    expect(applied.map).toEqual({ source: 'From', target: 'To', type: 'Rel' });
    expect(isMissingRequired([applied])).toBe(false);
  });
});

describe('the import log tells same-named files apart', () => {
  it('shows the start of the hashes only where imports of the same file names had other contents', () => {
    const a = 'a'.repeat(64);
    const b = 'b'.repeat(64);
    const r = 'c'.repeat(64);
    const tags = contentTags([
      { id: 3, files: ['cis.csv', 'rels.csv'], contentHash: `${b}:${r}` },
      { id: 2, files: ['cis.csv', 'rels.csv'], contentHash: `${a}:${r}` },
      { id: 1, files: ['cis.csv', 'rels.csv'], contentHash: `${a}:${r}` },
      { id: 0, files: ['other.csv'], contentHash: a },
      { id: 5, files: ['cis.csv'], contentHash: null },
    ]);
    expect([...tags]).toEqual([
      [3, 'bbbbbbbb · cccccccc'],
      [2, 'aaaaaaaa · cccccccc'],
      [1, 'aaaaaaaa · cccccccc'],
    ]);
    expect(contentTags([{ id: 1, files: ['cis.csv'], contentHash: a }]).size).toBe(0);
  });
});
