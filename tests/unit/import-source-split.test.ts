/**
 * A sync under a new source by default (this week's export saved under a
 * dated name) that lists CIs an earlier import brought is refused before
 * anything is written (import/stages/source-split.ts): run, it would retire
 * none of the earlier source's CIs and take only those it changes into the
 * new source, splitting it (found by a tester). A source given explicitly is
 * honoured. The message names the CLI's --source for the CLI and the wizard's
 * Source for the app (import/advice.ts).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { earlierSourcesOf } from '../../shared/import-fields.js';
import { cmdb, dumpDb, ensureCliBuilt, fails, freshService, ok, tempDir } from './helpers.js';

const file = (name: string, content: string) => ({ name, content });
const WEEK1 = 'id,name,type,owner\na,A,server,t1\nb,B,server,t1\nc,C,server,t1\n';
const WEEK2 = 'id,name,type,owner\na,A,server,t2\nb,B,server,t1\nc,C,server,t1\n';
const WEEK3 = 'id,name,type,owner\nc,C,server,t1\n';

const REFUSED =
  'servers-2026-12-05.csv: sync refused: its source is the file\'s name, "servers-2026-12-05.csv", a source no import had before, and all 3 CIs it lists were imported from servers-2026-11-28.csv. Under a new source the sync would retire none of that source\'s CIs the file no longer lists, and take into the new source only the CIs it changes, splitting it. Nothing was imported.';
/** The refusal as the CLI says it, and as the wizard does. */
const REFUSAL = `${REFUSED} To sync that source, add --source servers-2026-11-28.csv; to start a new source, give its name with --source NEW.`;
const REFUSAL_APP = `${REFUSED} To sync that source, set Source to “servers-2026-11-28.csv”; to start a new source, type its name as the Source (How to import).`;

async function week1(door: 'cli' | 'ui' = 'cli') {
  const svc = freshService(':memory:', door);
  await ok(svc, 'importCsv', { cis: file('servers-2026-11-28.csv', WEEK1), mode: 'sync' });
  return svc;
}

const sourceOf = (svc: ReturnType<typeof freshService>) =>
  svc.db.prepare('SELECT key, source, status FROM cis ORDER BY key').raw().all() as Array<[string, string, string | null]>;

