// Security scan of the Electron code with @doyensec/electronegativity. Fails
// on any finding that electronegativity.config.json does not accept with a
// reason, and on accepted entries that no longer match anything (so the list
// cannot rot). Runs offline.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const config = JSON.parse(readFileSync(join(root, 'electronegativity.config.json'), 'utf8'));
const input = resolve(root, config.input ?? 'electron');

for (const a of config.accepted ?? []) {
  if (!a.check || !a.file || !a.reason || a.reason.trim().length < 20) {
    process.stderr.write(
      `electronegativity.config.json: every accepted finding needs check, file and a real reason: ${JSON.stringify(a)}\n`,
    );
    process.exit(1);
  }
}

const mod = createRequire(import.meta.url)('@doyensec/electronegativity');
const run = mod.default ?? mod;

// The tool prints progress chatter; keep our own output to the verdict.
const log = console.log;
console.log = () => undefined;
let result;
try {
  result = await run({
    input,
    electronVersionOverride: config.electronVersion,
    isRelative: true,
    excludeFromScan: (config.excludeChecks ?? []).map((c) => c.check),
  });
} finally {
  console.log = log;
}

const fatal = result.errors.filter((e) => !e.tolerable);
for (const e of fatal) process.stderr.write(`electronegativity: could not parse ${relative(root, e.file)}: ${e.message}\n`);

const used = new Set();
const rejected = [];
for (const issue of result.issues) {
  const file = String(issue.file).replace(/\\/g, '/');
  const i = (config.accepted ?? []).findIndex((a) => a.check === issue.id && a.file === file);
  if (i >= 0) used.add(i);
  else rejected.push(issue);
}
const stale = (config.accepted ?? []).filter((_, i) => !used.has(i));

for (const r of rejected) {
  process.stdout.write(
    `FINDING ${r.id} in ${config.input}/${r.file}:${r.location?.line ?? '?'} (${r.severity?.name}, ${r.confidence?.name}): ${r.description}\n`,
  );
}
for (const s of stale) process.stdout.write(`STALE accepted entry (matches no finding; remove it): ${s.check} in ${s.file}\n`);
process.stdout.write(
  `electronegativity: ${result.globalChecks + result.atomicChecks} checks on ${config.input}/; ` +
    `${result.issues.length} findings, ${result.issues.length - rejected.length} accepted, ${rejected.length} not accepted, ${stale.length} stale acceptances, ${fatal.length} parse errors\n`,
);
process.exit(rejected.length + stale.length + fatal.length > 0 ? 1 : 0);
