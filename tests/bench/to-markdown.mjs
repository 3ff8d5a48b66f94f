#!/usr/bin/env node
/**
 * Renders a `npm run bench -- --json FILE` result as Markdown, for tests/bench/RESULTS.md:
 *   node tests/bench/to-markdown.mjs .bench/full.json
 */
import { readFileSync } from 'node:fs';

const file = process.argv[2];
if (!file) {
  process.stderr.write('usage: node tests/bench/to-markdown.mjs RESULT.json\n');
  process.exit(2);
}
const r = JSON.parse(readFileSync(file, 'utf8'));
const cell = (v) => String(v ?? '').replace(/\|/g, '\\|');
const table = (head, rows) => [head, head.map(() => '---'), ...rows].map((row) => `| ${row.map(cell).join(' | ')} |`).join('\n');
const m = r.machine;
const g = r.steps.generate ?? {};
const out = [
  `**${r.options.cis.toLocaleString('en')} CIs, ${g.relationships?.toLocaleString('en') ?? '?'} relationships** (seed ${r.options.seed}), ` +
    `${r.startedAt.replace('T', ' ').slice(0, 16)} to ${r.finishedAt.slice(11, 16)} UTC. ` +
    `Machine: ${m.nproc} cores (nproc), ${m.memoryGb} GB RAM, ${m.cpu}; Node ${m.node}; sqlite3 CLI ${m.sqlite3Cli ?? 'missing'}; load average at start ${m.loadAverage}.`,
  '',
  table(
    r.header,
    r.rows.map((row) => row.cells),
  ),
  '',
  table(
    ['target', 'now', 'status'],
    r.targets.map((t) => [t.target, t.value, t.status]),
  ),
];
if (r.notes?.length) out.push('', ...r.notes.map((n) => `- ${n}`));
if (r.errors?.length) out.push('', 'Problems in this run:', '', ...r.errors.map((e) => `- ${e}`));
process.stdout.write(`${out.join('\n')}\n`);
