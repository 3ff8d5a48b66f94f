/**
 * docs/cli.md's example session, run line by line as a reader would type it
 * (in a scratch folder, with the repository's demo inventory): every command
 * succeeds, and the merge prints the undo command its comment quotes.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureCliBuilt, ROOT, tempDir } from './helpers.js';

/** The sh block of docs/cli.md that holds the `cmdb merge` example. */
function exampleBlock(): string[] {
  const md = readFileSync(join(ROOT, 'docs', 'cli.md'), 'utf8');
  const block = [...md.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]!).find((b) => b.includes('npx cmdb merge '));
  expect(block).toBeDefined();
  return block!.split('\n').filter((l) => l.trim() !== '');
}

describe("docs/cli.md's example session", () => {
  beforeAll(() => ensureCliBuilt(), 120_000);

  it('runs on the demo inventory as written, the merge saying how to undo it as its comment does', () => {
    const dir = tempDir();
    let undos = 0;
    const cli = `"${process.execPath}" "${join(ROOT, 'bin', 'cmdb.js')}"`;
    for (const line of exampleBlock()) {
      const command = line.replace(/^npx cmdb /, `${cli} `).replaceAll('assets/demo/', `${join(ROOT, 'assets', 'demo')}/`);
      const r = spawnSync('sh', ['-c', command], { cwd: dir, encoding: 'utf8', env: { ...process.env, CMDB_DB: join(dir, 'default.db') } });
      expect([r.status, r.stderr], line).toEqual([0, '']);
      const undo = /# keep the first; undo with: npx (cmdb undo-merge .*)$/.exec(line)?.[1];
      if (undo) expect(r.stdout).toContain(`undo it with: ${undo}\n`);
      if (undo) undos++;
    }
    expect(undos).toBe(1);
  });
});
