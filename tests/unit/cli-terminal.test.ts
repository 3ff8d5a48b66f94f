/**
 * Text from the data never drives the terminal: CSV headers, CI names, file
 * names and values quoted in errors holding escape sequences (set the window
 * title, clear the screen), C1 controls and bidi overrides reach stdout and
 * stderr escaped, and line breaks inside a value never break a row; --json
 * still gives the exact values, and exported CSV files stay byte for byte.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { COLUMN_MAX, table } from '../../electron/cli/common.js';
import { jsonText, oneLine, printDocument, printLines, terminalSafe } from '../../electron/cli/terminal.js';
import { cutText } from '../../shared/format.js';
import { cmdb, type CliResult, DEMO_CIS, ensureCliBuilt, tempDir } from './helpers.js';

const ATTACK = '\u001b]0;pwned\u0007\u001b[2J\u009b';
const HEADER = `evil${ATTACK}`;
const APP_NAME = `App${ATTACK}\u202eX`;
const DB_NAME = 'DB\u001b[2J';
const DESCRIPTION = 'line one\nline two';
const ATTR_VALUE = 'v\u001b[31mred';
const CIS_FILE = 'cis\u001b[2J.csv';

/** A raw C0 control other than newline, DEL, a C1 control, or a bidi override/isolate. */
// eslint-disable-next-line no-control-regex -- looking for control characters is the point
const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

function expectInert(r: CliResult): void {
  expect(r.stdout, JSON.stringify(r.stdout)).not.toMatch(RAW_CONTROL);
  expect(r.stderr, JSON.stringify(r.stderr)).not.toMatch(RAW_CONTROL);
}

const csvCell = (v: string) => `"${v.replace(/"/g, '""')}"`;

describe('terminal.ts', () => {
  afterEach(() => vi.restoreAllMocks());

  it('oneLine shows line breaks as ↵ and every control and bidi character as \\uXXXX, and is idempotent', () => {
    const shown = oneLine(`a\r\nb\nc\td${ATTACK}\u202eZ\u0000`);
    expect(shown).toBe('a ↵ b ↵ c\\u0009d\\u001b]0;pwned\\u0007\\u001b[2J\\u009b\\u202eZ\\u0000');
    expect(oneLine(shown)).toBe(shown);
    expect(oneLine('Café ✓ C:\\data')).toBe('Café ✓ C:\\data');
  });

  it('oneLine, terminalSafe and jsonText show the invisible characters as \\uXXXX too: zero-width ones, word joiner, BOM, soft hyphen', () => {
    const invisible = 'a\u200bb\u2060e\ufefff\u00adg';
    const shown = 'a\\u200bb\\u2060e\\ufefff\\u00adg';
    expect(oneLine(invisible)).toBe(shown);
    expect(oneLine(shown)).toBe(shown);
    expect(terminalSafe(`${invisible}\r\n`)).toBe(`${shown}\r\n`);
    expect(jsonText({ key: invisible })).toContain(shown);
    expect(JSON.parse(jsonText({ key: invisible }))).toEqual({ key: invisible });
  });

  it('leaves the joiners of Persian, Indic and emoji text as they are (found by a reviewer)', () => {
    for (const text of ['سرویس\u200cهای پرداخت', 'Team 👩\u200d💻 portal']) {
      expect(oneLine(text)).toBe(text);
      expect(terminalSafe(text)).toBe(text);
    }
  });

  it('terminalSafe keeps line ends (LF, CRLF) and tabs, the layout, and escapes the rest', () => {
    expect(terminalSafe(`# Report\n\t${DB_NAME}\u007f\r\na\rb\r\n`)).toBe('# Report\n\tDB\\u001b[2J\\u007f\r\na\\u000db\r\n');
  });

  it('jsonText escapes DEL, C1 and bidi controls as \\u00XX and parses back to the exact value', () => {
    const value = { name: APP_NAME, del: 'a\u007fb', nel: 'x\u0085y', attrs: { [HEADER]: ATTR_VALUE } };
    const text = jsonText(value);
    expect(text).not.toMatch(RAW_CONTROL);
    expect(text).toContain('\\u009b');
    expect(JSON.parse(text)).toEqual(value);
  });

  it('printLines writes one visible line per entry', () => {
    const write = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    printLines([`name ${DESCRIPTION}`, DB_NAME]);
    expect(write).toHaveBeenCalledWith('name line one ↵ line two\nDB\\u001b[2J\n');
  });

  it('printDocument is byte-exact into a pipe or file and terminal-safe on a terminal', () => {
    const write = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const tty = Object.getOwnPropertyDescriptor(process.stdout, 'isTTY');
    try {
      Object.defineProperty(process.stdout, 'isTTY', { value: false, configurable: true });
      printDocument(`a\n${DB_NAME}\n`);
      Object.defineProperty(process.stdout, 'isTTY', { value: true, configurable: true });
      printDocument(`a\n${DB_NAME}\n`);
    } finally {
      if (tty) Object.defineProperty(process.stdout, 'isTTY', tty);
      else delete (process.stdout as { isTTY?: boolean }).isTTY;
    }
    expect(write.mock.calls.map((c) => c[0])).toEqual([`a\n${DB_NAME}\n`, 'a\nDB\\u001b[2J\n']);
  });
});

