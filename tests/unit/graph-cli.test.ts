/**
 * `cmdb graph` as a user runs it (after the build): the neighbourhood of a CI
 * in each format, to a file or stdout, the same nodes and edges as the
 * contract's neighbourhood; up/down/both, --types, --group-by; refusals on
 * stderr in one line.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CmdbService } from '../../electron/cmdb/service.js';
import { exportGraphSchema } from '../../shared/graph.js';
import { cmdb, DEMO_CIS, DEMO_RELS, ensureCliBuilt, fails, ok } from './helpers.js';

let dir: string;
let db: string;
beforeAll(() => {
  ensureCliBuilt();
  dir = mkdtempSync(join(tmpdir(), 'cmdb-graph-cli-'));
  db = join(dir, 'demo.db');
  const r = cmdb(['import', '--db', db, '--cis', DEMO_CIS, '--relationships', DEMO_RELS, '--progress', 'none']);
  if (r.code !== 0) throw new Error(r.stderr);
  return () => rmSync(dir, { recursive: true, force: true });
});

/** The engine's own answer for the same request, read in-process. */
async function engine(req: Parameters<CmdbService['call']>[1] & object) {
  const svc = CmdbService.open(db, { source: 'test', readonly: true });
  try {
    return await ok(svc, 'neighbourhood', req as never);
  } finally {
    svc.close();
  }
}

const oneLine = (stderr: string) => {
  const lines = stderr.split('\n').filter((l) => l !== '');
  expect(lines, stderr).toHaveLength(1);
  expect(lines[0]).toMatch(/^cmdb: \S/);
  return lines[0]!;
};

