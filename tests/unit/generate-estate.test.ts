import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, describe, expect, it } from 'vitest';
import { registerGenerateCommand } from '../../electron/cli/generate-command.js';
import { CI_HEADER, Estate, generateCmdb, MIN_CIS, mulberry32, planEstate, REL_HEADER } from '../../electron/cmdb/generate.js';
import { CmdbService } from '../../electron/cmdb/service.js';
import { REL_TYPE_SEEDS } from '../../electron/cmdb/types-registry.js';

const dirs: string[] = [];
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'cmdb-gen-'));
  dirs.push(d);
  return d;
};
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

const sha = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

interface Rel {
  source: string;
  target: string;
  type: string;
  group: string;
  minUp: string;
}

function estate(n: number, seed = 1) {
  const e = new Estate(planEstate(n, seed));
  const cis = [...e.ciRecords()];
  const rels: Rel[] = [...e.relRecords()].map(([source, target, type, group, minUp]) => ({
    source: source!,
    target: target!,
    type: type!,
    group: group!,
    minUp: minUp!,
  }));
  return { plan: e.plan, cis, rels };
}

/** Who depends on whom: an edge from each dependency to its dependents, through hard and soft types. */
function dependentsGraph(rels: Rel[]): Map<string, string[]> {
  const types = new Map(REL_TYPE_SEEDS.map((t) => [t.name, t]));
  const g = new Map<string, string[]>();
  for (const r of rels) {
    const t = types.get(r.type)!;
    if (t.strength === 'none') continue;
    const [dependency, dependent] = t.dependent === 'source' ? [r.target, r.source] : [r.source, r.target];
    let list = g.get(dependency);
    if (!list) g.set(dependency, (list = []));
    list.push(dependent);
  }
  return g;
}

function blastRadius(g: Map<string, string[]>, start: string): number {
  const seen = new Set([start]);
  const queue = [start];
  while (queue.length) {
    for (const d of g.get(queue.pop()!) ?? []) {
      if (seen.has(d)) continue;
      seen.add(d);
      queue.push(d);
    }
  }
  return seen.size - 1;
}

/** Strongly connected components with more than one CI (Tarjan, iterative). */
function cycles(g: Map<string, string[]>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const out: string[][] = [];
  let next = 0;
  for (const root of g.keys()) {
    if (index.has(root)) continue;
    const work: Array<[string, number]> = [[root, 0]];
    const visit = (v: string) => {
      index.set(v, next);
      low.set(v, next++);
      stack.push(v);
      onStack.add(v);
    };
    visit(root);
    while (work.length) {
      const top = work[work.length - 1]!;
      const [v, i] = top;
      const succ = g.get(v) ?? [];
      if (i < succ.length) {
        top[1]++;
        const w = succ[i]!;
        if (!index.has(w)) {
          visit(w);
          work.push([w, 0]);
        } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
        continue;
      }
      work.pop();
      if (work.length) {
        const u = work[work.length - 1]![0];
        low.set(u, Math.min(low.get(u)!, low.get(v)!));
      }
      if (low.get(v) === index.get(v)) {
        const comp: string[] = [];
        let w: string;
        do {
          w = stack.pop()!;
          onStack.delete(w);
          comp.push(w);
        } while (w !== v);
        if (comp.length > 1) out.push(comp);
      }
    }
  }
  return out;
}

describe('mulberry32', () => {
  it('is deterministic per seed and stays in [0, 1)', () => {
    const a = mulberry32(42);
    const b = mulberry32(42);
    const c = mulberry32(43);
    const xs = Array.from({ length: 1000 }, () => a());
    expect(Array.from({ length: 1000 }, () => b())).toEqual(xs);
    expect(Array.from({ length: 1000 }, () => c())).not.toEqual(xs);
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
    expect(xs.reduce((s, x) => s + x, 0) / xs.length).toBeGreaterThan(0.45);
    expect(xs.reduce((s, x) => s + x, 0) / xs.length).toBeLessThan(0.55);
  });
});

describe('planEstate', () => {
  it('plans exactly the CIs asked for, at any size', () => {
    for (const n of [MIN_CIS, 999, 5000, 12345, 1_000_000]) {
      const p = planEstate(n);
      expect(Object.values(p.counts).reduce((s, x) => s + x, 0)).toBe(n);
      expect(Object.values(p.counts).every((x) => x >= 1)).toBe(true);
    }
  });

  it('refuses sizes it cannot shape, saying what to use', () => {
    expect(() => planEstate(MIN_CIS - 1)).toThrow(/at least 200/);
    expect(() => planEstate(1000.5)).toThrow(/whole number/);
    expect(() => planEstate(1000, 1.5)).toThrow(/--seed/);
  });
});

