// `npm test`: every check CI runs, in order, stopping at the first failure.
// Each step prints its own summary; the last line is the totals.
// `npm test -- unit lint` runs only the steps whose names start with those words.
import { spawnSync } from 'node:child_process';
import { findChromium } from './chromium.mjs';

const E2E = 'end-to-end tests (Chromium via the web host)';
const steps = [
  ['build', 'npm', ['run', '--silent', 'build']],
  ['typecheck', 'npm', ['run', '--silent', 'typecheck']],
  ['lint', 'npm', ['run', '--silent', 'lint']],
  ['unit tests', 'npx', ['vitest', 'run']],
  ['security scan', 'node', ['scripts/electronegativity.mjs']],
  [E2E, 'npx', ['playwright', 'test']],
];

const only = process.argv.slice(2);
const chosen = steps.filter(([name]) => only.length === 0 || only.some((o) => name.startsWith(o)));

// Find the browser before anything runs, so a machine without one is told at once, not after the build and unit tests.
if (chosen.some(([name]) => name === E2E)) {
  const chromium = ensureChromium();
  if (!chromium.path) {
    process.stdout.write(`\n${chromium.reason}\n\nsteps: 0 passed, 1 failed\n`);
    process.exit(1);
  }
  process.stdout.write(`Chromium for the end-to-end tests: ${chromium.path} (${chromium.source})\n`);
  process.env.CMDB_CHROMIUM = chromium.path;
}

let passed = 0;
let failed = 0;
for (const [name, cmd, args] of chosen) {
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

/** A Chromium found on the machine, or Playwright's fetched now (which fails fast where downloads are blocked). */
function ensureChromium() {
  const found = findChromium();
  if (found.path || process.env.CMDB_CHROMIUM) return found;
  process.stdout.write('No Chromium found; trying `npx playwright install chromium`...\n');
  const r = spawnSync('npx', ['playwright', 'install', 'chromium'], { stdio: 'inherit', timeout: 10 * 60_000 });
  if (r.status !== 0) process.stdout.write('The download did not work.\n');
  return findChromium();
}
