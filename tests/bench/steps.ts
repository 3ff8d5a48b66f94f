/**
 * One benchmark step per process, so each step's peak RSS is its own:
 *   node --import tsx tests/bench/steps.ts <step> '<json args>'
 * prints progress on stderr and, last, one line `BENCH_RESULT {json}` on
 * stdout, with the step's figures and `maxRssMb` (process.resourceUsage()).
 * scripts/bench.mjs runs the steps and puts each figure beside its baseline.
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import Database from 'better-sqlite3';
import { generateCmdb, mulberry32 } from '../../electron/cmdb/generate.js';
import { findChromium } from '../../scripts/chromium.mjs';
import { time, timeAsync } from './timing.js';

const here = dirname(fileURLToPath(import.meta.url));
const log = (msg: string) => process.stderr.write(`  [${process.argv[2]}] ${msg}\n`);

interface Args {
  cis?: number;
  seed?: number;
  dir?: string;
  cisFile?: string;
  relsFile?: string;
  dbFile?: string;
  key?: string;
  samples?: number;
  baselineSamples?: number;
  baselineBudgetMs?: number;
  /** import-cases: how many runs of each case (medians reported). */
  runs?: number;
}

/** Percentiles of a list of durations, in ms, rounded to 0.01. */
export function summarise(ms: number[]): { n: number; p50: number; p95: number; max: number; mean: number } {
  const s = [...ms].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))] ?? NaN;
  const r = (x: number) => Math.round(x * 100) / 100;
  return {
    n: s.length,
    p50: r(at(0.5)),
    p95: r(at(0.95)),
    max: r(s[s.length - 1] ?? NaN),
    mean: r(s.reduce((a, b) => a + b, 0) / (s.length || 1)),
  };
}

/** Loads one of the other engineers' bench modules when it exists. */
async function optionalModule(name: string): Promise<Record<string, unknown> | null> {
  const file = join(here, name);
  if (!existsSync(file)) return null;
  return (await import(pathToFileURL(file).href)) as Record<string, unknown>;
}

/** Keys of `count` CIs picked at random (deterministic from the seed) over the whole estate. */
function sampleCis(db: Database.Database, count: number, seed: number): Array<{ key: string; name: string; type: string }> {
  const max = db.prepare('SELECT max(id) FROM cis').pluck().get() as number;
  const byId = db.prepare('SELECT key, name, type FROM cis WHERE id = ?');
  const rng = mulberry32(seed);
  const out: Array<{ key: string; name: string; type: string }> = [];
  for (let tries = 0; out.length < count && tries < count * 20; tries++) {
    const row = byId.get(1 + Math.floor(rng() * max)) as { key: string; name: string; type: string } | undefined;
    if (row) out.push(row);
  }
  return out;
}

/** Relationship types per dependent end, from the registry (hard and soft; `none` does not propagate). */
function propagatingTypes(db: Database.Database): { bySource: string[]; byTarget: string[] } {
  const rows = db.prepare("SELECT name, dependent FROM rel_types WHERE strength != 'none'").all() as Array<{
    name: string;
    dependent: string;
  }>;
  return {
    bySource: rows.filter((r) => r.dependent === 'source').map((r) => r.name),
    byTarget: rows.filter((r) => r.dependent === 'target').map((r) => r.name),
  };
}

const list = (xs: string[]) => (xs.length ? xs.map((x) => `'${x.replace(/'/g, "''")}'`).join(',') : 'NULL');

/** Plain reachability of everything that depends on `key`, as SQLite's recursive CTE computes it. */
export function reachabilityCteSql(db: Database.Database): string {
  const t = propagatingTypes(db);
  return `WITH RECURSIVE reach(id) AS (
      SELECT id FROM cis WHERE key = ?
      UNION
      SELECT r.source_id FROM relationships r JOIN reach ON r.target_id = reach.id WHERE r.type IN (${list(t.bySource)})
      UNION
      SELECT r.target_id FROM relationships r JOIN reach ON r.source_id = reach.id WHERE r.type IN (${list(t.byTarget)})
    ) SELECT count(*) - 1 FROM reach`;
}

