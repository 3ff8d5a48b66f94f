/**
 * The README's "Importing from ServiceNow" tables say what the importer does:
 * every ServiceNow relationship pair it knows (SERVICENOW_PAIRS), none more,
 * each with the registry type, direction and propagation it gets, and the
 * criticality and status values it understands, each onto the scale value
 * the table names. So the docs cannot drift from the code.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SERVICENOW_PAIRS } from '../../electron/cmdb/import/mapping.js';
import { REL_TYPE_SEEDS } from '../../electron/cmdb/types-registry.js';
import { criticalityOf, statusOf } from '../../shared/vocab.js';
import { ROOT } from './helpers.js';

const section = (() => {
  const md = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const from = md.indexOf('## Importing from ServiceNow');
  expect(from).toBeGreaterThanOrEqual(0);
  const to = md.indexOf('\n## ', from + 1);
  return md.slice(from, to < 0 ? undefined : to);
})();

/** The body rows of the section's tables, as trimmed cells. */
const rows = section
  .split('\n')
  .filter((l) => l.startsWith('|') && !/^\|\s*-/.test(l))
  .map((l) =>
    l
      .slice(1, -1)
      .split('|')
      .map((c) => c.trim()),
  );

describe('README: ServiceNow relationship pairs', () => {
  const pairRows = rows.filter((r) => r.length === 4 && r[0] !== 'Pair');

  it('lists exactly the pairs the importer knows', () => {
    const listed = pairRows.map((r) => r[0]!.replace(/`/g, '').toLowerCase());
    expect(listed.sort()).toEqual(Object.keys(SERVICENOW_PAIRS).sort());
  });

  it('gives each the type, direction and propagation of the registry', () => {
    for (const [pairCell, importedAs, impacted, strength] of pairRows) {
      const pair = SERVICENOW_PAIRS[pairCell!.replace(/`/g, '').toLowerCase()]!;
      const seed = REL_TYPE_SEEDS.find((s) => s.name === pair.type)!;
      const [source, target] = pair.reverse ? ['child', 'parent'] : ['parent', 'child'];
      const dependent = seed.dependent === 'source' ? source : target;
      expect([pairCell, importedAs, impacted, strength]).toEqual([
        pairCell,
        `${source} \`${pair.type}\` ${target}`,
        seed.strength === 'none' ? '—' : dependent,
        seed.strength,
      ]);
    }
  });
});

describe('README: criticality and status values understood', () => {
  const valueRows = rows.filter((r) => r.length === 2 && r[0] !== 'Field');

  it('names the criticality and both ServiceNow status columns', () => {
    expect(valueRows.map((r) => r[0])).toEqual([
      '`busines_criticality`, `business_criticality`',
      '`operational_status`',
      '`install_status`',
    ]);
  });

  it('maps each listed label and code onto the scale value it names', () => {
    let checked = 0;
    for (const [fieldCell, values] of valueRows) {
      const column = /`(\w+)`/.exec(fieldCell!)![1]!;
      const read = (v: string) => (column.includes('criticality') ? criticalityOf(v) : statusOf(v, column));
      for (const group of values!.split(';')) {
        const m = /^(.*) (\S+)$/.exec(group.trim())!;
        const scale = m[2]!;
        for (const item of m[1]!.split(',')) {
          for (const v of item.replace(/`/g, '').trim().split('/')) {
            expect([column, v, read(v)]).toEqual([column, v, scale]);
            checked++;
          }
        }
      }
    }
    expect(checked).toBeGreaterThan(30);
  });
});
