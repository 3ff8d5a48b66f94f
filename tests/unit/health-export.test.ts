/**
 * The health findings as a file for an audit or to route the work (found missing by a tester): CSV with a row
 * per CI of each finding and its name, type and owner; Markdown with the score, the rules and each rule's
 * findings; JSON with every finding and the CIs they name. A rule or a search narrows it and the file says so.
 * `cmdb health --format` / `--out FILE` (the extension picks the format).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { CmdbService } from '../../electron/cmdb/service.js';
import { cmdb, ensureCliBuilt, freshService, ok, tempDir } from './helpers.js';

async function messy(): Promise<CmdbService> {
  const svc = freshService();
  const ci = (key: string, type: string, name: string, more: Record<string, unknown> = {}) =>
    ok(svc, 'createCi', { key, fields: { type, name, owner: 'team-a', criticality: 'high', ...more } });
  await ci('app', 'application', 'Shop app', { owner: null });
  await ci('db', 'database', 'Orders DB', { status: 'retired', owner: 'team-dba' });
  await ci('web', 'server', '=HYPERLINK("x")', { owner: null });
  await ok(svc, 'createRelationship', { source: 'app', target: 'db', type: 'depends_on' });
  await ok(svc, 'createRelationship', { source: 'app', target: 'web', type: 'depends_on' });
  return svc;
}

describe('exportHealth', () => {
  it('CSV: a row per CI of each finding, with its name, type and owner, most severe first; formula-guarded', async () => {
    const svc = await messy();
    const file = await ok(svc, 'exportHealth', { format: 'csv' });
    expect(file.mime).toBe('text/csv; charset=utf-8');
    expect(file.filename).toBe('health-memory.csv');
    const lines = file.content
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(lines[0]).toBe('finding,rule,severity,part,key,name,type,owner,message');
    const cells = lines.slice(1).map((l) => l.split(',').slice(0, 8).join(','));
    expect(cells).toEqual([
      '1,retired-dependency,error,correctness,app,Shop app,application,',
      '1,retired-dependency,error,correctness,db,Orders DB,database,team-dba',
      '2,missing-owner,warning,completeness,app,Shop app,application,',
      `3,missing-owner,warning,completeness,web,"'=HYPERLINK(""x"")",server,`,
    ]);
    const health = await ok(svc, 'health', {});
    expect(health.findings.map((f) => f.keys)).toEqual([['app', 'db'], ['app'], ['web']]);
  });

  it('narrowed to a rule or a search, and says so; Markdown and JSON', async () => {
    const svc = await messy();
    const csv = await ok(svc, 'exportHealth', { format: 'csv', rule: 'missing-owner' });
    expect(csv.filename).toBe('health-memory-missing-owner.csv');
    expect(csv.content.trim().split('\r\n')).toHaveLength(3);
    const md = await ok(svc, 'exportHealth', { format: 'markdown', query: 'orders' });
    expect(md.content).toMatch(/^# Health of :memory:\n\nScore \d+\/100 \(completeness \d+, correctness \d+, compliance \d+\); findings: /);
    expect(md.content).toContain('Findings listed: only CIs matching "orders" (1).');
    expect(md.content).toContain('| retired-dependency | correctness | error | 1 | 2 | Depends on a retired CI |');
    expect(md.content).toContain(
      '## Depends on a retired CI (retired-dependency, 1)\n\n- Shop app (app) depends on Orders DB (db), which is retired',
    );
    expect(md.content).not.toContain('## CIs without an owner');
    const json = JSON.parse((await ok(svc, 'exportHealth', { format: 'json' })).content) as {
      cmdb: string;
      only: string | null;
      findings: Array<{ rule: string; keys: string[] }>;
      cis: Record<string, { name: string; type: string; owner: string | null }>;
    };
    expect(json.only).toBeNull();
    expect(json.findings.map((f) => f.rule)).toEqual(['retired-dependency', 'missing-owner', 'missing-owner']);
    expect(json.cis).toEqual({
      app: { name: 'Shop app', type: 'application', owner: null },
      db: { name: 'Orders DB', type: 'database', owner: 'team-dba' },
      web: { name: '=HYPERLINK("x")', type: 'server', owner: null },
    });
  });
});

describe('cmdb health --format / --out', () => {
  beforeAll(ensureCliBuilt, 120_000);

  it('writes the file the extension names, with the CMDB by its whole path and the rules file given; refuses other extensions', async () => {
    const dir = tempDir();
    const db = join(dir, 'shop.db');
    writeFileSync(join(dir, 'cis.csv'), 'id,name,type,owner\napp,Shop app,application,\nweb,Web,server,team-a\n');
    writeFileSync(join(dir, 'rels.csv'), 'source,target,type\napp,web,depends_on\n');
    expect(cmdb(['import', '--db', db, '--cis', join(dir, 'cis.csv'), '--relationships', join(dir, 'rels.csv')]).code).toBe(0);
    const rules = join(dir, 'rules.json');
    writeFileSync(rules, JSON.stringify({ rules: { orphan: { enabled: false } } }));
    const out = join(dir, 'findings.md');
    const r = cmdb(['health', '--db', db, '--rules', rules, '--out', out]);
    expect(r.stderr).toBe(`Health findings written to ${out}.\n`);
    expect(r.code).toBe(0);
    const md = readFileSync(out, 'utf8');
    expect(md).toContain(`CMDB ${db}, read `);
    expect(md).toContain(`rules: ${rules}.`);
    expect(md).toContain('- Shop app (app, application) has no owner');
    const csv = cmdb(['health', '--db', db, '--format', 'csv', '--rule', 'missing-owner']);
    expect(csv.code).toBe(0);
    expect(csv.stdout).toContain('1,missing-owner,warning,completeness,app,Shop app,application,,');
    const pdf = cmdb(['health', '--db', db, '--out', join(dir, 'findings.pdf')]);
    expect(pdf.code).toBe(2);
    expect(pdf.stderr).toContain('--out');
    expect(pdf.stderr).toContain('name a .csv, .md or .json file (the extension picks the format).');
    // One format under another's extension, or a spreadsheet's, is refused (found by a reviewer).
    for (const [file, format] of [
      ['h.csv', 'json'],
      ['h.xlsx', 'csv'],
    ]) {
      const clash = cmdb(['health', '--db', db, '--out', join(dir, file!), '--format', format!]);
      expect(clash.code, file).toBe(2);
      expect(clash.stderr).toContain(`and --format ${format} disagree: name the file .${format}.`);
    }
    expect(cmdb(['health', '--db', db, '--out', join(dir, 'h.txt'), '--format', 'md']).code).toBe(0);
    // --fail-on still gates a file written.
    const gate = cmdb(['health', '--db', db, '--out', join(dir, 'f.csv'), '--fail-on', 'missing-owner']);
    expect(gate.code).toBe(3);
  });
});