describe('cmdb with hostile text in the data', () => {
  let dir: string;
  let db: string;
  let cis: string;
  let importOut: CliResult;

  beforeAll(() => {
    ensureCliBuilt();
    dir = mkdtempSync(join(tmpdir(), 'cmdb-terminal-'));
    db = join(dir, 'evil.db');
    cis = join(dir, CIS_FILE);
    writeFileSync(
      cis,
      [
        ['id', 'name', 'type', 'owner', 'description', HEADER],
        ['app-evil', APP_NAME, 'application', 'team\u009bops', DESCRIPTION, ATTR_VALUE],
        ['db-evil', DB_NAME, 'database', 'owner\u0007', 'plain', 'x'],
      ]
        .map((r) => r.map(csvCell).join(','))
        .join('\n') + '\n',
    );
    const rels = join(dir, 'rels.csv');
    writeFileSync(rels, 'source,target,type\napp-evil,db-evil,depends_on\n');
    importOut = cmdb(['import', '--db', db, '--cis', cis, '--relationships', rels, '--progress', 'none']);
    return () => rmSync(dir, { recursive: true, force: true });
  }, 120_000);

  it('import and a dry run print the header, the names and the file name escaped', () => {
    expect(importOut.code, importOut.stderr).toBe(0);
    expectInert(importOut);
    const dry = cmdb(['import', '--db', join(tempDir(), 'dry.db'), '--cis', cis, '--dry-run']);
    expect(dry.code, dry.stderr).toBe(0);
    expectInert(dry);
    expect(dry.stdout).toContain('cis\\u001b[2J.csv:2');
    // Each attribute by name: its name and value escaped, the C1 control too.
    expect(dry.stdout).toContain('evil\\u001b]0;pwned\\u0007\\u001b[2J\\u009b=v\\u001b[31mred');
    expect(dry.stdout).toContain('description=line one ↵ line two');
  });

  it('search lists the CI on one row, escaped; --json has the exact name', () => {
    const r = cmdb(['search', '--db', db, 'app-evil']);
    expect(r.code, r.stderr).toBe(0);
    expectInert(r);
    expect(r.stdout.split('\n')[1]).toMatch(
      /^app-evil\s+App\\u001b\]0;pwned\\u0007\\u001b\[2J\\u009b\\u202eX\s+application\s+team\\u009bops/,
    );
    const j = cmdb(['search', '--db', db, 'app-evil', '--json']);
    expectInert(j);
    expect((JSON.parse(j.stdout) as { items: Array<{ name: string; owner: string }> }).items[0]).toMatchObject({
      name: APP_NAME,
      owner: 'team\u009bops',
    });
  });

  it('show keeps every field on its line, escaped; --json has the exact values', () => {
    const r = cmdb(['show', '--db', db, 'app-evil']);
    expect(r.code, r.stderr).toBe(0);
    expectInert(r);
    expect(r.stdout.split('\n')[0]).toBe('App\\u001b]0;pwned\\u0007\\u001b[2J\\u009b\\u202eX  (app-evil)');
    expect(r.stdout).toMatch(/^\s+description\s+line one ↵ line two$/m);
    expect(r.stdout).toMatch(/^\s+evil\\u001b\]0;pwned\\u0007\\u001b\[2J\\u009b\s+v\\u001b\[31mred$/m);
    expect(r.stdout).toMatch(/^\s+depends_on\s+DB\\u001b\[2J \(db-evil\) \[database\]$/m);
    const other = cmdb(['show', '--db', db, 'db-evil']);
    expectInert(other);
    expect(other.stdout).toContain('App\\u001b]0;pwned\\u0007\\u001b[2J\\u009b\\u202eX (app-evil) [application]');
    const j = cmdb(['show', '--db', db, 'app-evil', '--json']);
    expectInert(j);
    const d = JSON.parse(j.stdout) as { ci: { name: string; description: string; attributes: Record<string, string> } };
    expect(d.ci).toMatchObject({ name: APP_NAME, description: DESCRIPTION, attributes: { [HEADER]: ATTR_VALUE } });
  });

  it('impact, imports, assess and changes print names, titles and file names escaped', () => {
    const impact = cmdb(['impact', '--db', db, 'db-evil']);
    expect(impact.code, impact.stderr).toBe(0);
    expectInert(impact);
    expect(impact.stdout).toContain('App\\u001b]0;pwned');
    const impactJson = cmdb(['impact', '--db', db, 'db-evil', '--json']);
    expectInert(impactJson);
    const impacted = (JSON.parse(impactJson.stdout) as { impacted: Array<{ key: string; name: string }> }).impacted;
    expect(impacted.find((i) => i.key === 'app-evil')?.name).toBe(APP_NAME);

    const imports = cmdb(['imports', '--db', db]);
    expect(imports.code, imports.stderr).toBe(0);
    expectInert(imports);
    expect(imports.stdout).toContain('cis\\u001b[2J.csv');

    const copy = join(tempDir(), 'changes.db');
    writeFileSync(copy, readFileSync(db));
    const title = `Patch ${DB_NAME}`;
    const assess = cmdb(['assess', '--db', copy, '--ref', `CHG\u009b1`, '--title', title, 'db-evil', '--out', join(dir, 'r.md')]);
    expect(assess.code, assess.stderr).toBe(0);
    expectInert(assess);
    const changes = cmdb(['changes', '--db', copy]);
    expect(changes.code, changes.stderr).toBe(0);
    expectInert(changes);
    expect(changes.stdout).toMatch(/CHG\\u009b1\s+.*Patch DB\\u001b\[2J$/m);
    const changesJson = cmdb(['changes', '--db', copy, '--json']);
    expect((JSON.parse(changesJson.stdout) as { items: Array<{ ref: string; title: string }> }).items[0]).toMatchObject({
      ref: 'CHG\u009b1',
      title,
    });
  });

  it('preview shows the header and the values escaped, each row on one line', () => {
    const r = cmdb(['preview', cis]);
    expect(r.code, r.stderr).toBe(0);
    expectInert(r);
    expect(r.stdout).toContain('evil\\u001b]0;pwned\\u0007\\u001b[2J\\u009b');
    expect(r.stdout).toMatch(/^app-evil\s+App\\u001b.*line one ↵ line two/m);
  });

  it('export writes the CSV byte for byte (the raw characters stay in the file)', () => {
    const out = join(tempDir(), 'out.csv');
    const r = cmdb(['export', '--db', db, '--cis', out]);
    expect(r.code, r.stderr).toBe(0);
    const text = readFileSync(out, 'utf8');
    expect(text).toContain(APP_NAME);
    expect(text).toContain(HEADER);
  });

  it('errors that quote data are one line on stderr, escaped', () => {
    const missing = cmdb(['show', '--db', db, `no${ATTACK}`]);
    expect(missing.code).toBe(1);
    expectInert(missing);
    expect(missing.stderr.trimEnd().split('\n')).toEqual([expect.stringMatching(/^cmdb: .*no\\u001b\]0;pwned\\u0007\\u001b\[2J\\u009b/)]);

    const rels = join(tempDir(), 'bad-rels.csv');
    writeFileSync(rels, `source,target,type\napp-evil,${csvCell(`ghost${ATTACK}\nnext`)},depends_on\n`);
    const bad = cmdb(['import', '--db', db, '--relationships', rels, '--progress', 'none']);
    expect(bad.code).toBe(1);
    expectInert(bad);
    expect(bad.stderr.trimEnd().split('\n')).toEqual([expect.stringMatching(/^cmdb: .*ghost\\u001b\]0;pwned/)]);
  });

  it('usage errors quoting the command line are one line, escaped', () => {
    const r = cmdb(['search', '--db', db, `--bogus${ATTACK}`]);
    expect(r.code).toBe(2); // a bad command line, as docs/cli.md says
    for (const args of [['nosuchcmd'], ['impact'], []]) expect(cmdb(args).code).toBe(2);
    expect(cmdb(['--version']).code).toBe(0);
    expectInert(r);
    expect(r.stderr.trimEnd().split('\n')).toEqual([expect.stringMatching(/^cmdb: unknown option '--bogus\\u001b.*--help/)]);
  });
});

describe('cmdb with keys that differ by an invisible character (found by a security review)', () => {
  it('search and the names a CI name is shared by show each key as it differs: srv-01 and srv\\u200b-01', () => {
    ensureCliBuilt();
    const dir = tempDir('cmdb-invisible-');
    const db = join(dir, 'zw.db');
    const cis = join(dir, 'zw.csv');
    writeFileSync(cis, 'id,name,type,owner\nsrv-01,Payroll DB,database,team-a\nsrv\u200b-01,Payroll DB,database,team-b\n');
    expect(cmdb(['import', '--db', db, '--cis', cis, '--progress', 'none']).code).toBe(0);
    const search = cmdb(['search', '--db', db, 'srv']);
    expect(search.code, search.stderr).toBe(0);
    expect(search.stdout).toMatch(/^srv-01 /m);
    expect(search.stdout).toMatch(/^srv\\u200b-01 /m);
    expect(search.stdout).not.toContain('\u200b');
    const show = cmdb(['show', '--db', db, 'Payroll DB']);
    expect(show.code).not.toBe(0);
    expect(show.stderr).toContain('srv\\u200b-01');
    expect(show.stderr).not.toContain('\u200b');
  });
});

describe('cmdb errors are one line that says what to do', () => {
  beforeAll(() => ensureCliBuilt(), 120_000);

  function reason(r: CliResult): string {
    const lines = r.stderr.split('\n').filter((l) => l !== '');
    expect(lines, r.stderr).toHaveLength(1);
    return lines[0]!;
  }

  it('a file-system error on a path the user gave names the path and the fix, not errno words', () => {
    const dir = tempDir();
    const db = join(dir, 'x.db');
    expect(cmdb(['import', '--db', db, '--cis', DEMO_CIS, '--progress', 'none']).code).toBe(0);
    const missing = cmdb(['export', '--db', db, '--cis', join(dir, 'no-such-folder', 'out.csv')]);
    expect(missing.code).toBe(2);
    expect(reason(missing)).toBe(
      `cmdb: --cis ${join(dir, 'no-such-folder', 'out.csv')}: the folder ${join(dir, 'no-such-folder')} does not exist. Create it, or name a file in a folder that does.`,
    );
    const folder = cmdb(['export', '--db', db, '--cis', dir]);
    expect(reason(folder)).toBe(`cmdb: ${dir} is a folder. Give a file name.`);
  });

  it('a bad number option names the option and what it takes (exit 2)', () => {
    const r = cmdb(['search', '--db', join(tempDir(), 'none.db'), '--limit', 'abc', 'x']);
    expect(r.code).toBe(2);
    expect(reason(r)).toBe('cmdb: --limit must be a whole number from 1 to 1000, not "abc".');
    // Decimal digits only (Number() would take 1e3 and 0x10), and a number past the largest is said to be too large.
    for (const [v, says] of [
      ['1e3', 'not "1e3".'],
      ['0x10', 'not "0x10".'],
      ['-1', 'not "-1".'],
      ['99999999999999999999', 'not "99999999999999999999" (too large).'],
    ]) {
      const bad = cmdb(['search', '--db', join(tempDir(), 'none.db'), '--limit', v!, 'x']);
      expect([bad.code, reason(bad)]).toEqual([2, `cmdb: --limit must be a whole number from 1 to 1000, ${says}`]);
    }
    // Every command's numbers read so: generate's (which allows 1_000_000) and undo-import's.
    const gen = cmdb(['generate', '--cis', '1e4', '--out', tempDir()]);
    expect([gen.code, reason(gen)]).toEqual([2, 'cmdb: --cis must be a whole number of at least 200, not "1e4".']);
    // --cis below MIN_CIS is refused in the same words, as its help promises (at least 200).
    const small = cmdb(['generate', '--cis', '1_99', '--out', tempDir()]);
    expect([small.code, reason(small)]).toEqual([2, 'cmdb: --cis must be a whole number of at least 200, not "199".']);
    const none = join(tempDir(), 'none.db');
    const undo = cmdb(['undo-import', '--db', none, '99999999999999999999']);
    expect([undo.code, reason(undo)]).toEqual([
      2,
      `cmdb: "99999999999999999999" is not an import number. The imports are listed by: cmdb imports --db ${none}`,
    ]);
  });

  it("a number past the largest the command's request takes names the option's range (exit 2), not the schema's words", () => {
    const db = join(tempDir(), 'none.db');
    const csv = join(tempDir(), 'cis.csv');
    writeFileSync(csv, 'id,name,type\na,b,server\n');
    const huge = '99999999999';
    for (const [args, option, range] of [
      [['search', '--limit', huge], '--limit', 'from 1 to 1000'],
      [['show', 'x', '--limit', huge], '--limit', 'from 0 to 1000'],
      [['graph', 'x', '--format', 'json', '--max-nodes', huge], '--max-nodes', 'from 1 to 20000'],
      [['graph', 'x', '--format', 'json', '--depth', '11'], '--depth', 'from 0 to 10'],
      [['impact', 'x', '--limit', huge], '--limit', 'from 0 to 1000000'],
      [['changes', '--limit', huge], '--limit', 'from 1 to 1000'],
      [['imports', '--limit', huge], '--limit', 'from 1 to 1000'],
      [['merges', '--limit', huge], '--limit', 'from 1 to 1000'],
      [['preview', csv, '--rows', huge], '--rows', 'from 1 to 1000'],
      [['import', '--dry-run', '--cis', csv, '--rows', huge], '--rows', 'from 0 to 10000'],
      [['health', '--limit', huge], '--limit', 'from 0 to 1000000'],
      [['diff', 'now', '--limit', huge], '--limit', 'from 0 to 10000000'],
    ] as const) {
      const r = cmdb([...args, '--db', db]);
      const value = args[args.length - 1];
      expect([r.code, reason(r)], args.join(' ')).toEqual([2, `cmdb: ${option} must be a whole number ${range}, not "${value}".`]);
    }
  });

  it('a CI given as an empty value is named so (exit 2), not as a schema error', () => {
    const dir = tempDir();
    const db = join(dir, 'x.db');
    expect(cmdb(['import', '--db', db, '--cis', DEMO_CIS, '--progress', 'none']).code).toBe(0);
    for (const args of [
      ['impact', ''],
      ['show', ' '],
      ['merge', 'x', ''],
    ]) {
      const r = cmdb([...args, '--db', db]);
      expect([r.code, reason(r)]).toEqual([
        2,
        'cmdb: A CI was given as an empty value: name each CI by its key or name (check the quotes).',
      ]);
    }
  });

  it('a usage error is one line pointing at --help', () => {
    const r = cmdb(['export']);
    expect(r.code).not.toBe(0);
    expect(reason(r)).toBe(
      'cmdb: say where to write: --out DIR (cis.csv and relationships.csv in it), or --cis FILE (add --help for usage)',
    );
  });

  it('commander’s own message keeps its lines, not the ↵ meant for data; what it quotes stays inert (found by a change manager)', () => {
    const r = cmdb(['assess', '--ref', 'X', '--titel', 'x']);
    expect([r.code, r.stdout, r.stderr]).toEqual([
      2,
      '',
      "cmdb: unknown option '--titel'\n(Did you mean --title?) (add --help for usage)\n",
    ]);
    const evil = cmdb(['assess', '--ref', 'X', '--ti\u001b[2Jx']);
    expect(evil.stderr).toBe("cmdb: unknown option '--ti\\u001b[2Jx' (add --help for usage)\n");
  });
});

describe('a long value in a terminal table (found by a tester: one 20,000-character name padded every row past 20,000)', () => {
  it('table cuts a padded cell at COLUMN_MAX with "…", a column given more at its own, and leaves the last column whole', () => {
    const long = 'x'.repeat(500);
    const lines = table([
      ['KEY', 'NAME', 'NOTE'],
      ['a', long, long],
      ['b', 'short', 'n'],
    ]);
    expect(lines[0]).toBe(`KEY  ${'NAME'.padEnd(COLUMN_MAX)}  NOTE`);
    expect(lines[1]).toBe(`a    ${'x'.repeat(COLUMN_MAX - 1)}…  ${long}`);
    expect(lines[2]).toBe(`b    ${'short'.padEnd(COLUMN_MAX)}  n`);
    expect(table([['a', long, '']], { 1: 200 })[0]).toBe(`a  ${'x'.repeat(199)}…  `);
  });

  it('cutText ends a cut text with "…", never inside an emoji, and leaves a text that fits as it is', () => {
    expect(cutText('abcdef', 6)).toBe('abcdef');
    expect(cutText('abc def', 5)).toBe('abc…');
    // 'ab😀c': the emoji is two UTF-16 units; a cut after its first half would leave half a character.
    expect(cutText('ab\u{1F600}cd', 4)).toBe('ab…');
    expect(cutText('ab\u{1F600}cd', 5)).toBe('ab\u{1F600}…');
  });

  it("cmdb search and impact keep every row to the columns' maximum; --json has the whole name", () => {
    const dir = tempDir();
    const name = 'N'.repeat(20_000);
    writeFileSync(join(dir, 'cis.csv'), `id,name,type,owner\nsrv-long,${name},server,team-a\nsrv-2,Short name,server,team-b\n`);
    writeFileSync(join(dir, 'rels.csv'), 'source,target,type\nsrv-2,srv-long,depends_on\n');
    const db = join(dir, 'long.db');
    const cis = ['--cis', join(dir, 'cis.csv'), '--relationships', join(dir, 'rels.csv'), '--progress', 'none'];
    expect(cmdb(['import', '--db', db, ...cis]).code).toBe(0);
    const search = cmdb(['search', '--db', db, '']).stdout.split('\n');
    expect(search[0]).toMatch(/^KEY +NAME +TYPE +STATUS +ENV +OWNER +CRITICALITY$/);
    expect(search.find((l) => l.startsWith('srv-long'))).toContain(`${'N'.repeat(COLUMN_MAX - 1)}…  server`);
    expect(Math.max(...search.map((l) => l.length))).toBeLessThan(COLUMN_MAX + 60);
    const json = JSON.parse(cmdb(['search', '--db', db, '', '--json']).stdout) as { items: Array<{ key: string; name: string }> };
    expect(json.items.find((c) => c.key === 'srv-long')?.name).toBe(name);
    // The impact table: its header as wide as the columns' maxima (the path's is wider), not the name.
    const impact = cmdb(['impact', '--db', db, 'srv-long']).stdout.split('\n');
    const header = impact.find((l) => l.startsWith('STATE'))!;
    expect(header.length).toBeLessThan(5 * COLUMN_MAX);
    expect(impact.find((l) => l.startsWith('down'))).toMatch(/^down +1 +srv-2 +Short name +server/);
  });
});
