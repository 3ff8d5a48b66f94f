/** Worker threads of the import: where their scripts are, and starting one from the bundle or from sources. */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';

/**
 * A worker script: the bundled dist/NAME.js (beside this bundle or one folder up), or SOURCE relative to this
 * file when running from sources (loaded through tsx). Default: the import worker.
 */
export function workerScript(name = 'import-worker', source = '../worker.ts'): { url: URL; fromSource: boolean } | null {
  const here = import.meta.url;
  const fromSource = here.endsWith('.ts');
  const candidates = fromSource ? [source] : [`./${name}.js`, `../${name}.js`];
  for (const rel of candidates) {
    const url = new URL(rel, here);
    if (existsSync(fileURLToPath(url))) return { url, fromSource };
  }
  return null;
}

/** A worker for the script; from sources, a tiny bootstrap registers tsx's loader in the thread first. */
export function newWorker(script: { url: URL; fromSource: boolean }, workerData: unknown): Worker {
  if (!script.fromSource) return new Worker(script.url, { workerData });
  const tsxApi = import.meta.resolve('tsx/esm/api');
  const boot = `import(${JSON.stringify(tsxApi)}).then((m) => { m.register(); return import(${JSON.stringify(script.url.href)}); });`;
  return new Worker(boot, { eval: true, workerData });
}