/**
 * Both directions, two hops, capped like the product's neighbourhood (ids only): two walks from the centre,
 * one up (what it depends on) and one down (what depends on it), each following a relationship from its
 * dependent end or to it as its type says, so a sibling (reached down then up) is not in it.
 */
export const NEIGHBOURHOOD_CTE = `WITH RECURSIVE
  centre(id) AS (SELECT id FROM cis WHERE key = ?),
  up(id, d) AS (
    SELECT id, 0 FROM centre
    UNION
    SELECT r.target_id, up.d + 1 FROM up JOIN relationships r ON r.source_id = up.id
      WHERE up.d < 2 AND r.type IN (SELECT name FROM rel_types WHERE dependent = 'source')
    UNION
    SELECT r.source_id, up.d + 1 FROM up JOIN relationships r ON r.target_id = up.id
      WHERE up.d < 2 AND r.type IN (SELECT name FROM rel_types WHERE dependent = 'target')
  ),
  down(id, d) AS (
    SELECT id, 0 FROM centre
    UNION
    SELECT r.source_id, down.d + 1 FROM down JOIN relationships r ON r.target_id = down.id
      WHERE down.d < 2 AND r.type IN (SELECT name FROM rel_types WHERE dependent = 'source')
    UNION
    SELECT r.target_id, down.d + 1 FROM down JOIN relationships r ON r.source_id = down.id
      WHERE down.d < 2 AND r.type IN (SELECT name FROM rel_types WHERE dependent = 'target')
  )
  SELECT id FROM up UNION SELECT id FROM down LIMIT ?`;