describe('cmdb graph', () => {
  it('writes JSON to stdout: the nodes and edges the engine answers, down from a CI by its key', async () => {
    const r = cmdb(['graph', '--db', db, 'app-checkout-api', '--direction', 'down', '--depth', '2', '--format', 'json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const g = exportGraphSchema.parse(JSON.parse(r.stdout));
    const want = await engine({ key: 'app-checkout-api', depth: 2, direction: 'downstream' });
    expect(g.nodes.map((n) => n.key).sort()).toEqual(want.nodes.map((n) => n.key).sort());
    expect(g.edges.map((e) => `${e.source}>${e.target}:${e.type}`).sort()).toEqual(
      want.edges.map((e) => `${e.source}>${e.target}:${e.type}`).sort(),
    );
    expect(g.nodes.length).toBeGreaterThan(1);
    expect(g.nodes.find((n) => n.key === 'app-checkout-api')).toMatchObject({ depth: 0, kind: 'ci' });
  });

  it('finds the centre by a name only one CI has, and writes each format to --out', async () => {
    const want = await engine({ key: 'bs-checkout', depth: 1, direction: 'upstream' });
    for (const format of ['graphml', 'dot', 'drawio', 'json'] as const) {
      const out = join(dir, `g.${format}`);
      const r = cmdb(['graph', '--db', db, 'Checkout', '--direction', 'up', '--format', format, '--out', out]);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(r.stdout).toContain(`as ${format} to ${out}`);
      const content = readFileSync(out, 'utf8');
      for (const n of want.nodes) expect(content).toContain(n.key);
      // As many edges as the engine's: DOT's "->", GraphML's <edge, draw.io's edge cells, JSON's list.
      const edges =
        format === 'dot'
          ? content.split(' -> ').length - 1
          : format === 'graphml'
            ? content.split('<edge ').length - 1
            : format === 'drawio'
              ? content.split('edge="1"').length - 1
              : exportGraphSchema.parse(JSON.parse(content)).edges.length;
      expect(edges).toBe(want.edges.length);
    }
    // The format can come from the file's extension.
    const out = join(dir, 'by-ext.graphml');
    expect(cmdb(['graph', '--db', db, 'bs-checkout', '--out', out]).code).toBe(0);
    expect(readFileSync(out, 'utf8')).toContain('<graphml');
  });

  it('draws only the types asked for, with implied edges, and groups by a field', async () => {
    const typed = cmdb([
      'graph',
      '--db',
      db,
      'bs-checkout',
      '--direction',
      'up',
      '--depth',
      '3',
      '--types',
      'business_service,database',
      '--format',
      'json',
    ]);
    expect(typed.code).toBe(0);
    const g = exportGraphSchema.parse(JSON.parse(typed.stdout));
    expect(new Set(g.nodes.map((n) => n.type))).toEqual(new Set(['business_service', 'database']));
    expect(g.edges.some((e) => e.kind === 'implied' && e.source === 'bs-checkout' && (e.hidden ?? 0) > 0)).toBe(true);

    const grouped = cmdb([
      'graph',
      '--db',
      db,
      'bs-checkout',
      '--direction',
      'up',
      '--depth',
      '2',
      '--group-by',
      'type',
      '--format',
      'json',
    ]);
    expect(grouped.code).toBe(0);
    const gg = exportGraphSchema.parse(JSON.parse(grouped.stdout));
    expect(gg.nodes.some((n) => n.kind === 'group' && n.key.startsWith('group:type=') && (n.count ?? 0) >= 2)).toBe(true);
  });

  it('refuses an unknown CI, direction or format in one line, exit 1 or 2', () => {
    const ghost = cmdb(['graph', '--db', db, 'no-such-ci', '--format', 'json']);
    expect(ghost.code).toBe(1);
    expect(oneLine(ghost.stderr)).toContain(`(Searched ${db}: check the spelling, and the --db file.)`);
    const dir2 = cmdb(['graph', '--db', db, 'bs-checkout', '--direction', 'sideways', '--format', 'json']);
    expect(dir2.code).toBe(2);
    expect(oneLine(dir2.stderr)).toContain('up, down or both');
    const fmt = cmdb(['graph', '--db', db, 'bs-checkout', '--format', 'png']);
    expect(fmt.code).toBe(2);
    expect(oneLine(fmt.stderr)).toBe('cmdb: --format must be json, graphml, dot or drawio, not "png".');
    // One format under another's extension is refused, as by diff and health (found by a reviewer: JSON written into g.dot).
    const clash = cmdb(['graph', '--db', db, 'bs-checkout', '--format', 'json', '--out', join(dir, 'clash.dot')]);
    expect([clash.code, oneLine(clash.stderr)]).toEqual([
      2,
      `cmdb: --out ${join(dir, 'clash.dot')} and --format json disagree: name the file .json.`,
    ]);
    expect(existsSync(join(dir, 'clash.dot'))).toBe(false);
    const sheet = cmdb(['graph', '--db', db, 'bs-checkout', '--out', join(dir, 'g.xlsx')]);
    expect([sheet.code, oneLine(sheet.stderr)]).toEqual([
      2,
      `cmdb: --out ${join(dir, 'g.xlsx')}: name a .json, .graphml, .dot or .drawio file (the extension picks the format).`,
    ]);
    const deep = cmdb(['graph', '--db', db, 'bs-checkout', '--depth', '11', '--format', 'json']);
    expect(deep.code).toBe(2);
    expect(oneLine(deep.stderr)).toBe('cmdb: --depth must be a whole number from 0 to 10, not "11".');
    const none = cmdb(['graph', '--db', db, 'bs-checkout']);
    expect(none.code).toBe(2);
    expect(oneLine(none.stderr)).toContain('--format');
    // A misspelt type would draw the centre alone: refused, naming the known ones.
    const typo = cmdb(['graph', '--db', db, 'bs-checkout', '--depth', '2', '--types', 'Application,bogus', '--format', 'json']);
    expect(typo.code).toBe(2);
    expect(oneLine(typo.stderr)).toContain('Unknown CI types "Application", "bogus". Known CI types: application, ');
    const relTypo = cmdb(['graph', '--db', db, 'bs-checkout', '--rel-types', 'depends', '--format', 'json']);
    expect(relTypo.code).toBe(2);
    expect(oneLine(relTypo.stderr)).toContain('Unknown relationship type "depends". Known relationship types: ');
  });

  it('refuses a --group-by field no CI has in one line, naming it and the fields that can be used', async () => {
    const typo = cmdb(['graph', '--db', db, 'bs-checkout', '--group-by', 'nosuchattr', '--format', 'json']);
    expect(typo.code).toBe(2);
    expect(typo.stdout).toBe('');
    const line = oneLine(typo.stderr);
    expect(line).toContain('No CI has the field "nosuchattr" to group by');
    expect(line).toContain('Group by type, owner, environment, status, criticality or an attribute: ');
    expect(line).toContain('location');
    // Case counts: "Type" is no core field, and no CI has such an attribute.
    expect(oneLine(cmdb(['graph', '--db', db, 'bs-checkout', '--group-by', 'Type', '--format', 'json']).stderr)).toContain('"Type"');
    // An attribute the CIs have is taken, and so is a core field.
    expect(cmdb(['graph', '--db', db, 'bs-checkout', '--group-by', 'location', '--format', 'json']).code).toBe(0);
    // The contract refuses it the same way (the app's Group by goes through it).
    const svc = CmdbService.open(db, { source: 'test', readonly: true });
    try {
      const err = await fails(svc, 'neighbourhood', { key: 'bs-checkout', grouping: { by: 'nosuchattr' } }, 'web');
      expect(err).toMatchObject({ code: 'INVALID_REQUEST', message: expect.stringContaining('"nosuchattr"') });
    } finally {
      svc.close();
    }
  });

  it('--json alone writes JSON to stdout', () => {
    const r = cmdb(['graph', '--db', db, 'bs-checkout', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(exportGraphSchema.parse(JSON.parse(r.stdout)).nodes.map((n) => n.key)).toContain('bs-checkout');
  });

  it('a graph cut at --max-nodes says so: in the file, on stderr or in the line written, and in --json', async () => {
    const n = await engine({ key: 'db-orders-primary', depth: 3, direction: 'downstream', maxNodes: 10 });
    expect(n.truncated).toBe(true);
    const out = cmdb([
      'graph',
      '--db',
      db,
      'db-orders-primary',
      '--direction',
      'down',
      '--depth',
      '3',
      '--max-nodes',
      '10',
      '--format',
      'json',
    ]);
    expect(out.code, out.stderr).toBe(0);
    const g = JSON.parse(out.stdout) as { nodes: unknown[]; truncated?: boolean; omitted?: number };
    expect(g).toMatchObject({ truncated: true, omitted: n.omitted });
    expect(g.nodes).toHaveLength(n.nodes.length);
    expect(oneLine(out.stderr)).toContain(`--max-nodes 10: ${n.omitted} more at its edge are not in the graph written`);
    const file = join(dir, 'cut.graphml');
    const w = cmdb(['graph', '--db', db, 'db-orders-primary', '--direction', 'down', '--depth', '3', '--max-nodes', '10', '--out', file]);
    expect(w.stdout).toContain(`cut at --max-nodes: ${n.omitted} more CIs not in it.`);
    expect(readFileSync(file, 'utf8')).toContain(`(cut at ${n.nodes.length} nodes: ${n.omitted} more CIs not drawn)`);
    const j = JSON.parse(
      cmdb(['graph', '--db', db, 'db-orders-primary', '--direction', 'down', '--depth', '3', '--max-nodes', '10', '--out', file, '--json'])
        .stdout,
    );
    expect(j).toMatchObject({ truncated: true, omitted: n.omitted });
    // Whole, the file says nothing of a cut.
    const whole = JSON.parse(
      cmdb(['graph', '--db', db, 'db-orders-primary', '--direction', 'down', '--depth', '1', '--format', 'json']).stdout,
    );
    expect(Object.keys(whole)).toEqual(['nodes', 'edges']);
  });
});
