/**
 * Advice in an import's messages names the controls of the surface that reads it (electron/cmdb/import/advice.ts):
 * the CLI's options and mapping keys for the `cmdb` command, the import wizard's controls (or what to do in the
 * file, where it has none) for the app's doors. The same import, run for each, says each its way.
 */
import iconv from 'iconv-lite';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ADVICE, inWords, SOURCE_ADVICE, surfaceOf } from '../../electron/cmdb/import/advice.js';
import type { CmdbService } from '../../electron/cmdb/service.js';
import { fails, freshService, ok, tempDir } from './helpers.js';

/** What the CLI says and a wizard user could not act on: an option, or a key of a mapping file. */
const CLI_WORDS = /--[a-z]|emptyTarget|ciDefaults|relDefaults|shortRows|"ignore"/;

const file = (name: string, content: string) => ({ name, content });

/** A CMDB read through the CLI (`cli`) or the desktop app (`ui`). */
const service = (door: 'cli' | 'ui') => freshService(':memory:', door);

describe('advice in the words of each surface', () => {
  it('every piece of advice names a CLI option or mapping key for the CLI, and none for the wizard', () => {
    expect(surfaceOf('cli')).toBe('cli');
    expect(surfaceOf('ui')).toBe('app');
    expect(surfaceOf('web')).toBe('app');
    const phrases = Object.values(ADVICE);
    for (const p of phrases) {
      expect(p.cli).toMatch(CLI_WORDS);
      expect(p.app).not.toMatch(CLI_WORDS);
      // No phrase holds another: each is rendered once, whatever the order.
      for (const q of phrases) if (q !== p) expect(p.cli.includes(q.cli), `${p.cli} holds ${q.cli}`).toBe(false);
    }
    expect(inWords(`x ${ADVICE.sourceOwn.cli}.`, 'cli')).toBe(`x ${ADVICE.sourceOwn.cli}.`);
    expect(inWords(`x ${ADVICE.sourceOwn.cli}.`, 'app')).toBe('x under its own Source (How to import).');
  });

  it('advice that names a source: the CLI gives the name as its shell reads it back, the wizard in quotes', () => {
    const names = ['servers.csv', 'Server export (1).csv', "it's mine.csv", 'a "b" $HOME.csv', 'ends.', 'x,', 'a,b', "'"];
    for (const name of names) {
      const cli = SOURCE_ADVICE.cli(name);
      expect(cli).toMatch(CLI_WORDS);
      expect(SOURCE_ADVICE.app(name)).not.toMatch(CLI_WORDS);
      // What the shell passes as the --source value is the name.
      expect(execFileSync('sh', ['-c', `printf %s ${cli.slice('add --source '.length)}`], { encoding: 'utf8' })).toBe(name);
      // Read back in a message, whatever follows it: another, a semicolon, the end of the sentence.
      const msg = (advise: (n: string) => string) => `To sync it, ${advise(name)} or ${advise('b.csv')}; else ${advise(name)}.`;
      expect(inWords(msg(SOURCE_ADVICE.cli), 'app')).toBe(msg(SOURCE_ADVICE.app));
      expect(inWords(msg(SOURCE_ADVICE.cli), 'cli')).toBe(msg(SOURCE_ADVICE.cli));
    }
    expect(SOURCE_ADVICE.cli('servers.csv')).toBe('add --source servers.csv');
    expect(SOURCE_ADVICE.app('servers.csv')).toBe('set Source to “servers.csv”');
    // No fixed phrase holds it (each is rendered once).
    for (const p of Object.values(ADVICE)) expect(p.cli).not.toContain('add --source');
  });

  it('a rejected import: the CLI says --skip-bad-rows, the wizard its “Skip bad rows” choice', async () => {
    const bad = { cis: file('bad.csv', 'id,name,type\na,A,server\nb,,server\n') };
    expect((await fails(service('cli'), 'importCsv', bad)).message).toContain(
      'Nothing was imported: fix the rows, or run again with --skip-bad-rows to import the others.',
    );
    const app = await fails(service('ui'), 'importCsv', bad);
    expect(app.message).toContain(
      'Nothing was imported: fix the rows, or import again with “Skip bad rows” (How to import) to import the others.',
    );
    expect(app.message).not.toMatch(CLI_WORDS);
  });

  it('a job (the wizard’s import) fails in the wizard’s words too', async () => {
    const svc = service('ui');
    const { jobId } = await ok(svc, 'startImport', { cis: file('bad.csv', 'id,name,type\na,A,server\nb,,server\n') });
    const job = await svc.imports.waitForJob(jobId);
    expect(job.state).toBe('failed');
    expect(job.error?.message).toContain('import again with “Skip bad rows”');
    expect(job.error?.message).not.toMatch(CLI_WORDS);
  });

  it('row errors and notes: a relationship without a target, an update-only skip, a first sync', async () => {
    const run = async (svc: CmdbService) => {
      await ok(svc, 'importCsv', { cis: file('inv.csv', 'id,name,type\na,A,server\nb,B,server\n') });
      const rels = await ok(svc, 'importCsv', {
        relationships: file('rels.csv', 'source,target,type\na,b,depends_on\nb,,depends_on\n'),
        skipBadRows: true,
        dryRun: true,
      });
      const skipped = await ok(svc, 'importCsv', { cis: file('own.csv', 'id,owner\nnope,team\n'), mode: 'update-only' });
      // Under a new source given explicitly (by default, the file's name, it is refused: the error below).
      const sync = await ok(svc, 'importCsv', {
        cis: file('inv-2.csv', 'id,name,type\na,A,server\n'),
        mode: 'sync',
        source: 'inv-2.csv',
        dryRun: true,
      });
      return [rels.errors[0]!.message, ...skipped.warnings, ...sync.warnings].join('\n');
    };
    const cli = await run(service('cli'));
    expect(cli).toContain('set "emptyTarget": "skip" in the mapping');
    expect(cli).toContain('to create these CIs, import with --mode upsert.');
    expect(cli).toContain("sync under that export's source (--source NAME; sources so far: inv.csv)");
    const app = await run(service('ui'));
    expect(app).toContain(
      'if the column is a reference that some rows leave empty, import with “Skip bad rows” (How to import) to leave those rows’ relationships out.',
    );
    expect(app).toContain('to create these CIs, import with the mode “Create and update”.');
    expect(app).toContain("sync under that export's source (type it as the Source under How to import; sources so far: inv.csv)");
    expect(app).not.toMatch(CLI_WORDS);
  });

  it('a sync refused for its new source: the CLI names --source with each earlier source, the wizard its Source', async () => {
    const run = async (svc: CmdbService) => {
      await ok(svc, 'importCsv', { cis: file("it's inv.csv", 'id,name,type\na,A,server\n') });
      return (await fails(svc, 'importCsv', { cis: file('inv-2.csv', 'id,name,type\na,A,server\n'), mode: 'sync' })).message;
    };
    expect(await run(service('cli'))).toContain(
      "To sync that source, add --source 'it'\\''s inv.csv'; to start a new source, give its name with --source NEW.",
    );
    const app = await run(service('ui'));
    expect(app).toContain(
      "To sync that source, set Source to “it's inv.csv”; to start a new source, type its name as the Source (How to import).",
    );
    expect(app).not.toMatch(CLI_WORDS);
  });

  it('a file that turns to another encoding: the CLI names --encoding, the wizard (which has no encoding choice) says to save it as UTF-8', async () => {
    const path = join(tempDir(), 'mixed.csv');
    const utf8 = 'id,name,type\nz-1,Zürich gateway,server\n';
    writeFileSync(path, Buffer.concat([Buffer.from(utf8, 'utf8'), iconv.encode('z-3,Köln core,server\n', 'windows-1252')]));
    const cli = await fails(service('cli'), 'importCsv', { cis: { path } });
    expect(cli.message).toContain(
      "Save it as UTF-8 again, or give its encoding (--encoding windows-1252, or mac-roman for Excel for Mac's CSV).",
    );
    const app = await fails(service('ui'), 'importCsv', { cis: { path } });
    expect(app.message).toContain('Save it as UTF-8 again (in Excel, “CSV UTF-8”) and choose it again.');
    expect(app.message).not.toMatch(CLI_WORDS);
  });

  it('a missing type column: the CLI names ciDefaults.type, the wizard its Default Type box', async () => {
    const noType = { cis: file('cis.csv', 'id,name\na,A\n') };
    expect((await fails(service('cli'), 'importCsv', noType)).message).toContain('give a default type in the mapping (ciDefaults.type)');
    const app = await fails(service('ui'), 'importCsv', noType);
    expect(app.message).toContain('or give a default type in the Default Type box of the file’s column mapping');
    expect(app.message).not.toMatch(CLI_WORDS);
  });
});