describe('generated estate', () => {
  const n = 4000;
  const { plan, cis, rels } = estate(n);
  const keys = new Set(cis.map((c) => c[0]!));

  it('has every CI once, with the default CSV columns filled in realistically', () => {
    expect(cis).toHaveLength(n);
    expect(keys.size).toBe(n);
    expect(cis.every((c) => c.length === CI_HEADER.length && c[1] !== '' && c[2] !== '')).toBe(true);
    const spread = (col: number) => new Set(cis.map((c) => c[col]));
    expect(spread(2).size).toBeGreaterThanOrEqual(15); // types
    expect([...spread(3)].sort()).toEqual(['maintenance', 'operational', 'planned', 'retired']);
    expect(spread(4).size).toBe(4); // environments
    expect(spread(5).size).toBeGreaterThan(5); // owners
    expect([...spread(6)].sort()).toEqual(['critical', 'high', 'low', 'medium']);
    expect(spread(8).size).toBeGreaterThan(5); // locations
    expect(spread(9).size).toBeGreaterThan(10); // vendors
    const ips = cis.map((c) => c[10]).filter((ip) => ip !== '');
    expect(ips.length).toBeGreaterThan(n / 2);
    expect(new Set(ips).size).toBe(ips.length);
    expect(ips.every((ip) => /^\d+\.\d+\.\d+\.\d+$/.test(ip!))).toBe(true);
  });

  it('has 2 to 3 relationships per CI, all between existing CIs, no self-loops or duplicates', () => {
    expect(rels.length / n).toBeGreaterThan(2);
    expect(rels.length / n).toBeLessThan(3);
    for (const r of rels) {
      expect(keys.has(r.source), r.source).toBe(true);
      expect(keys.has(r.target), r.target).toBe(true);
      expect(r.source).not.toBe(r.target);
    }
    expect(new Set(rels.map((r) => `${r.source}|${r.target}|${r.type}`)).size).toBe(rels.length);
    expect(new Set(rels.map((r) => r.type))).toEqual(
      new Set(['depends_on', 'runs_on', 'hosted_on', 'member_of', 'uses', 'connects_to', 'backup_of']),
    );
  });

  it('has redundancy groups with min_up 1 and greater, each consistent and satisfiable', () => {
    const types = new Map(REL_TYPE_SEEDS.map((t) => [t.name, t]));
    const groups = new Map<string, { minUp: Set<string>; size: number }>();
    for (const r of rels) {
      if (!r.group) {
        expect(r.minUp).toBe('');
        continue;
      }
      const dependent = types.get(r.type)!.dependent === 'source' ? r.source : r.target;
      const k = `${dependent}|${r.group}`;
      const g = groups.get(k) ?? { minUp: new Set(), size: 0 };
      g.minUp.add(r.minUp);
      g.size++;
      groups.set(k, g);
    }
    const minUps = new Set<number>();
    for (const [k, g] of groups) {
      expect(g.minUp.size, k).toBe(1);
      const m = Number([...g.minUp][0]);
      expect(m, k).toBeGreaterThanOrEqual(1);
      expect(m, k).toBeLessThanOrEqual(g.size);
      expect(g.size, k).toBeGreaterThanOrEqual(2);
      minUps.add(m);
    }
    expect(minUps.has(1)).toBe(true);
    expect([...minUps].some((m) => m >= 2)).toBe(true);
    // Kafka: 2 of 3 brokers.
    const kafka = [...groups].filter(([k]) => k.endsWith('-brokers'));
    expect(kafka.length).toBe(plan.counts.mq);
    expect(kafka.every(([, g]) => g.size === 3 && g.minUp.has('2'))).toBe(true);
  });

  it('has a few deliberate cycles among services', () => {
    const found = cycles(dependentsGraph(rels));
    expect(found.length).toBe(plan.cycles.count);
    expect(found.every((c) => c.every((k) => k.startsWith('svc-')) && c.length <= 3)).toBe(true);
    expect(found.some((c) => c.length === 2) && found.some((c) => c.length === 3)).toBe(true);
  });

  it('has shared infrastructure with a blast radius over 10% of the estate', () => {
    const g = dependentsGraph(rels);
    for (const hub of [plan.hubs.storage, plan.hubs.coreSwitch, plan.hubs.dns]) {
      expect(blastRadius(g, hub), hub).toBeGreaterThan(n * 0.1);
    }
    // Heavy direct fan-in on DNS: every service and most VMs point at it.
    const dnsIn = rels.filter((r) => r.target === plan.hubs.dns).length;
    expect(dnsIn).toBeGreaterThan(n * 0.05);
    // A container of an ordinary service impacts little (the first ones are the auth service's replicas).
    expect(blastRadius(g, cis.filter((c) => c[2] === 'container').at(-1)![0]!)).toBeLessThan(n * 0.01);
  });

  it('keeps its shape at other sizes', () => {
    for (const size of [MIN_CIS, 20000]) {
      const s = estate(size, 3);
      const ks = new Set(s.cis.map((c) => c[0]));
      expect(s.cis).toHaveLength(size);
      expect(s.rels.every((r) => ks.has(r.source) && ks.has(r.target))).toBe(true);
      expect(s.rels.length / size).toBeGreaterThan(2);
      expect(s.rels.length / size).toBeLessThan(3);
      expect(cycles(dependentsGraph(s.rels)).length).toBeGreaterThanOrEqual(3);
    }
  });
});