describe('a sync under a new source by default, of CIs an earlier source holds', () => {
  it('is refused, naming the earlier source, how many of the CIs it holds and what to set; the CMDB is as it was', async () => {
    const svc = await week1();
    const before = dumpDb(svc.db);
    const err = await fails(svc, 'importCsv', { cis: file('servers-2026-12-05.csv', WEEK2), mode: 'sync' });
    expect(err.code).toBe('INVALID_REQUEST');
    expect(err.message).toBe(REFUSAL);
    expect(err.details).toEqual({
      file: 'servers-2026-12-05.csv',
      source: 'servers-2026-12-05.csv',
      listed: 3,
      earlierSources: [{ source: 'servers-2026-11-28.csv', cis: 3 }],
    });
    // Nothing written: not A's new owner, not its source, not the import's row.
    expect(dumpDb(svc.db)).toBe(before);
    // What the wizard offers as its Source; nothing for another error's details.
    expect(earlierSourcesOf(err.details)).toEqual([{ source: 'servers-2026-11-28.csv', cis: 3 }]);
    expect([earlierSourcesOf(undefined), earlierSourcesOf({ earlierSources: [{ source: 1 }] })]).toEqual([[], []]);
    // A dry run says the same.
    const dry = await fails(svc, 'importCsv', { cis: file('servers-2026-12-05.csv', WEEK2), mode: 'sync', dryRun: true });
    expect(dry.message).toBe(REFUSAL);
    expect(dumpDb(svc.db)).toBe(before);
  });

  it("the app's import (a job, as the wizard's) is refused in the wizard's words, with the same details", async () => {
    const svc = await week1('ui');
    const { jobId } = await ok(svc, 'startImport', { cis: file('servers-2026-12-05.csv', WEEK2), mode: 'sync' });
    const job = await svc.imports.waitForJob(jobId);
    expect([job.state, job.error?.code, job.error?.message]).toEqual(['failed', 'INVALID_REQUEST', REFUSAL_APP]);
    expect(earlierSourcesOf(job.error?.details)).toEqual([{ source: 'servers-2026-11-28.csv', cis: 3 }]);
    const dry = await fails(svc, 'importCsv', { cis: file('servers-2026-12-05.csv', WEEK2), mode: 'sync', dryRun: true });
    expect(dry.message).toBe(REFUSAL_APP);
  });

  it("under the earlier source, as the refusal says, week 2 updates A and week 3 retires both A and B (the tester's weeks)", async () => {
    const svc = await week1();
    const w2 = await ok(svc, 'importCsv', {
      cis: file('servers-2026-12-05.csv', WEEK2),
      mode: 'sync',
      source: 'servers-2026-11-28.csv',
    });
    expect([w2.counts.updated, w2.counts.unchanged, w2.warnings]).toEqual([1, 2, []]);
    const w3 = await ok(svc, 'importCsv', { cis: file('servers-2026-12-12.csv', WEEK3), mode: 'sync', source: 'servers-2026-11-28.csv' });
    expect(w3.unlisted.retired).toEqual(['a', 'b']);
    expect(sourceOf(svc)).toEqual([
      ['a', 'servers-2026-11-28.csv', 'retired'],
      ['b', 'servers-2026-11-28.csv', 'retired'],
      ['c', 'servers-2026-11-28.csv', null],
    ]);
  });

  it('a new source given explicitly is honoured, and its note says which CIs it took from the source they had', async () => {
    const svc = await week1();
    const r = await ok(svc, 'importCsv', { cis: file('servers-2026-12-05.csv', WEEK2), mode: 'sync', source: 'servers-dec' });
    expect([r.counts.updated, r.counts.retired]).toEqual([1, 0]);
    expect(r.warnings).toEqual([
      'Sync retired nothing: no CI came from the source "servers-dec" before this import, so this was its first sync. It took the CI it changed into this source from the one it had; the CIs it lists unchanged stay in theirs. To retire what an earlier export listed and this one does not, sync under that export\'s source (--source NAME; sources so far: servers-2026-11-28.csv).',
    ]);
    // An explicit source that is the file's name is the user's choice too.
    const svc2 = await week1();
    const same = await ok(svc2, 'importCsv', {
      cis: file('servers-2026-12-05.csv', WEEK2),
      mode: 'sync',
      source: 'servers-2026-12-05.csv',
    });
    expect(same.counts.updated).toBe(1);
  });

  it('names each earlier source with its count, the most first, and advises the one holding half of what it lists; CIs made in the app and new CIs do not refuse it', async () => {
    const svc = await week1();
    await ok(svc, 'importCsv', { cis: file('storage.csv', 'id,name,type\ns1,S1,storage\ns2,S2,storage\ns3,S3,storage\n'), mode: 'sync' });
    await ok(svc, 'createCi', { key: 'h1', fields: { name: 'H1', type: 'server' } });
    const both = 'id,name,type\ns1,S1,storage\ns2,S2,storage\ns3,S3,storage\na,A,server\nh1,H1,server\nn1,N1,server\n';
    const err = await fails(svc, 'importCsv', { cis: file('all.csv', both), mode: 'sync' });
    expect(err.message).toContain(
      "and of the 6 CIs it lists, 3 were imported from storage.csv and 1 from servers-2026-11-28.csv. Under a new source the sync would retire none of storage.csv's CIs the file no longer lists, and take into the new source only the CIs it changes, splitting it. Nothing was imported. To sync storage.csv, add --source storage.csv; to start a new source, give its name with --source NEW.",
    );
    // The wizard offers only the source to give.
    expect(earlierSourcesOf(err.details)).toEqual([{ source: 'storage.csv', cis: 3 }]);
    // A file of new CIs and CIs made in the app starts its source, as before (and says which sources there are).
    const fresh = await ok(svc, 'importCsv', { cis: file('new.csv', 'id,name,type\nh1,H1,server\nn1,N1,server\n'), mode: 'sync' });
    expect([fresh.counts.created, fresh.counts.unchanged]).toEqual([1, 1]);
    // Not a sync, or a source known before: nothing to refuse.
    await ok(svc, 'importCsv', { cis: file('servers-2026-12-05.csv', WEEK2) });
    expect((await ok(svc, 'importCsv', { cis: file('servers-2026-12-05.csv', WEEK2), mode: 'sync' })).counts.unchanged).toBe(3);
  });

  it("a second tool's export sharing a few CIs with an earlier source goes ahead, naming them and those it took into its source", async () => {
    const svc = freshService(':memory:', 'cli');
    const sn = ['id,name,type,owner', ...Array.from({ length: 8 }, (_, i) => `vm${i},VM ${i},vm,ops`)].join('\n');
    await ok(svc, 'importCsv', { cis: file('servicenow.csv', sn), mode: 'sync' });
    // RVTools lists vm0 (its owner changed) and vm1 as they are, and four VMs of its own: 2 of 6 are ServiceNow's.
    const rv = 'id,name,type,owner\nvm0,VM 0,vm,virt\nvm1,VM 1,vm,ops\nr1,R1,vm,virt\nr2,R2,vm,virt\nr3,R3,vm,virt\nr4,R4,vm,virt\n';
    const note =
      'rvtools.csv: its source, the file\'s name "rvtools.csv", is new, and 2 of the 6 CIs it lists are of earlier sources: 2 of servicenow.csv (vm0, vm1), of which it TOOK the 1 it changed into its source (vm0). Too few to be a re-export of one source, so the sync WENT under "rvtools.csv"; the CIs it lists unchanged stay in their source.';
    const dry = await ok(svc, 'importCsv', { cis: file('rvtools.csv', rv), mode: 'sync', dryRun: true });
    expect(dry.warnings).toContain(note.replace('TOOK', 'would take').replace('WENT', 'would go ahead'));
    const r = await ok(svc, 'importCsv', { cis: file('rvtools.csv', rv), mode: 'sync' });
    expect([r.counts.created, r.counts.updated, r.counts.unchanged, r.counts.retired]).toEqual([4, 1, 1, 0]);
    expect(r.warnings).toContain(note.replace('TOOK', 'took').replace('WENT', 'went ahead'));
    // ServiceNow's other CIs are still its own, and live: its next sync retires what it no longer lists.
    const of = (key: string) => svc.db.prepare('SELECT source, status FROM cis WHERE key = ?').raw().get(key);
    expect([of('vm0'), of('vm1'), of('vm7'), of('r1')]).toEqual([
      ['rvtools.csv', null],
      ['servicenow.csv', null],
      ['servicenow.csv', null],
      ['rvtools.csv', null],
    ]);
  });

  it('a large re-export is refused once its first 1,000 CIs are read, in counts of those; the CMDB is as it was', async () => {
    const svc = freshService(':memory:', 'cli');
    const rows = (owner: string) =>
      ['id,name,type,owner', ...Array.from({ length: 2500 }, (_, i) => `s${i},S ${i},server,${owner}`)].join('\n');
    await ok(svc, 'importCsv', { cis: file('servers-2026-11-28.csv', rows('t1')), mode: 'sync' });
    const before = dumpDb(svc.db);
    // Every row changed: refused after the first 1,000, which the rollback takes back.
    const err = await fails(svc, 'importCsv', { cis: file('servers-2026-12-05.csv', rows('t2')), mode: 'sync' });
    expect(err.message).toContain(
      'a source no import had before, and all of the first 1,000 CIs it lists were imported from servers-2026-11-28.csv. Under a new source',
    );
    expect(err.details).toMatchObject({ listed: 1000, earlierSources: [{ source: 'servers-2026-11-28.csv', cis: 1000 }] });
    expect(dumpDb(svc.db)).toBe(before);
    // Its 1,500 new CIs listed first: not a re-export on the first 1,000, but at the end, on all 4,000 it lists.
    const fresh = Array.from({ length: 1500 }, (_, i) => `n${i},N ${i},server,t2`);
    const late = [rows('t2').split('\n')[0], ...fresh, ...rows('t2').split('\n').slice(1)].join('\n');
    const lateErr = await fails(svc, 'importCsv', { cis: file('servers-2026-12-12.csv', late), mode: 'sync' });
    expect(lateErr.message).toContain('and 2,500 of the 4,000 CIs it lists were imported from servers-2026-11-28.csv.');
    expect(dumpDb(svc.db)).toBe(before);
  });

  it("an update-only import's source is no earlier source: CIs it named but did not bring do not refuse a sync", async () => {
    const svc = freshService(':memory:', 'cli');
    // CIs made in the app (source "cli"), enriched by an update-only import given that source.
    for (const k of ['h1', 'h2', 'h3']) await ok(svc, 'createCi', { key: k, fields: { name: k.toUpperCase(), type: 'server' } });
    await ok(svc, 'importCsv', { cis: file('owners.csv', 'id,owner\nh1,t1\nh2,t1\nh3,t1\n'), mode: 'update-only', source: 'cli' });
    const r = await ok(svc, 'importCsv', {
      cis: file('hosts.csv', 'id,name,type\nh1,H1,server\nh2,H2,server\nh3,H3,server\n'),
      mode: 'sync',
    });
    expect([r.counts.unchanged, r.warnings.some((w) => w.includes('of earlier sources'))]).toEqual([3, false]);
  });
});

