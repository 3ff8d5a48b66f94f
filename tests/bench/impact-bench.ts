/**
 * Impact benchmark: a synthetic layered CMDB (default 1,000,000 CIs, ~3,000,000
 * relationships) in which one shared infrastructure CI has a large blast
 * radius. Measures the graph index build, the impact of that CI (states and
 * explanation paths, index already built), the full service answer, and
 * SQLite's recursive CTE for plain reachability over the same tables in the
 * same process.
 *
 *   npx tsx tests/bench/impact-bench.ts [--cis 1000000] [--seed 42] [--fresh] [--edits-only]
 *
 * Then, on a copy of the database, the impact answer right after an edit
 * (the index patched, index-patch.ts) against the same answer with no edit,
 * and after small imports; `--edits-only` measures only that (runEditBench).
 *
 * The generated database is cached in the OS temp folder by size and seed.
 * `runImpactBench` is exported for `npm run bench`.
 */
import Database from 'better-sqlite3';
import { copyFileSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { migrate } from '../../electron/cmdb/db.js';
import { mulberry32 } from '../../electron/cmdb/generate.js';
import { downstreamImpact, pathOf } from '../../electron/cmdb/impact/engine.js';
import { GraphIndex } from '../../electron/cmdb/impact/graph-index.js';
import { CmdbService } from '../../electron/cmdb/service.js';
import { median } from './timing.js';

export interface ImpactBenchOptions {
  cis?: number;
  seed?: number;
  /** Regenerate the database even when a cached one exists. */
  fresh?: boolean;
  /** Where to keep the database (default: the OS temp folder). */
  dir?: string;
  log?: (line: string) => void;
}

export interface ImpactBenchResult {
  cis: number;
  relationships: number;
  /** Graph index build, median of 3 (ms). */
  buildMs: number;
  /** Impact of the shared CI with states and paths, index built, median of 5 (ms). */
  impactP50Ms: number;
  /** The table of CI fields answers aggregate (type, criticality, owner), built once after the index (ms). */
  attrsBuildMs: number;
  /** The whole answer of the impact method (ImpactService.impact: keys resolved; counts, owners, business services and risk over every impacted CI; the 1000 most severe listed with their paths), index and fields built, median of 3 (ms). */
  serviceP50Ms: number;
  /** CPU time of the same measures (ms), less sensitive to other processes on a shared machine. */
  cpu: { buildMs: number; impactP50Ms: number; cteMs: number; ratio: number };
  /** SQLite recursive CTE, plain reachability over the same relationships (ms, median of 3). */
  cteMs: number;
  /** cteMs / impactP50Ms */
  ratio: number;
  /** CIs impacted (the changed CI included); equals the CTE's count. */
  blastRadius: number;
  down: number;
  degraded: number;
  maxDepth: number;
  generateMs: number;
  dbPath: string;
}

const HUB_KEY = 'infra-000000';

/**
 * Layers, bottom up: infrastructure (0.1%), hosts (2%), VMs (10%),
 * services (30%), applications (the rest). Every CI above the bottom layer
 * has three relationships to the layer below: hard (depends_on, runs_on,
 * member_of reversed), soft (uses) or inert (connects_to), a third of them
 * with the first two in a redundancy pair. One host in twenty also depends on
 * the shared CI `infra-000000`.
 */
function generate(path: string, cis: number, seed: number): void {
  rmSync(path, { force: true });
  const db = new Database(path);
  db.pragma('journal_mode = OFF');
  db.pragma('synchronous = OFF');
  db.pragma('cache_size = -262144');
  migrate(db, path);
  // A bench database needs no full-text search: skip the FTS trigger for the bulk insert.
  db.exec('DROP TRIGGER IF EXISTS cis_fts_insert');
  const random = mulberry32(seed);
  const shares = [0.001, 0.02, 0.1, 0.3];
  const sizes = shares.map((s) => Math.max(1, Math.floor(cis * s)));
  sizes.push(Math.max(1, cis - sizes.reduce((a, b) => a + b, 0)));
  const types = ['cloud_resource', 'server', 'virtual_machine', 'service', 'application'];
  const prefixes = ['infra', 'host', 'vm', 'svc', 'app'];
  const crit = ['critical', 'high', 'medium', 'low', 'low', null];
  const now = new Date().toISOString();
  const insCi = db.prepare(
    'INSERT INTO cis(id, key, type, name, owner, criticality, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const insRel = db.prepare(
    'INSERT OR IGNORE INTO relationships(source_id, target_id, type, redundancy_group, min_up, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  db.transaction(() => {
    const starts: number[] = [];
    let id = 1;
    sizes.forEach((size, layer) => {
      starts.push(id);
      for (let i = 0; i < size; i++, id++) {
        const key = `${prefixes[layer]}-${String(i).padStart(6, '0')}`;
        insCi.run(id, key, types[layer], key, `team-${Math.floor(random() * 200)}`, crit[Math.floor(random() * crit.length)], now, now);
      }
    });
    for (let layer = 1; layer < sizes.length; layer++) {
      const below = starts[layer - 1]!;
      const belowSize = sizes[layer - 1]!;
      for (let i = 0; i < sizes[layer]!; i++) {
        const me = starts[layer]! + i;
        const paired = random() < 0.33;
        for (let k = 0; k < 3; k++) {
          const dep = below + Math.floor(random() * belowSize);
          const group = paired && k < 2 ? 'pair' : null;
          const r = random();
          if (group !== null || r < 0.55) insRel.run(me, dep, 'depends_on', group, null, now, now);
          else if (r < 0.75) insRel.run(me, dep, 'runs_on', null, null, now, now);
          else if (r < 0.8) insRel.run(dep, me, 'member_of', null, null, now, now);
          else if (r < 0.95) insRel.run(me, dep, 'uses', null, null, now, now);
          else insRel.run(me, dep, 'connects_to', null, null, now, now);
        }
        if (layer === 1 && i % 20 === 0) insRel.run(me, 1, 'depends_on', null, null, now, now);
      }
    }
    db.prepare("INSERT INTO meta(key, value) VALUES ('bench', ?)").run(JSON.stringify({ cis, seed }));
  })();
  db.exec('ANALYZE');
  db.close();
}

