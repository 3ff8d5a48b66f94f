/**
 * The documentation holds together: every relative link and `#anchor` in
 * README.md, docs/*.md and tests/bench/RESULTS.md resolves (anchors as GitHub makes them from
 * headings), every docs page is reachable from the README, and the README
 * stays a front page.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
/** README.md stays a front page: what it is, one screenshot, quick start, where to read on. */
const README_MAX_BYTES = 12_500;

/** The text outside fenced code blocks, with line numbers kept (fenced lines become empty). */
function withoutFences(markdown: string): string[] {
  let fence: string | null = null;
  return markdown.split('\n').map((line) => {
    const open = /^ {0,3}(`{3,}|~{3,})/.exec(line);
    if (fence === null && open) {
      fence = open[1]!;
      return '';
    }
    if (fence !== null) {
      if (line.trimStart().startsWith(fence)) fence = null;
      return '';
    }
    return line;
  });
}

/** Inline code spans removed, so `[a](b)` shown as code is not taken for a link. */
const withoutCodeSpans = (line: string): string => line.replace(/(`+)(?:(?!\1).)+?\1/g, '');

/**
 * A heading's anchor as GitHub makes it (github-slugger): lower case, every
 * character that is not a letter, mark, digit, `_`, `-` or space dropped, spaces
 * made hyphens. Inline markup goes first: a link's text stays, code spans keep
 * their content.
 */
export function githubSlug(heading: string): string {
  const text = heading
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/`/g, '')
    .trim();
  return text
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
    .replace(/ /g, '-');
}

/** The anchors of a Markdown file's ATX headings, a repeated one suffixed `-1`, `-2`, ... as GitHub does. */
export function anchorsOf(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const anchors = new Set<string>();
  for (const line of withoutFences(markdown)) {
    const m = /^ {0,3}#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (!m) continue;
    const base = githubSlug(m[1]!);
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    anchors.add(n === 0 ? base : `${base}-${n}`);
  }
  return anchors;
}

/** One link in a Markdown file: where it is and what it points at. */
export interface DocLink {
  line: number;
  target: string;
}

/** Inline links and images outside code (`[text](target)`, `![alt](target "title")`). */
export function linksOf(markdown: string): DocLink[] {
  const links: DocLink[] = [];
  withoutFences(markdown).forEach((raw, i) => {
    const line = withoutCodeSpans(raw);
    for (const m of line.matchAll(/!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) links.push({ line: i + 1, target: m[1]! });
  });
  return links;
}

/**
 * What is wrong with the relative links of `file` (a path under `root`): a
 * file or folder that does not exist, or an anchor no heading of the target
 * Markdown file makes. Links with a scheme (`https:`, `mailto:`) are not checked.
 */
export function brokenLinks(root: string, file: string, read: (path: string) => string): string[] {
  const problems: string[] = [];
  for (const { line, target } of linksOf(read(file))) {
    if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue;
    const hash = target.indexOf('#');
    const pathPart = decodeURI(hash < 0 ? target : target.slice(0, hash));
    const anchor = hash < 0 ? null : decodeURIComponent(target.slice(hash + 1));
    const where = `${relative(root, file)}:${line} ${target}`;
    const dest = pathPart === '' ? file : resolve(dirname(file), pathPart);
    if (!dest.startsWith(root + '/') && dest !== root) {
      problems.push(`${where}: points outside the repository`);
      continue;
    }
    if (!existsSync(dest)) {
      problems.push(`${where}: no such file`);
      continue;
    }
    if (anchor === null) continue;
    if (!dest.endsWith('.md') || !statSync(dest).isFile()) problems.push(`${where}: an anchor into a file that is not Markdown`);
    else if (!anchorsOf(read(dest)).has(anchor)) problems.push(`${where}: no heading makes #${anchor}`);
  }
  return problems;
}

const docsDir = join(ROOT, 'docs');
const docFiles = [
  join(ROOT, 'README.md'),
  ...readdirSync(docsDir)
    .filter((f) => f.endsWith('.md'))
    .map((f) => join(docsDir, f)),
];
/** Other Markdown the docs link to and that links back into them. */
const linkedFiles = [join(ROOT, 'tests', 'bench', 'RESULTS.md')];
const readText = (path: string) => readFileSync(path, 'utf8');

describe('githubSlug and anchorsOf', () => {
  it('make the anchors GitHub makes from headings', () => {
    expect(githubSlug('The app in a browser: `cmdb serve`')).toBe('the-app-in-a-browser-cmdb-serve');
    expect(githubSlug('A messy spreadsheet, step by step')).toBe('a-messy-spreadsheet-step-by-step');
    expect(githubSlug('Search and the graph at a million CIs')).toBe('search-and-the-graph-at-a-million-cis');
    expect(githubSlug('The `cmdb` command')).toBe('the-cmdb-command');
    expect(githubSlug('Desktop app & installers')).toBe('desktop-app--installers');
    expect(githubSlug('[Linked](x.md) heading_with_underscore')).toBe('linked-heading_with_underscore');
    expect(githubSlug('Ünïcode heading')).toBe('ünïcode-heading');
  });

  it('number repeated headings and ignore lines in code blocks', () => {
    const md = ['# Title', '## Notes', '```sh', '# not a heading', '```', '## Notes', '### Closed ###'].join('\n');
    expect([...anchorsOf(md)]).toEqual(['title', 'notes', 'notes-1', 'closed']);
  });
});

describe('brokenLinks', () => {
  const root = realpathSync(mkdtempSync(join(tmpdir(), 'cmdb-docs-links-')));
  mkdirSync(join(root, 'docs'));
  mkdirSync(join(root, 'images'));
  writeFileSync(join(root, 'images', 'shot.png'), '');
  writeFileSync(
    join(root, 'A.md'),
    [
      '# A',
      '[ok](docs/b.md#second-part) [self](#a) [web](https://example.com/#nothing) ![shot](images/shot.png)',
      '[bad file](docs/missing.md) [bad anchor](docs/b.md#third) [bad self](#b) [folder anchor](docs#x)',
      'Shown as code: `[in code](nowhere.md)`',
      '```md',
      '[in a block](nowhere.md)',
      '```',
      '[spaces](docs/b%20c.md)',
    ].join('\n'),
  );
  writeFileSync(join(root, 'docs', 'b.md'), '# B\n\n## Second part\n\n[up](../A.md#a) [out](../../elsewhere.md)\n');
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('reports a missing file, a missing anchor, an anchor into a folder and a link out of the repository; nothing in code', () => {
    expect(brokenLinks(root, join(root, 'A.md'), readText)).toEqual([
      'A.md:3 docs/missing.md: no such file',
      'A.md:3 docs/b.md#third: no heading makes #third',
      'A.md:3 #b: no heading makes #b',
      'A.md:3 docs#x: an anchor into a file that is not Markdown',
      'A.md:8 docs/b%20c.md: no such file',
    ]);
    expect(brokenLinks(root, join(root, 'docs', 'b.md'), readText)).toEqual([
      'docs/b.md:5 ../../elsewhere.md: points outside the repository',
    ]);
  });
});

describe('README.md and docs/', () => {
  it.each([...docFiles, ...linkedFiles].map((f) => [relative(ROOT, f), f]))(
    'every relative link and anchor in %s resolves',
    (_name, file) => {
      expect(brokenLinks(ROOT, file, readText)).toEqual([]);
    },
  );

  it('README.md links every page of docs/', () => {
    const linked = new Set(linksOf(readText(join(ROOT, 'README.md'))).map((l) => resolve(ROOT, l.target.split('#')[0]!)));
    expect(docFiles.slice(1).filter((f) => !linked.has(f))).toEqual([]);
  });

  it(`README.md stays a front page of at most ${README_MAX_BYTES} bytes (the rest belongs in docs/)`, () => {
    expect(statSync(join(ROOT, 'README.md')).size).toBeLessThanOrEqual(README_MAX_BYTES);
  });
});
