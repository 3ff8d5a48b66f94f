/** Health rules files (electron/cmdb/health/rules-file.ts): the file beside the CMDB, inline rules, and refusals naming the file and key. */
import { rmSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadHealthRules, readRulesFile, rulesFileBeside } from '../../electron/cmdb/health/rules-file.js';
import { fails, freshService, ok, tempDir } from './helpers.js';

describe('health rules files', () => {
  it('uses the defaults with no file, and the file beside the CMDB when there is one', () => {
    const dir = tempDir();
    const db = join(dir, 'shop.db');
    expect(loadHealthRules(db)).toMatchObject({ file: null, signature: 'defaults' });
    writeFileSync(
      rulesFileBeside(db),
      JSON.stringify({ rules: { stale: { days: 30, byType: { server: 10 } }, orphan: { enabled: false } } }),
    );
    const loaded = loadHealthRules(db);
    expect(loaded.file).toBe(`${db}.health.json`);
    expect(loaded.config.staleDays).toBe(30);
    expect(loaded.config.staleDaysByType).toEqual({ server: 10 });
    expect(loaded.config.enabled.orphan).toBe(false);
    expect(loaded.config.enabled.duplicate).toBe(true);
  });

  it('parses the file beside the CMDB once per version of it (every impact answer asks), again when it changes or goes', () => {
    const db = join(tempDir(), 'shop.db');
    const file = rulesFileBeside(db);
    writeFileSync(file, JSON.stringify({ rules: { stale: { days: 30 } } }));
    const first = loadHealthRules(db);
    expect(loadHealthRules(db)).toBe(first);
    writeFileSync(file, JSON.stringify({ rules: { stale: { days: 45 } } }));
    utimesSync(file, new Date(), new Date(Date.now() + 5000));
    const second = loadHealthRules(db);
    expect(second).not.toBe(first);
    expect(second.config.staleDays).toBe(45);
    rmSync(file);
    expect(loadHealthRules(db)).toMatchObject({ file: null, signature: 'defaults' });
  });

  it('inline rules win over the file beside the CMDB', () => {
    const dir = tempDir();
    const db = join(dir, 'shop.db');
    writeFileSync(rulesFileBeside(db), JSON.stringify({ rules: { stale: { days: 30 } } }));
    expect(loadHealthRules(db, { rules: { stale: { days: 5 } } })).toMatchObject({ file: null, config: { staleDays: 5 } });
  });

  it('refuses bad JSON, naming the file and where in it', () => {
    const file = join(tempDir(), 'rules.json');
    writeFileSync(file, '{\n  "rules": {\n    "stale": { "days": 30, }\n  }\n}\n');
    expect(() => readRulesFile(file)).toThrow(
      new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: not valid JSON: line 3, column 28: .+\\. Fix the file`),
    );
  });

  it('reads a file saved with a byte-order mark (Windows Notepad)', () => {
    const file = join(tempDir(), 'rules.json');
    writeFileSync(file, '\ufeff' + JSON.stringify({ rules: { stale: { days: 30 } } }));
    expect(readRulesFile(file)).toMatchObject({ rules: { stale: { days: 30 } } });
  });

  it('refuses an unknown key or a bad value, naming the key', () => {
    const file = join(tempDir(), 'rules.json');
    writeFileSync(file, JSON.stringify({ rules: { stale: { dayz: 3 } } }));
    expect(() => readRulesFile(file)).toThrow(/rules\.json: not a valid rules file: rules\.stale: Unrecognized key.*"dayz"/);
    writeFileSync(file, JSON.stringify({ rules: { orphans: {} } }));
    expect(() => readRulesFile(file)).toThrow(/rules: Unrecognized key.*"orphans"/);
    writeFileSync(file, JSON.stringify({ rules: { stale: { days: 0 } } }));
    expect(() => readRulesFile(file)).toThrow(/rules\.stale\.days: /);
  });

  it('refuses stale days past any date (the cutoff could not be computed), in a file or inline', async () => {
    const file = join(tempDir(), 'rules.json');
    writeFileSync(file, JSON.stringify({ rules: { stale: { byType: { server: 100_000_000_000 } } } }));
    expect(() => readRulesFile(file)).toThrow(/rules\.stale\.byType\.server: at most 36500 days/);
    const svc = freshService();
    const refused = await fails(svc, 'health', { rules: { rules: { stale: { days: 100_000_000_000 } } } });
    expect(refused.code).toBe('INVALID_REQUEST');
    expect(refused.message).toContain('rules.rules.stale.days: at most 36500 days (100 years)');
    await ok(svc, 'health', { rules: { rules: { stale: { days: 36_500, byType: { server: 36_500 } } } } });
  });

  it('refuses a missing file saying what to give', () => {
    expect(() => readRulesFile('/nonexistent/rules.json')).toThrow(
      '/nonexistent/rules.json: no such rules file. Give the path of a JSON rules file',
    );
  });

  it('a rules file changed beside the CMDB changes the next report (its signature is part of the cache key)', async () => {
    const dir = tempDir();
    const db = join(dir, 'shop.db');
    const svc = freshService(db);
    await ok(svc, 'createCi', { key: 'lonely', fields: { type: 'server', name: 'Lonely', owner: 't' } });
    expect((await ok(svc, 'health', {})).rules.find((r) => r.rule === 'orphan')?.findings).toBe(1);
    writeFileSync(rulesFileBeside(db), JSON.stringify({ rules: { orphan: { enabled: false } } }));
    const r = await ok(svc, 'health', {});
    expect(r.rulesFile).toBe(`${db}.health.json`);
    expect(r.rules.find((x) => x.rule === 'orphan')).toMatchObject({ enabled: false, findings: 0 });
    // A bad file beside the CMDB is refused, not ignored.
    writeFileSync(rulesFileBeside(db), '{');
    const res = await svc.call('health', {});
    expect(res.ok).toBe(false);
    expect(!res.ok && res.error.message).toContain('shop.db.health.json: not valid JSON');
  });
});