const steps: Record<string, (a: Args) => Promise<Record<string, unknown>>> = {
  async generate(a) {
    const r = await generateCmdb({ cis: a.cis!, outDir: a.dir!, seed: a.seed ?? 1 });
    return { ms: r.durationMs, cis: r.cis, relationships: r.relationships, hubs: r.hubs, cisFile: r.cisFile, relsFile: r.relsFile };
  },

  /** The product's importer: the file importer's bench entry when present, else CmdbService.importCsv. */
  async import(a) {
    const mod = await optionalModule('import-bench.ts');
    if (mod && typeof mod.runImportBench === 'function') {
      log('using tests/bench/import-bench.ts runImportBench');
      const run = mod.runImportBench as (x: { cisFile: string; relsFile: string; dbFile: string }) => Promise<Record<string, unknown>>;
      const r = await run({ cisFile: a.cisFile!, relsFile: a.relsFile!, dbFile: a.dbFile! });
      return { ...r, importer: typeof r.via === 'string' ? `cmdb import (${r.via})` : 'import-bench.ts runImportBench' };
    }
    log('tests/bench/import-bench.ts not present: using CmdbService importCsv with the file paths');
    const { CmdbService } = await import('../../electron/cmdb/service.js');
    const svc = CmdbService.open(a.dbFile!, { source: 'bench' });
    try {
      const [res, ms] = await timeAsync(() =>
        svc.call('importCsv', {
          cis: { name: 'cis.csv', path: a.cisFile! },
          relationships: { name: 'relationships.csv', path: a.relsFile! },
        }),
      );
      if (!res.ok) throw new Error(`import failed: ${res.error.message}`);
      return { importer: 'CmdbService importCsv (paths)', ms: Math.round(ms), counts: res.value.counts, errors: res.value.errors.length };
    } finally {
      svc.close();
    }
  },

  /**
   * Issue 19's import cases on the medium real-shaped estate (tests/bench/medium-estate.ts, `cis` CIs):
   * fresh, re-import with --mode sync unchanged, with 1% of the CIs changed, and with 1% gone and as many new, each against
   * `sqlite3 .import` of the same files in the same run (tests/bench/import-cases.ts).
   */
  async 'import-cases'(a) {
    const { runImportCases } = await import('./import-cases.js');
    const r = await runImportCases(a.dir!, a.cis, a.runs ?? 3, log);
    return { ...r };
  },

  /**
   * The impact engine and the recursive CTE, in this one process, on the generated data.
   * tests/bench/impact-bench.ts (runImpactBench) measures on a database it generates itself,
   * so this step drives the same engine calls it times (GraphIndex.build, downstreamImpact,
   * CmdbService impact) on the `cmdb generate` estate instead.
   */
  async impact(a) {
    const out: Record<string, unknown> = {};
    const { CmdbService } = await import('../../electron/cmdb/service.js');
    const svc = CmdbService.open(a.dbFile!, { source: 'bench' });
    try {
      const db = svc.db;
      const ciId = db.prepare('SELECT id FROM cis WHERE key = ?').pluck().get(a.key!) as number | undefined;
      if (ciId === undefined) throw new Error(`no CI ${a.key} in ${a.dbFile}`);
      const gi = existsSync(join(here, '../../electron/cmdb/impact/graph-index.ts'))
        ? await import('../../electron/cmdb/impact/graph-index.js')
        : null;
      const en = existsSync(join(here, '../../electron/cmdb/impact/engine.ts'))
        ? await import('../../electron/cmdb/impact/engine.js')
        : null;
      if (gi && en) {
        // The engine on its own index, in a closure so that index can be freed before the service builds its own.
        const engine = (() => {
          const builds: number[] = [];
          // Build only as many times as sampled: each build is timed, and no spare index inflates the peak RSS.
          const firstBuild = time(() => gi.GraphIndex.build(db));
          let ix = firstBuild[0];
          builds.push(firstBuild[1]);
          log(`graph index build: ${Math.round(firstBuild[1])} ms`);
          for (let i = 1; i < (a.samples ?? 3); i++) {
            const [built, ms] = time(() => gi.GraphIndex.build(db));
            ix = built;
            builds.push(ms);
            log(`graph index build: ${Math.round(ms)} ms`);
          }
          const mask = ix.typeMask();
          const node = ix.nodeOf(ciId);
          const runs: number[] = [];
          let run = en.downstreamImpact(ix, [node], { mask });
          for (let i = 0; i < 5; i++) {
            const [r, ms] = time(() => en.downstreamImpact(ix, [node], { mask }));
            run = r;
            runs.push(ms);
          }
          // Origins come first in `order`; count what they impact.
          let down = 0;
          let degraded = 0;
          for (let i = run.sources.length; i < run.count; i++) {
            const st = run.state[run.order[i]!];
            if (st === en.STATE_DOWN) down++;
            else if (st === en.STATE_DEGRADED) degraded++;
          }
          log(`impact of ${a.key}: ${run.count} CIs (${down} down) in ${runs.map((r) => r.toFixed(1)).join(', ')} ms`);
          return {
            buildMs: summarise(builds).p50,
            impactMs: summarise(runs).p50,
            impacted: run.count - run.sources.length,
            down,
            degraded,
          };
        })();
        (globalThis as { gc?: () => void }).gc?.();
        const service: number[] = [];
        const req = { keys: [a.key!], direction: 'downstream', limit: 1000 };
        const first = await svc.call('impact', req);
        if (!first.ok) throw new Error(`impact failed: ${first.error.message}`);
        for (let i = 0; i < 3; i++) {
          const t0 = performance.now();
          await svc.call('impact', req);
          service.push(performance.now() - t0);
        }
        out.engine = { ...engine, serviceMs: summarise(service).p50 };
      } else {
        out.engine = null;
        out.engineMissing = 'the impact engine (electron/cmdb/impact/) is not present yet';
      }
      db.pragma('cache_size = -65536');
      const stmt = db.prepare(reachabilityCteSql(db)).pluck();
      const runs: number[] = [];
      let reached = 0;
      for (let i = 0; i < (a.samples ?? 3); i++) {
        const [n, ms] = time(() => stmt.get(a.key!) as number);
        reached = n;
        runs.push(ms);
        log(`recursive CTE reachability of ${a.key}: ${n} CIs in ${Math.round(ms)} ms`);
      }
      out.cte = { key: a.key, reached, ...summarise(runs) };
      // The bench's own correctness check: the engine and plain reachability must find the same CIs.
      const engine = out.engine as { impacted: number } | null;
      if (engine && engine.impacted !== reached)
        out.wrongAnswer = `impact of ${a.key}: the engine found ${engine.impacted} impacted CIs, the recursive CTE ${reached}; they must agree`;
    } finally {
      svc.close();
    }
    return out;
  },

  /** listCis on the FTS index vs a plain LIKE '%term%' scan of the same table. */
  async search(a) {
    const { CmdbService } = await import('../../electron/cmdb/service.js');
    const svc = CmdbService.open(a.dbFile!, { source: 'bench' });
    try {
      const sample = sampleCis(svc.db, a.samples ?? 100, (a.seed ?? 1) + 11);
      // Realistic queries: a full name, a name typed halfway, a key, the most telling word of a name.
      const kinds = ['name', 'prefix', 'key', 'word'] as const;
      const queries = sample.map((c, i) => {
        const words = c.name.split(/[\s-]+/).filter((w) => /[a-z]/i.test(w));
        const longest = words.reduce((best, w) => (w.length > best.length ? w : best), '');
        switch (kinds[i % 4]) {
          case 'name':
            return c.name;
          case 'prefix':
            return c.name.slice(0, Math.max(4, Math.ceil(c.name.length / 2)));
          case 'key':
            return c.key;
          default:
            return longest || c.key;
        }
      });
      for (const q of queries.slice(0, 5)) await svc.call('listCis', { query: q, limit: 50 });
      const fts: number[] = [];
      const byKind: Record<string, number[]> = {};
      let hits = 0;
      for (const [i, q] of queries.entries()) {
        const t0 = performance.now();
        const r = await svc.call('listCis', { query: q, limit: 50 });
        const ms = performance.now() - t0;
        fts.push(ms);
        (byKind[kinds[i % 4]!] ??= []).push(ms);
        if (!r.ok) throw new Error(`listCis "${q}" failed: ${r.error.message}`);
        if (r.value.total > 0) hits++;
      }
      // The baseline does the same job without the index: the first page and the total.
      const page = svc.db.prepare('SELECT * FROM cis WHERE name LIKE @t OR key LIKE @t ORDER BY name LIMIT 50');
      const count = svc.db.prepare('SELECT count(*) FROM cis WHERE name LIKE @t OR key LIKE @t').pluck();
      const like: number[] = [];
      const budget = a.baselineBudgetMs ?? 30_000;
      const started = performance.now();
      for (const q of queries.slice(0, a.baselineSamples ?? queries.length)) {
        const term = `%${q.replace(/[%_\\]/g, '')}%`;
        const t0 = performance.now();
        page.all({ t: term });
        count.get({ t: term });
        like.push(performance.now() - t0);
        if (performance.now() - started > budget && like.length >= 5) break;
      }
      return {
        queries: queries.length,
        withResults: hits,
        fts: summarise(fts),
        ftsByKind: Object.fromEntries(Object.entries(byKind).map(([k, v]) => [k, summarise(v)])),
        like: summarise(like),
        examples: queries.slice(0, 8),
      };
    } finally {
      svc.close();
    }
  },

  /** 2-hop neighbourhoods (the graph view) vs a 2-hop recursive CTE over the same tables. */
  async neighbourhood(a) {
    const { CmdbService } = await import('../../electron/cmdb/service.js');
    const svc = CmdbService.open(a.dbFile!, { source: 'bench' });
    try {
      const sample = sampleCis(svc.db, a.samples ?? 100, (a.seed ?? 1) + 23);
      const product: number[] = [];
      let nodes = 0;
      let truncated = 0;
      for (const c of sample) {
        const t0 = performance.now();
        const r = await svc.call('neighbourhood', { key: c.key, depth: 2, direction: 'both' });
        product.push(performance.now() - t0);
        if (!r.ok) throw new Error(`neighbourhood ${c.key} failed: ${r.error.message}`);
        nodes += r.value.nodes.length;
        if (r.value.truncated) truncated++;
      }
      const stmt = svc.db.prepare(NEIGHBOURHOOD_CTE).pluck();
      const cte: number[] = [];
      let cteNodes = 0;
      for (const c of sample) {
        const t0 = performance.now();
        cteNodes += stmt.all(c.key, 2000).length;
        cte.push(performance.now() - t0);
      }
      return {
        samples: sample.length,
        product: summarise(product),
        cte: summarise(cte),
        meanNodes: Math.round(nodes / sample.length),
        meanCteNodes: Math.round(cteNodes / sample.length),
        truncated,
      };
    } finally {
      svc.close();
    }
  },

  /**
   * The renderer's layered layout (renderer/src/graph/fastLayered.ts) in Node, on a
   * 5,000-node star: one layer that wraps onto many rows, the widest case it meets.
   */
  async layout() {
    const { layeredPositions } = await import('../../renderer/src/graph/fastLayered.js');
    const nodes = ['c', ...Array.from({ length: 4999 }, (_, i) => `n${i}`)];
    const edges = nodes.slice(1).map((n) => ['c', n] as const);
    layeredPositions(nodes, edges, 'c'); // warm-up: the first run also compiles
    const runs: number[] = [];
    for (let i = 0; i < 5; i++) runs.push(time(() => layeredPositions(nodes, edges, 'c'))[1]);
    return { nodes: nodes.length, ...summarise(runs) };
  },

  /** A fresh process opens the CMDB as the app does and answers the first page of the CI list. */
  async 'cold-open'(a) {
    const t0 = performance.now();
    const { CmdbService } = await import('../../electron/cmdb/service.js');
    const t1 = performance.now();
    const svc = CmdbService.open(a.dbFile!, { source: 'bench' });
    const r = await svc.call('listCis', { limit: 50 });
    const t2 = performance.now();
    svc.close();
    if (!r.ok) throw new Error(`listCis failed: ${r.error.message}`);
    return { ms: Math.round((t2 - t1) * 100) / 100, loadModulesMs: Math.round(t1 - t0), total: r.value.total };
  },

  /** A fresh process opens the file with bare better-sqlite3 and runs SELECT 1. */
  async 'cold-open-baseline'(a) {
    const t1 = performance.now();
    const db = new Database(a.dbFile!);
    db.prepare('SELECT 1').get();
    const t2 = performance.now();
    db.close();
    return { ms: Math.round((t2 - t1) * 100) / 100 };
  },

  /** Baselines (issue 17): save vs sqlite3 .backup, diff vs a bare EXCEPT, on a copy of the CMDB (tests/bench/baseline-bench.ts). */
  async baseline(a) {
    const mod = await optionalModule('baseline-bench.ts');
    if (!mod || typeof mod.runBaselineBench !== 'function') return { skipped: 'tests/bench/baseline-bench.ts is not present' };
    return (mod.runBaselineBench as (x: { dbFile: string; runs: number }) => Promise<Record<string, unknown>>)({
      dbFile: a.dbFile!,
      runs: 3,
    });
  },

  /** Health (issue 18): the whole report vs the same rules in plain SQL, medians of 3 (tests/bench/health-bench.ts). */
  async health(a) {
    const { runHealthBench } = await import('./health-bench.js');
    return runHealthBench({ dbFile: a.dbFile!, runs: a.runs ?? 3 });
  },

  /** The UI engineer's browser figures (web host + renderer build, Debian's Chromium). */
  async browser(a) {
    const mod = await optionalModule('browser-bench.ts');
    if (!mod || typeof mod.runBrowserBench !== 'function')
      return { skipped: 'tests/bench/browser-bench.ts (runBrowserBench) is not present yet' };
    if (!existsSync(join(here, '../../dist/renderer/index.html')))
      return { skipped: 'the renderer is not built (run npm run build first)' };
    const chromium = findChromium();
    if (!chromium.path) return { skipped: chromium.reason };
    const run = mod.runBrowserBench as (x: { dbFile: string; impactKey?: string }) => Promise<Record<string, unknown>>;
    // `key`: the storage array the impact step assessed, for the Impact screen's figure on the same blast radius.
    return { figures: await run({ dbFile: a.dbFile!, impactKey: a.key }) };
  },
};

async function main(): Promise<void> {
  const [name, raw] = process.argv.slice(2);
  const step = name ? steps[name] : undefined;
  if (!step) {
    process.stderr.write(`usage: node --import tsx tests/bench/steps.ts <${Object.keys(steps).join('|')}> '<json args>'\n`);
    process.exit(2);
  }
  const result = await step(JSON.parse(raw ?? '{}') as Args);
  // A step that ran the product in a child process (the import runs `cmdb import`) reports that process's peak.
  const own = Math.round(process.resourceUsage().maxRSS / 1024);
  const maxRssMb = Math.max(own, typeof result.peakRssMb === 'number' ? result.peakRssMb : 0);
  process.stdout.write(`BENCH_RESULT ${JSON.stringify({ ...result, maxRssMb })}\n`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) await main();
