// `npm start` (after `npm run build`): the Electron app where its binary is
// installed; otherwise one line saying so, then the same UI through the
// loopback web host (`cmdb serve`), whose URL it prints.
// Arguments after `npm start --` go to Electron or to `cmdb serve`.
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findElectronBinary } from './electron-binary.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);

function run(cmd, argv, env = process.env) {
  const child = spawn(cmd, argv, { stdio: 'inherit', cwd: root, env });
  // Ctrl+C reaches the child through the terminal; forward SIGTERM ourselves.
  process.on('SIGTERM', () => child.kill('SIGTERM'));
  process.on('SIGINT', () => undefined);
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
  child.on('error', (err) => {
    process.stderr.write(`start: could not run ${cmd}: ${err.message}\n`);
    process.exit(1);
  });
}

const electron = process.env.CMDB_NO_ELECTRON ? { reason: 'CMDB_NO_ELECTRON is set' } : findElectronBinary();
if (electron.bin) {
  // ELECTRON_RUN_AS_NODE from a parent shell would start plain Node instead of the app.
  const env = { ...process.env };
  delete env.ELECTRON_RUN_AS_NODE;
  run(electron.bin, [root, ...args], env);
} else {
  process.stdout.write(`Electron binary not installed (${electron.reason}); starting the web host instead.\n`);
  run(process.execPath, [join(root, 'dist', 'cli.js'), 'serve', ...args]);
}
