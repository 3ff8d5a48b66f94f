/**
 * `cmdb unify-values FIELD VALUE` as a user runs it (the built CLI): the fix
 * of a value-variants finding, its output, --json, and one-line refusals.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { type HealthReport, RESPELLED_NOTE, type UnifyValuesResult } from '../../shared/health.js';
import { cmdb, ensureCliBuilt } from './helpers.js';

let dir: string;
let db: string;
const run = (args: string[]) => cmdb([...args, '--db', db]);

beforeAll(() => {
  ensureCliBuilt();
  dir = mkdtempSync(join(tmpdir(), 'cmdb-cli-unify-'));
  db = join(dir, 'shop.db');
  writeFileSync(
    join(dir, 'a.csv'),
    'id,name,type,environment,owner\na1,A1,server,production,Team Payments\na2,A2,server,production,Team Payments\na3,A3,server,staging,team-web\n',
  );
  writeFileSync(
    join(dir, 'b.csv'),
    'id,name,type,environment,owner\nb1,B1,server,Production,team payments\nb2,B2,server,PRODUCTION,team-web\n',
  );
  for (const f of ['a.csv', 'b.csv']) expect(run(['import', '--cis', join(dir, f), '--progress', 'none']).code).toBe(0);
  return () => rmSync(dir, { recursive: true, force: true });
});

describe('cmdb unify-values', () => {
  it('cmdb health names the finding and the command; the command rewrites the other spellings and says so', () => {
    const health = run(['health', '--rule', 'value-variants', '--json']);
    const report = JSON.parse(health.stdout) as HealthReport;
    expect(report.findings.map((f) => [f.variants!.field, f.keys])).toEqual([
      ['owner', ['b1']],
      ['environment', ['b2', 'b1']],
    ]);
    expect(report.findings[1]!.message).toContain('cmdb unify-values environment "production"');

    const r = run(['unify-values', 'environment', 'production']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.split('\n')[0]).toBe(
      'environment "production": 2 CIs changed from "PRODUCTION" (1 CI), "Production" (1 CI); 4 CIs hold it now.',
    );
    expect(r.stdout).toContain(`Recorded in each CI's history (cmdb show --db ${db} KEY --history 5).`);
    expect(r.stdout).toContain(RESPELLED_NOTE);
    const shown = run(['show', 'b2', '--history', '5']);
    expect(shown.stdout).toContain('environment: PRODUCTION -> production');
  });

  it('--json prints the result; the spelling kept may be the less common one', () => {
    const r = run(['unify-values', 'owner', 'team payments', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout) as UnifyValuesResult).toEqual({
      field: 'owner',
      to: 'team payments',
      from: [{ value: 'Team Payments', cis: 2 }],
      changed: 2,
      cis: 3,
    });
    expect(JSON.parse(run(['health', '--rule', 'value-variants', '--json']).stdout).findings).toEqual([]);
  });

  it('refuses an unknown field, a spelling no CI holds and a value spelled one way only (exit 2, one line)', () => {
    const field = run(['unify-values', 'type', 'server']);
    expect([field.code, field.stderr.trim()]).toEqual([
      2,
      'cmdb: Invalid request: field: must be one of environment, status, owner, criticality, not "type"',
    ]);
    const absent = run(['unify-values', 'environment', 'STAGING']);
    expect(absent.code).toBe(2);
    expect(absent.stderr.trim()).toBe(
      'cmdb: No CI has environment "STAGING", so it cannot be the spelling kept. Its spellings: "staging" (1 CI); give one of them exactly.',
    );
    const one = run(['unify-values', 'environment', 'staging']);
    expect([one.code, one.stderr.trim()]).toEqual([
      2,
      'cmdb: environment "staging" is spelled one way only ("staging" (1 CI)): nothing to unify.',
    ]);
  });
});