let lastCpuMs = 0;
/** Wall time of fn; its CPU time is left in lastCpuMs. */
function time<T>(fn: () => T): [T, number] {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const out = fn();
  const wall = performance.now() - t0;
  const c = process.cpuUsage(c0);
  lastCpuMs = (c.user + c.system) / 1000;
  return [out, wall];
}

/** Builds (or reuses) the synthetic CMDB and measures; see the file comment. */
export function runImpactBench(options: ImpactBenchOptions = {}): ImpactBenchResult {
  const cis = options.cis ?? 1_000_000;
  const seed = options.seed ?? 42;
  const log = options.log ?? (() => {});
  const dbPath = join(options.dir ?? tmpdir(), `cmdb-impact-bench-${cis}-${seed}.db`);
  let generateMs = 0;
  if (options.fresh || !existsSync(dbPath)) {
    log(`generating ${cis} CIs (seed ${seed}) in ${dbPath} ...`);
    generateMs = time(() => generate(dbPath, cis, seed))[1];
    log(`generated in ${(generateMs / 1000).toFixed(1)} s`);
  }
  const svc = CmdbService.open(dbPath, { source: 'bench' });
  try {
    const db = svc.db;
    const relationships = (db.prepare('SELECT count(*) AS n FROM relationships').get() as { n: number }).n;
    const hubId = (db.prepare('SELECT id FROM cis WHERE key = ?').get(HUB_KEY) as { id: number }).id;

    const builds: number[] = [];
    const buildsCpu: number[] = [];
    let index: GraphIndex | null = null;
    for (let i = 0; i < 3; i++) {
      index = null;
      const [ix, ms] = time(() => GraphIndex.build(db));
      index = ix;
      builds.push(ms);
      buildsCpu.push(lastCpuMs);
      log(`index build ${i + 1}: ${ms.toFixed(0)} ms (cpu ${lastCpuMs.toFixed(0)} ms, ${ix.reader} reader)`);
    }
    const ix = index!;
    const mask = ix.typeMask();
    const hub = ix.nodeOf(hubId);

    const runs: number[] = [];
    const runsCpu: number[] = [];
    let last = downstreamImpact(ix, [hub], { mask });
    for (let i = 0; i < 5; i++) {
      const [run, ms] = time(() => downstreamImpact(ix, [hub], { mask }));
      last = run;
      runs.push(ms);
      runsCpu.push(lastCpuMs);
    }
    let down = 0;
    let maxDepth = 0;
    let pathSteps = 0;
    for (let i = 0; i < last.count; i++) {
      const v = last.order[i]!;
      if (last.state[v] === 2) down++;
      maxDepth = Math.max(maxDepth, last.depth[v]!);
    }
    // Every path can be read back: walk them all once (not timed) as a check.
    for (let i = 0; i < last.count; i += 97) pathSteps += pathOf(last, last.order[i]!).nodes.length;
    log(`impact: ${last.count} CIs (${down} down), max depth ${maxDepth}, runs ${runs.map((r) => r.toFixed(1)).join(', ')} ms`);

    // The service path: the first call builds the index and the field table it keeps.
    svc.impacts.indexHolder.get();
    const attrsBuildMs = time(() => svc.impacts.indexHolder.getWithAttrs())[1];
    log(`field table build: ${attrsBuildMs.toFixed(0)} ms`);
    const services: number[] = [];
    for (let i = 0; i < 3; i++) services.push(time(() => svc.impacts.impact({ keys: [HUB_KEY], direction: 'downstream', limit: 1000 }))[1]);
    log(`service answer: ${services.map((r) => r.toFixed(0)).join(', ')} ms`);

    // Plain reachability in SQL over the same relationships, in the propagation direction of each type.
    const followedSource = (
      db.prepare("SELECT name FROM rel_types WHERE strength != 'none' AND dependent = 'source'").pluck().all() as string[]
    ).map((t) => `'${t.replace(/'/g, "''")}'`);
    const followedTarget = (
      db.prepare("SELECT name FROM rel_types WHERE strength != 'none' AND dependent = 'target'").pluck().all() as string[]
    ).map((t) => `'${t.replace(/'/g, "''")}'`);
    const cte = db
      .prepare(
        `WITH RECURSIVE r(id) AS (
           SELECT ?
           UNION SELECT x.source_id FROM relationships x JOIN r ON x.target_id = r.id WHERE x.type IN (${followedSource.join(', ') || "''"})
           UNION SELECT x.target_id FROM relationships x JOIN r ON x.source_id = r.id WHERE x.type IN (${followedTarget.join(', ') || "''"})
         ) SELECT count(*) FROM r`,
      )
      .pluck();
    const ctes: number[] = [];
    const ctesCpu: number[] = [];
    let reach = 0;
    for (let i = 0; i < 3; i++) {
      const [n, ms] = time(() => cte.get(hubId) as number);
      reach = n;
      ctes.push(ms);
      ctesCpu.push(lastCpuMs);
      log(`recursive CTE ${i + 1}: ${n} CIs in ${ms.toFixed(0)} ms`);
    }
    if (reach !== last.count) throw new Error(`The CTE reached ${reach} CIs, the engine ${last.count}: they must agree.`);
    void pathSteps;

    const impactP50Ms = median(runs);
    const cteMs = median(ctes);
    return {
      cis: (db.prepare('SELECT count(*) AS n FROM cis').get() as { n: number }).n,
      relationships,
      buildMs: Math.round(median(builds)),
      impactP50Ms: Math.round(impactP50Ms * 10) / 10,
      attrsBuildMs: Math.round(attrsBuildMs),
      serviceP50Ms: Math.round(median(services)),
      cpu: {
        buildMs: Math.round(median(buildsCpu)),
        impactP50Ms: Math.round(median(runsCpu) * 10) / 10,
        cteMs: Math.round(median(ctesCpu)),
        ratio: Math.round((median(ctesCpu) / median(runsCpu)) * 10) / 10,
      },
      cteMs: Math.round(cteMs),
      ratio: Math.round((cteMs / impactP50Ms) * 10) / 10,
      blastRadius: last.count,
      down,
      degraded: last.count - down,
      maxDepth,
      generateMs: Math.round(generateMs),
      dbPath,
    };
  } finally {
    svc.close();
  }
}