describe('generateCmdb (files)', () => {
  it('is deterministic from the seed and writes the default CSV formats', async () => {
    const [a, b, c] = [tmp(), tmp(), tmp()];
    const ra = await generateCmdb({ cis: 3000, outDir: a, seed: 5 });
    await generateCmdb({ cis: 3000, outDir: b, seed: 5 });
    await generateCmdb({ cis: 3000, outDir: c, seed: 6 });
    expect(sha(ra.cisFile)).toBe(sha(join(b, 'cis.csv')));
    expect(sha(ra.relsFile)).toBe(sha(join(b, 'relationships.csv')));
    expect(sha(ra.relsFile)).not.toBe(sha(join(c, 'relationships.csv')));
    const ciLines = readFileSync(ra.cisFile, 'utf8').trimEnd().split('\n');
    const relLines = readFileSync(ra.relsFile, 'utf8').trimEnd().split('\n');
    expect(ciLines[0]).toBe(CI_HEADER.join(','));
    expect(relLines[0]).toBe(REL_HEADER.join(','));
    expect(ciLines).toHaveLength(ra.cis + 1);
    expect(relLines).toHaveLength(ra.relationships + 1);
    expect(ra.cis).toBe(3000);
    expect(Object.values(ra.byType).reduce((s, x) => s + x, 0)).toBe(3000);
  });

  it('imports cleanly into the engine', async () => {
    const dir = tmp();
    const r = await generateCmdb({ cis: 1500, outDir: dir, seed: 9 });
    const svc = CmdbService.open(join(dir, 'cmdb.db'));
    try {
      const res = await svc.call('importCsv', {
        cis: { name: 'cis.csv', content: readFileSync(r.cisFile, 'utf8') },
        relationships: { name: 'relationships.csv', content: readFileSync(r.relsFile, 'utf8') },
      });
      if (!res.ok) throw new Error(res.error.message);
      expect(res.value.errors).toEqual([]);
      expect(res.value.counts.created).toBe(1500);
      expect(res.value.counts.relationshipsCreated).toBe(r.relationships);
      expect(res.value.createdTypes).toEqual([]);
      expect(res.value.createdRelTypes).toEqual([]);
      const stats = await svc.call('stats', {});
      if (!stats.ok) throw new Error(stats.error.message);
      expect(stats.value.cis).toBe(1500);
      expect(stats.value.relationships).toBe(r.relationships);
      const found = await svc.call('listCis', { query: 'identity-auth' });
      expect(found.ok && found.value.items[0]?.key).toBe(r.hubs.auth);
    } finally {
      svc.close();
    }
  });

  it('is reachable as `cmdb generate`', async () => {
    const dir = tmp();
    const program = new Command('cmdb').exitOverride();
    registerGenerateCommand(program);
    const write = process.stdout.write.bind(process.stdout);
    let printed = '';
    process.stdout.write = ((s: string) => ((printed += s), true)) as typeof process.stdout.write;
    try {
      await program.parseAsync(['node', 'cmdb', 'generate', '--cis', '500', '--out', dir, '--seed', '2', '--json']);
    } finally {
      process.stdout.write = write;
    }
    const out = JSON.parse(printed) as { cis: number; relationships: number; seed: number };
    expect(out.cis).toBe(500);
    expect(out.seed).toBe(2);
    expect(readFileSync(join(dir, 'relationships.csv'), 'utf8').trimEnd().split('\n')).toHaveLength(out.relationships + 1);
  });
});
