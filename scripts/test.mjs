// `npm test`: every check CI runs, in order, stopping at the first failure.
// Each step prints its own summary; the last line is the totals.
import { spawnSync } from 'node:child_process';

const steps = [
  ['build', 'npm', ['run', '--silent', 'build']],
  ['typecheck', 'npm', ['run', '--silent', 'typecheck']],
  ['lint', 'npm', ['run', '--silent', 'lint']],
  ['unit tests', 'npx', ['vitest', 'run']],
  ['security scan', 'node', ['scripts/electronegativity.mjs']],
  ['end-to-end tests (Chromium via the web host)', 'npx', ['playwright', 'test']],
];

const only = process.argv.slice(2);
let passed = 0;
let failed = 0;
for (const [name, cmd, args] of steps) {
  if (only.length > 0 && !only.some((o) => name.startsWith(o))) continue;
  process.stdout.write(`\n== ${name} ==\n`);
  const r = spawnSync(cmd, args, { stdio: 'inherit', env: process.env });
  if (r.status === 0) {
    passed++;
  } else {
    failed++;
    process.stdout.write(`\n${name} failed (exit ${r.status ?? r.signal}).\n`);
    break;
  }
}
process.stdout.write(`\nsteps: ${passed} passed, ${failed} failed\n`);
process.exit(failed > 0 ? 1 : 0);