describe('the refusal in the CLI', () => {
  beforeAll(ensureCliBuilt);

  it('cmdb import refuses the sync (exit 2), with --dry-run too, naming --source; with it, week 3 retires A and B', () => {
    const dir = tempDir();
    const db = join(dir, 's.db');
    const at = (name: string, content: string) => {
      writeFileSync(join(dir, name), content);
      return join(dir, name);
    };
    expect(cmdb(['import', '--db', db, '--cis', at('servers-2026-11-28.csv', WEEK1), '--mode', 'sync']).code).toBe(0);
    const w2 = at('servers-2026-12-05.csv', WEEK2);
    for (const dry of [['--dry-run'], []]) {
      const r = cmdb(['import', '--db', db, '--cis', w2, '--mode', 'sync', ...dry]);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toContain(
        'To sync that source, add --source servers-2026-11-28.csv; to start a new source, give its name with --source NEW.',
      );
    }
    expect(cmdb(['import', '--db', db, '--cis', w2, '--mode', 'sync', '--source', 'servers-2026-11-28.csv']).code).toBe(0);
    const w3 = cmdb([
      'import',
      '--db',
      db,
      '--cis',
      at('servers-2026-12-12.csv', WEEK3),
      '--mode',
      'sync',
      '--source',
      'servers-2026-11-28.csv',
    ]);
    expect(w3.stdout).toContain('Retired (no longer listed): A (a), B (b).');
  });
});