export interface EditBenchResult {
  /** The impact answer of the shared CI (ImpactService.impact, 1000 listed), no edit since the last answer: median of 3 (ms). */
  withoutEditMs: number;
  /** The same answer right after one new relationship (the index patched first): median of 3, alternating with the above (ms). */
  afterEditMs: number;
  /** afterEditMs / withoutEditMs */
  editRatio: number;
  /** The same two answers in CPU time (ms, medians of 3), less sensitive to other processes on a shared machine. */
  cpu: { withoutEditMs: number; afterEditMs: number; editRatio: number };
  /** Time the patch itself took (ms, median of 3). */
  patchMs: number;
  /** The same answer right after an import of 100 CIs with 200 relationships: median of 3 (ms). */
  afterImportMs: number;
  /** afterImportMs / withoutEditMs */
  importRatio: number;
  /** The next answer after each import, the index already patched: what the import's commit costs the answer apart from the index (SQLite reads again the pages another connection changed). */
  againAfterImportMs: number;
  /** The time the patches after the imports took (ms, median of 3). */
  importPatchMs: number;
  /** The same answer after a full rebuild (what every edit cost before patching): median of 3 (ms). */
  afterRebuildMs: number;
  /** Patch against rebuild (ms) for imports of growing size, where patching stops paying. */
  bySize: Array<{ cis: number; relationships: number; patched: boolean; patchMs: number; rebuildMs: number }>;
}

