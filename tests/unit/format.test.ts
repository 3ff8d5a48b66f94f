import { describe, expect, it } from 'vitest';
import { resultLines } from '../../electron/cli/import-output.js';
import { changedFields, formatBytes, formatCount, formatTotal, formatValue, NOT_SET } from '../../shared/format.js';
import { valueText } from '../../electron/cli/terminal.js';
import { freshService, ok } from './helpers.js';

describe('counts as people read them', () => {
  it('groups thousands the same way wherever the app or the CLI runs', () => {
    expect(formatCount(0)).toBe('0');
    expect(formatCount(999)).toBe('999');
    expect(formatCount(1234567)).toBe('1,234,567');
    expect(formatCount(18892)).toBe('18,892');
  });

  it('marks a total that is a lower bound', () => {
    expect(formatTotal(10000, true)).toBe('10,000+');
    expect(formatTotal(10000, false)).toBe('10,000');
    expect(formatTotal(12, undefined)).toBe('12');
  });
});

describe('sizes as people read them', () => {
  it('one formatter for the app, the web host and the CLI: bytes, KB, MB, GB at each 1024, one decimal below 10 (found by a reviewer)', () => {
    const KiB = 1024;
    const MiB = 1024 * KiB;
    const GiB = 1024 * MiB;
    const cases: Array<[number, string]> = [
      [0, '0 bytes'],
      [1, '1 byte'],
      [1023, '1,023 bytes'],
      [KiB, '1 KB'],
      [1.5 * KiB, '1.5 KB'],
      [10 * KiB, '10 KB'],
      [MiB - 1, '1 MB'],
      [MiB, '1 MB'],
      [32 * MiB, '32 MB'],
      [GiB - 1, '1 GB'],
      [4 * GiB, '4 GB'],
      [2.25 * GiB, '2.3 GB'],
      [5000 * GiB, '4.9 TB'],
    ];
    expect(cases.map(([n]) => formatBytes(n))).toEqual(cases.map(([, text]) => text));
  });
});

describe('a value not set', () => {
  it('reads ∅ in the app and (not set) in every command, an empty text included (found by a reviewer)', () => {
    expect([null, undefined, '', 'x', 3, ['a']].map((v) => formatValue(v))).toEqual(['∅', '∅', '∅', 'x', '3', '["a"]']);
    expect([null, undefined, '', 'x', { a: 1 }].map(valueText)).toEqual([NOT_SET, NOT_SET, NOT_SET, 'x', '{"a":1}']);
    expect(NOT_SET).toBe('(not set)');
  });
});

describe('a change as people read it (found by a tester)', () => {
  it('names each changed attribute, not the whole attributes object cut at one place on both sides', () => {
    const from = { 'Last Seen': '03.11.2026', Location: 'Berlin data centre hall 3 row 7', Gone: 'x' };
    const to = { 'Last Seen': '03.11.2026', Location: 'Berlin data centre hall 3 row 7', Rack: 'R12' };
    expect(changedFields({ owner: { from: null, to: 'team-a' }, attributes: { from, to } })).toEqual([
      { field: 'owner', from: null, to: 'team-a', attribute: false },
      { field: 'Gone', from: 'x', to: null, attribute: true },
      { field: 'Rack', from: null, to: 'R12', attribute: true },
    ]);
    // A created CI's attributes (no object before).
    expect(changedFields({ attributes: { from: null, to: { Rack: 'R1' } } })).toEqual([
      { field: 'Rack', from: null, to: 'R1', attribute: true },
    ]);
  });

  it("an import's dry run shows the attribute that changed", async () => {
    const svc = freshService();
    const head = 'id,name,type,Last Seen,Location,Rack\n';
    const row = 'APP-API,Api,application,03.11.2026,Berlin data centre hall 3 row 7 rack row B';
    await ok(svc, 'importCsv', { cis: { name: 'a.csv', content: `${head}${row},\n` } });
    const r = await ok(svc, 'importCsv', { cis: { name: 'a.csv', content: `${head}${row},R12\n` }, dryRun: true });
    expect(resultLines(r, {}, undefined)).toContain('  a.csv:2  update    APP-API  Rack: (not set) -> R12');
  });

  it("a dry run's new types would be added: nothing was written (found by a tester)", async () => {
    const svc = freshService();
    const cis = { name: 'm.csv', content: 'name,type\nmon-01,monitor\n' };
    const dry = await ok(svc, 'importCsv', { cis, dryRun: true });
    const said = resultLines(dry, {}, undefined);
    expect(said).toContain('New CI types would be added to the registry and flagged for review: monitor');
    expect(said.join('\n')).not.toMatch(/types added/);
    expect(resultLines(await ok(svc, 'importCsv', { cis }), {}, undefined)).toContain(
      'New CI types added to the registry and flagged for review: monitor',
    );
  });
});
