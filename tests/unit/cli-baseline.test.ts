/**
 * `cmdb baseline save|list|delete`, `cmdb diff` and `cmdb impact --compare`
 * as a user runs them (the built CLI), on the demo: the README's worked
 * example, plain and --json output, exports, and one-line refusals.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, copyFileSync, cpSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Baseline, Diff } from '../../shared/baseline.js';
import type { ImpactResult } from '../../shared/impact.js';
import { cmdb, DEMO_CIS, DEMO_RELS, ensureCliBuilt, ROOT } from './helpers.js';

const CLI_BIN = join(ROOT, 'bin', 'cmdb.js');

let dir: string;
let db: string;
const run = (args: string[]) => cmdb([...args, '--db', db]);

beforeAll(() => {
  ensureCliBuilt();
  dir = mkdtempSync(join(tmpdir(), 'cmdb-cli-baseline-'));
  db = join(dir, 'demo.db');
  expect(run(['import', '--cis', DEMO_CIS, '--relationships', DEMO_RELS, '--progress', 'none']).code).toBe(0);
  // The README's example: save, edit a CI and add a dependency, then diff and compare.
  expect(run(['baseline', 'save', 'before-chg', '--note', 'CAB 2026-12-01']).code).toBe(0);
  writeFileSync(join(dir, 'edit-cis.csv'), 'id,name,type,owner\napp-cart-service,Cart Service,application,team-basket\n');
  writeFileSync(join(dir, 'edit-rels.csv'), 'source,target,type\napp-cart-service,db-orders-primary,depends_on\n');
  const edit = run(['import', '--cis', join(dir, 'edit-cis.csv'), '--relationships', join(dir, 'edit-rels.csv'), '--progress', 'none']);
  expect(edit.code, edit.stderr).toBe(0);
  return () => rmSync(dir, { recursive: true, force: true });
});

describe('cmdb baseline', () => {
  it('lists the saved baselines, as a table and as JSON', () => {
    const text = run(['baseline', 'list']);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^NAME\s+SAVED\s+CIS\s+RELATIONSHIPS\s+SIZE\s+NOTE/);
    expect(text.stdout).toContain('CAB 2026-12-01');
    const json = JSON.parse(run(['baseline', 'list', '--json']).stdout) as { baselines: Baseline[] };
    expect(json.baselines).toEqual([
      expect.objectContaining({ name: 'before-chg', note: 'CAB 2026-12-01', cis: 533, relationships: 1233 }),
    ]);
  });

  it('names a file of the baselines folder it cannot read, rather than hiding it (its name is taken)', () => {
    writeFileSync(join(`${db}.baselines`, 'junk.sqlite'), 'not a database');
    const text = run(['baseline', 'list']);
    expect(text.stdout).toContain(
      `\nNot listed: "junk": its file cannot be read as a baseline (damaged, or not one). Delete it (cmdb baseline delete --db ${db} NAME) to use the name again.\n`,
    );
    expect((JSON.parse(run(['baseline', 'list', '--json']).stdout) as { unreadable: string[] }).unreadable).toEqual(['junk']);
    expect(run(['baseline', 'delete', 'junk']).code).toBe(0);
    expect(run(['baseline', 'list']).stdout).not.toContain('Not listed');
  });

  it('refuses a name in use, and "now", on one line', () => {
    const again = run(['baseline', 'save', 'before-chg']);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/^cmdb: A baseline named "before-chg" already exists\. .*\n$/);
    const now = run(['baseline', 'save', 'now']);
    expect(now.code).toBe(2);
    expect(now.stderr).toBe('cmdb: The baseline name "now" cannot be used: "now" stands for the live CMDB and cannot name a baseline.\n');
    const slash = run(['baseline', 'save', 'a/b']);
    expect(slash.code).toBe(2);
    expect(slash.stderr).toMatch(/^cmdb: The baseline name "a\/b" cannot be used: "\/" cannot be in a baseline name: .*\.\n$/);
  });

  it('a renamed copy of the CMDB without its folder: the list names the folder beside it and whose it is', () => {
    const sub = mkdtempSync(join(tmpdir(), 'cmdb-cli-renamed-'));
    try {
      const renamed = join(sub, 'cmdb-2026-12.db');
      copyFileSync(db, renamed);
      cpSync(`${db}.baselines`, join(sub, 'demo.db.baselines'), { recursive: true });
      expect(cmdb(['baseline', 'list', '--db', renamed]).stdout).toBe(
        `No baselines saved. Beside it, demo.db.baselines holds the baselines of demo.db: baselines belong to the CMDB file they are named after. If this file is that CMDB under another name, rename the folder to cmdb-2026-12.db.baselines. Or save one with: cmdb baseline save --db ${renamed} NAME\n`,
      );
    } finally {
      rmSync(sub, { recursive: true, force: true });
    }
  });

  it('deletes a baseline; an unknown one is refused listing those there are', () => {
    expect(run(['baseline', 'save', 'scratch']).code).toBe(0);
    const del = run(['baseline', 'delete', 'scratch']);
    expect(del.code).toBe(0);
    expect(del.stdout).toBe('Baseline "scratch" deleted.\n');
    const gone = run(['baseline', 'delete', 'scratch']);
    expect(gone.code).toBe(1);
    expect(gone.stderr).toBe('cmdb: No baseline named "scratch". The baselines are: before-chg (or "now" for the CMDB as it is).\n');
  });
});

describe('cmdb diff', () => {
  it('prints what changed since the baseline, each changed field with its old and new value', () => {
    const r = run(['diff', 'before-chg']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('From before-chg to now: 0 CIs added, 0 removed, 1 changed; 1 relationship added');
    expect(r.stdout).toContain('    owner: team-checkout -> team-basket');
    expect(r.stdout).toContain('  Cart Service (app-cart-service) depends_on Orders DB (primary) (db-orders-primary)');
  });

  it("--json is the issue's shape: cis.added/removed/changed with fields {from,to}, relationships.added/removed", () => {
    const d = JSON.parse(run(['diff', 'before-chg', 'now', '--json']).stdout) as Diff;
    expect(d.cis.changed).toEqual([
      {
        key: 'app-cart-service',
        name: 'Cart Service',
        type: 'application',
        owner: 'team-basket',
        fields: { owner: { from: 'team-checkout', to: 'team-basket' } },
      },
    ]);
    expect(d.relationships.added).toEqual([{ source: 'app-cart-service', target: 'db-orders-primary', type: 'depends_on' }]);
    expect(d.cis.added).toEqual([]);
  });

  it('--types keeps CIs of those types and relationships with an end of those types', () => {
    const d = JSON.parse(run(['diff', 'before-chg', '--types', 'database', '--json']).stdout) as Diff;
    expect(d.counts).toMatchObject({ cisChanged: 0, relationshipsAdded: 1 });
    const none = JSON.parse(run(['diff', 'before-chg', '--types', 'server', '--json']).stdout) as Diff;
    expect(none.counts).toMatchObject({ cisChanged: 0, relationshipsAdded: 0 });
  });

  it('writes CSV and Markdown for an audit pack with --format and --out', () => {
    const out = join(dir, 'diff.csv');
    const r = run(['diff', 'before-chg', '--format', 'csv', '--out', out]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(`Diff from before-chg to now written to ${out}.\n`);
    expect(readFileSync(out, 'utf8').split('\r\n')[1]).toBe(
      'ci,changed,app-cart-service,Cart Service,application,team-basket,,,,owner,team-checkout,team-basket',
    );
    // --out alone: the extension picks the format, as `cmdb health --out` does (one rule); the two must agree.
    const byName = join(dir, 'diff.md');
    expect(run(['diff', 'before-chg', '--out', byName]).code).toBe(0);
    expect(readFileSync(byName, 'utf8')).toContain('## CIs changed');
    const clash = run(['diff', 'before-chg', '--format', 'json', '--out', join(dir, 'd.csv')]);
    expect(clash.code).toBe(2);
    expect(clash.stderr).toContain('and --format json disagree: name the file .json.');
    const md = run(['diff', 'before-chg', '--format', 'md']);
    expect(md.stdout).toContain('## CIs changed');
    expect(md.stdout).toContain('| app-cart-service | Cart Service | owner | team-checkout | team-basket |');
  });

  it('says what was compared in every summary: when the baseline was saved, its note, when now was read, the CMDB file, the filter', () => {
    const saved = (JSON.parse(run(['baseline', 'list', '--json']).stdout) as { baselines: Baseline[] }).baselines[0]!.createdAt;
    const abs = resolve(db);
    const json = JSON.parse(run(['diff', 'before-chg', '--format', 'json']).stdout) as Diff;
    expect(json.provenance).toEqual({
      cmdb: abs,
      from: { kind: 'baseline', at: saved, note: 'CAB 2026-12-01' },
      to: { kind: 'now', at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/), note: null },
      types: null,
    });
    expect(json.provenance.to.at > saved).toBe(true);
    const md = run(['diff', 'before-chg', '--format', 'md']).stdout.split('\n');
    expect(md.slice(0, 6)).toEqual([
      '# What changed from before-chg to now',
      '',
      `- before-chg: baseline saved at ${saved}, with the note "CAB 2026-12-01"`,
      expect.stringMatching(/^- now: the CMDB as it was read at \d{4}-/),
      `- CMDB: ${abs}`,
      '',
    ]);
    const text = run(['diff', 'before-chg']).stdout.split('\n');
    expect(text[1]).toBe(`  before-chg: baseline saved at ${saved}, with the note "CAB 2026-12-01"`);
    expect(text[3]).toBe(`  CMDB: ${abs}`);
    // A filter that finds nothing is not read as an unchanged CMDB: the counts say what they cover, in every format.
    const counted = '; counting only CIs of type server (and relationships with an end of that type)';
    expect(run(['diff', 'before-chg', '--types', 'server']).stdout.split('\n')[0]).toBe(
      `From before-chg to now: 0 CIs added, 0 removed, 0 changed; 0 relationships added, 0 removed, 0 changed; 0 types added, 0 removed${counted}.`,
    );
    expect(run(['diff', 'before-chg', '--types', 'server', '--format', 'md']).stdout).toContain(`0 types added, 0 removed${counted}\n`);
    const both = JSON.parse(run(['diff', 'before-chg', '--types', 'server,database', '--json']).stdout) as Diff;
    expect(both.provenance.types).toEqual(['server', 'database']);
    expect(run(['diff', 'before-chg', '--types', 'server,database']).stdout).toContain(
      '; counting only CIs of types server, database (and relationships with an end of one of them).',
    );
  });

  it('a CSV on stdout keeps its byte-order mark in a file (> diff.csv, for a spreadsheet), not in a pipe (a program reads it)', () => {
    const piped = run(['diff', 'before-chg', '--format', 'csv']);
    expect(piped.code).toBe(0);
    expect(piped.stdout.charCodeAt(0)).not.toBe(0xfeff);
    expect(piped.stdout.split('\r\n')[1]).toBe(
      'ci,changed,app-cart-service,Cart Service,application,team-basket,,,,owner,team-checkout,team-basket',
    );
    const file = join(dir, 'redirected.csv');
    const fd = openSync(file, 'w');
    const r = spawnSync(process.execPath, [CLI_BIN, 'diff', 'before-chg', '--format', 'csv', '--db', db], {
      stdio: ['ignore', fd, 'pipe'],
    });
    closeSync(fd);
    expect(r.status).toBe(0);
    const bytes = readFileSync(file);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(bytes.toString('utf8').slice(1)).toBe(piped.stdout);
  });

  it('ends quietly when its reader stops early (diff --format csv | head), without an EPIPE stack trace', () => {
    // A CMDB whose whole content is the difference: saved with the demo, then the demo's import undone.
    const big = join(dir, 'pipe.db');
    expect(cmdb(['import', '--cis', DEMO_CIS, '--relationships', DEMO_RELS, '--progress', 'none', '--db', big]).code).toBe(0);
    expect(cmdb(['baseline', 'save', 'full', '--db', big]).code).toBe(0);
    expect(cmdb(['undo-import', '1', '--db', big]).code).toBe(0);
    // Far more than a pipe holds (64 KB, the CSV is some 130 KB), so the CLI is still writing when head goes.
    const r = spawnSync(
      'bash',
      ['-c', 'set -o pipefail; "$0" "$@" | head -1 > /dev/null', process.execPath, CLI_BIN, 'diff', 'full', '--format', 'csv', '--db', big],
      {
        encoding: 'utf8',
      },
    );
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  it('refuses an unknown name (listing the baselines) and a bad format, on one line', () => {
    const r = run(['diff', 'last-week']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('cmdb: No baseline named "last-week". The baselines are: before-chg (or "now" for the CMDB as it is).\n');
    const f = run(['diff', 'before-chg', '--format', 'pdf']);
    expect(f.code).toBe(2);
    expect(f.stderr).toBe('cmdb: --format must be csv, md or json, not "pdf".\n');
  });

  it("refuses an empty or overlong FROM, TO or --compare in its own words (exit 2), not the schema's", () => {
    const list = `cmdb baseline list --db ${db}`;
    for (const [args, said] of [
      [['diff', ''], `FROM is empty: name a baseline (${list} lists them) or "now" for the CMDB as it is.`],
      [['diff', 'before-chg', ' '], `TO is empty: name a baseline (${list} lists them) or "now" for the CMDB as it is.`],
      [['diff', 'before-chg', '', '--format', 'csv'], `TO is empty: name a baseline (${list} lists them) or "now" for the CMDB as it is.`],
      [['diff', 'x'.repeat(101)], 'FROM is 101 characters long: a baseline name is at most 100 characters.'],
      [['impact', 'lb-edge-prod-01', '--compare', ''], `--compare is empty: name a baseline (${list} lists them).`],
      [['assess', '--ref', 'CHG1', '--compare', ''], `--compare is empty: name a baseline (${list} lists them).`],
    ] as const) {
      const r = run([...args]);
      expect([r.code, r.stderr], args.join(' ')).toEqual([2, `cmdb: ${said}\n`]);
    }
  });
});

describe('cmdb impact --compare', () => {
  it('refuses a CI merged into another since, naming the CI kept (docs/baselines.md says why); the CI kept is compared', () => {
    const merged = join(dir, 'merged.db');
    const on = (args: string[]) => cmdb([...args, '--db', merged]);
    expect(on(['import', '--cis', DEMO_CIS, '--relationships', DEMO_RELS, '--progress', 'none']).code).toBe(0);
    expect(on(['baseline', 'save', 'before']).code).toBe(0);
    expect(on(['merge', 'lb-edge-prod-01', 'lb-edge-prod-02']).code).toBe(0);
    const away = on(['impact', 'lb-edge-prod-02', '--compare', 'before']);
    expect([away.code, away.stdout]).toEqual([1, '']);
    expect(away.stderr).toBe(
      'cmdb: No CI has the key or name "lb-edge-prod-02": it was merged into lb-edge-prod-01 (merge #1); use lb-edge-prod-01, or undo the merge to bring it back.\n',
    );
    const kept = on(['impact', 'lb-edge-prod-01', '--compare', 'before']);
    expect(kept.code, kept.stderr).toBe(0);
    expect(kept.stdout).toContain('Compared with baseline "before"');
  });

  it('adds compare {newlyImpacted, noLongerImpacted, stateChanged} to --json and a paragraph to the summary', () => {
    const r = JSON.parse(run(['impact', 'db-orders-primary', '--compare', 'before-chg', '--json']).stdout) as ImpactResult;
    expect(r.compare?.baseline).toBe('before-chg');
    expect(r.compare?.newlyImpacted.map((x) => x.key)).toContain('app-cart-service');
    expect(r.compare?.noLongerImpacted).toEqual([]);
    const text = run(['impact', 'db-orders-primary', '--compare', 'before-chg']);
    expect(text.stdout).toMatch(/Compared with baseline "before-chg" \(saved [^)]+\):\n {2}newly impacted \(\d+\): .*app-cart-service/);
  });
});

describe('cmdb impact --compare, a CI deleted since the baseline', () => {
  it('answers for it from the baseline, naming it; without --compare, or a CI the baseline lacks too, it is refused with close matches', () => {
    const own = join(dir, 'gone.db');
    const runOwn = (args: string[]) => cmdb([...args, '--db', own]);
    writeFileSync(join(dir, 'gone-cis.csv'), 'id,name,type\nsrv-gone,Gone Server,server\napp-gone,Gone App,application\n');
    writeFileSync(join(dir, 'gone-rels.csv'), 'source,target,type\napp-gone,srv-gone,runs_on\n');
    const imported = runOwn([
      'import',
      '--cis',
      join(dir, 'gone-cis.csv'),
      '--relationships',
      join(dir, 'gone-rels.csv'),
      '--progress',
      'none',
    ]);
    expect(imported.code, imported.stderr).toBe(0);
    expect(runOwn(['baseline', 'save', 'with-them']).code).toBe(0);
    expect(runOwn(['undo-import', '1']).code).toBe(0);

    const text = runOwn(['impact', 'srv-gone', '--compare', 'with-them']);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toContain('Impact of Gone Server (srv-gone) (not in the CMDB now) going down');
    expect(text.stdout).toContain('  no longer impacted (2): Gone App (app-gone), Gone Server (srv-gone)');
    expect(text.stdout).toContain('  not in the CMDB now, answered by the baseline only (1): Gone Server (srv-gone)');
    const json = JSON.parse(runOwn(['impact', 'srv-gone', '--compare', 'with-them', '--json']).stdout) as ImpactResult;
    expect(json.compare?.missingNow).toEqual(['srv-gone']);
    // The report is the answer now: nothing to write.
    const exported = runOwn(['impact', 'srv-gone', '--compare', 'with-them', '--export', join(dir, 'gone.csv')]);
    expect(exported.code).toBe(2);
    expect(exported.stderr).toContain('none of the CIs asked about is in the CMDB now');

    const plain = runOwn(['impact', 'srv-gone']);
    expect(plain.code).toBe(1);
    expect(plain.stderr).toContain('No CI has the key or name "srv-gone"');
    const typo = runOwn(['impact', 'srv-gnoe', '--compare', 'with-them']);
    expect(typo.code).toBe(1);
    expect(typo.stderr).toContain('No CI has the key or name "srv-gnoe"');
  });
});

describe('cmdb assess --compare', () => {
  it("reopens a saved change and says how its blast radius differs from the baseline's; an unknown one writes nothing", () => {
    const saved = run(['assess', 'db-orders-primary', '--ref', 'CHG9', '--title', 'Patch the orders DB', '--out', join(dir, 'chg.md')]);
    expect(saved.code, saved.stderr).toBe(0);
    const r = run(['assess', '--ref', 'CHG9', '--out', join(dir, 'chg2.md'), '--compare', 'before-chg']);
    expect(r.code, r.stderr).toBe(0);
    // In the report written, for the board to read, not only on the terminal.
    const report = readFileSync(join(dir, 'chg2.md'), 'utf8');
    expect(report).toMatch(
      /## Compared with baseline "before-chg" \(saved [^)]+\)\n\n- newly impacted \(\d+\): .*Cart Service \(app-cart-service\)/,
    );
    expect(r.stdout).toContain(`Report written to ${join(dir, 'chg2.md')}.`);
    const json = JSON.parse(run(['assess', '--ref', 'CHG9', '--compare', 'before-chg', '--format', 'json']).stdout) as {
      compare?: unknown;
    };
    expect(json.compare).toMatchObject({ baseline: 'before-chg' });
    const bad = run(['assess', '--ref', 'CHG9', '--out', join(dir, 'chg3.md'), '--compare', 'nope']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('cmdb: No baseline named "nope".');
    expect(existsSync(join(dir, 'chg3.md'))).toBe(false);
  });
});

describe('diffLines', () => {
  it('counts what a cut list left out in entries, not lines (a changed CI takes a line per field)', async () => {
    const { diffLines } = await import('../../electron/cli/baseline-commands.js');
    const changed = Array.from({ length: 3 }, (_, i) => ({
      key: `c${i}`,
      name: `C ${i}`,
      type: 'server',
      owner: null,
      fields: { owner: { from: 'a', to: 'b' }, status: { from: null, to: 'live' }, rack: { from: 'R1', to: '' } },
    }));
    const d: Diff = {
      from: 'v1',
      to: 'now',
      provenance: {
        cmdb: '/data/cmdb.db',
        from: { kind: 'baseline', at: '2026-12-01T09:00:00.000Z', note: null },
        to: { kind: 'now', at: '2026-12-02T09:00:00.000Z', note: null },
        types: null,
      },
      cis: { added: [], removed: [], changed },
      relationships: { added: [], removed: [], changed: [] },
      types: { added: [], removed: [] },
      counts: {
        cisAdded: 0,
        cisRemoved: 0,
        cisChanged: 10,
        cisRetired: 0,
        relationshipsAdded: 0,
        relationshipsRemoved: 0,
        relationshipsChanged: 0,
      },
      truncated: true,
    };
    const lines = diffLines(d);
    expect(lines).toContain('  C 0 (c0) [server]');
    expect(lines).toContain('      status: (not set) -> live');
    // An empty value is not set too, in the same words (it read as nothing after the arrow).
    expect(lines).toContain('      rack: R1 -> (not set)');
    expect(lines.at(-1)).toBe('  ... and 7 more (--limit N for more, --json or --format for all)');
  });
});