/** A CSV import of `n` new CIs (applications), each depending on two random services, through the service as `cmdb import` runs it. */
async function importSome(svc: CmdbService, n: number, tag: string, random: () => number, services: number): Promise<void> {
  const cis = ['id,name,type,owner,criticality'];
  const rels = ['source,target,type'];
  for (let i = 0; i < n; i++) {
    const key = `new-${tag}-${i}`;
    cis.push(`${key},${key},application,team-new,high`);
    const first = Math.floor(random() * services);
    const second = (first + 1 + Math.floor(random() * (services - 1))) % services;
    for (const s of [first, second]) rels.push(`${key},svc-${String(s).padStart(6, '0')},depends_on`);
  }
  const r = await svc.call(
    'importCsv',
    { cis: { name: 'cis.csv', content: `${cis.join('\n')}\n` }, relationships: { name: 'rels.csv', content: `${rels.join('\n')}\n` } },
    'cli',
  );
  if (!r.ok) throw new Error(`bench import failed: ${r.error.message}`);
}

/**
 * The impact answer after an edit and after small imports, against the same
 * answer without one, in the same run, on a copy of the bench database (its
 * cached file is left as it was).
 */
export async function runEditBench(options: ImpactBenchOptions = {}): Promise<EditBenchResult> {
  const cis = options.cis ?? 1_000_000;
  const seed = options.seed ?? 42;
  const log = options.log ?? (() => {});
  const dbPath = join(options.dir ?? tmpdir(), `cmdb-impact-bench-${cis}-${seed}.db`);
  if (!existsSync(dbPath)) throw new Error(`No bench database at ${dbPath}: run the bench without --edits-only first.`);
  const copy = dbPath.replace(/\.db$/, `-edits-${process.pid}.db`);
  copyFileSync(dbPath, copy);
  const svc = CmdbService.open(copy, { source: 'bench' });
  try {
    const holder = svc.impacts.indexHolder;
    const ask = () => svc.impacts.impact({ keys: [HUB_KEY], direction: 'downstream', limit: 1000 });
    const count = (type: string) => svc.db.prepare('SELECT count(*) FROM cis WHERE type = ?').pluck().get(type) as number;
    const apps = count('application');
    const services = count('service');
    const random = mulberry32(seed + 1);
    const pad = (i: number) => String(i).padStart(6, '0');
    for (let i = 0; i < 3; i++) ask();
    const without: number[] = [];
    const afterEdit: number[] = [];
    const patch: number[] = [];
    const cpu = { without: [] as number[], afterEdit: [] as number[] };
    for (let i = 0; i < 3; i++) {
      without.push(time(ask)[1]);
      cpu.without.push(lastCpuMs);
      const source = `app-${pad(Math.floor(random() * apps))}`;
      const target = `svc-${pad(Math.floor(random() * services))}`;
      svc.store.createRelationship({ source, target, type: 'depends_on' }, 'bench');
      afterEdit.push(time(ask)[1]);
      cpu.afterEdit.push(lastCpuMs);
      patch.push(holder.get().buildMs);
      log(
        `no edit ${without[i]!.toFixed(0)} ms, after ${source} depends_on ${target} ${afterEdit[i]!.toFixed(0)} ms (patch ${patch[i]!.toFixed(1)} ms)`,
      );
    }
    const afterImport: number[] = [];
    const againAfterImport: number[] = [];
    const importPatch: number[] = [];
    for (let i = 0; i < 3; i++) {
      await importSome(svc, 100, `small${i}`, random, services);
      afterImport.push(time(ask)[1]);
      importPatch.push(holder.get().buildMs);
      againAfterImport.push(time(ask)[1]);
      log(
        `after an import of 100 CIs: ${afterImport[i]!.toFixed(0)} ms (${holder.get().reader}, ${holder.get().buildMs.toFixed(1)} ms), then ${againAfterImport[i]!.toFixed(0)} ms (${holder.builds} builds, ${holder.patches} patches)`,
      );
    }
    const afterRebuild: number[] = [];
    for (let i = 0; i < 3; i++) {
      holder.markChanged();
      afterRebuild.push(time(ask)[1]);
      log(`after a full rebuild: ${afterRebuild[i]!.toFixed(0)} ms`);
    }
    const bySize: EditBenchResult['bySize'] = [];
    holder.patchLimit = Infinity;
    for (const n of [1000, 5000, 20000]) {
      await importSome(svc, n, `size${n}`, random, services);
      const patchMs = time(() => holder.get())[1];
      // Too many new CIs for the estate (more than a quarter) are not patched: the holder rebuilt.
      const patched = holder.get().reader === 'patched';
      holder.markChanged();
      const rebuildMs = time(() => holder.get())[1];
      bySize.push({ cis: n, relationships: 2 * n, patched, patchMs: Math.round(patchMs), rebuildMs: Math.round(rebuildMs) });
      log(
        `import of ${n} CIs, ${2 * n} relationships: ${patched ? 'patch' : 'not patched, rebuild'} ${patchMs.toFixed(0)} ms, rebuild ${rebuildMs.toFixed(0)} ms`,
      );
    }
    const withoutEditMs = median(without);
    return {
      withoutEditMs: Math.round(withoutEditMs),
      afterEditMs: Math.round(median(afterEdit)),
      editRatio: Math.round((median(afterEdit) / withoutEditMs) * 100) / 100,
      cpu: {
        withoutEditMs: Math.round(median(cpu.without)),
        afterEditMs: Math.round(median(cpu.afterEdit)),
        editRatio: Math.round((median(cpu.afterEdit) / median(cpu.without)) * 100) / 100,
      },
      patchMs: Math.round(median(patch) * 10) / 10,
      afterImportMs: Math.round(median(afterImport)),
      importRatio: Math.round((median(afterImport) / withoutEditMs) * 100) / 100,
      againAfterImportMs: Math.round(median(againAfterImport)),
      importPatchMs: Math.round(median(importPatch) * 10) / 10,
      afterRebuildMs: Math.round(median(afterRebuild)),
      bySize,
    };
  } finally {
    svc.close();
    for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(copy + suffix, { force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const arg = (name: string) => {
    const i = process.argv.indexOf(`--${name}`);
    return i >= 0 ? process.argv[i + 1] : undefined;
  };
  const options = {
    cis: arg('cis') ? Number(arg('cis')) : undefined,
    seed: arg('seed') ? Number(arg('seed')) : undefined,
    fresh: process.argv.includes('--fresh'),
    log: (line: string) => process.stderr.write(`${line}\n`),
  };
  const result = process.argv.includes('--edits-only') ? {} : runImpactBench(options);
  const edits = await runEditBench(options);
  process.stdout.write(`${JSON.stringify({ ...result, edits }, null, 2)}\n`);
}
