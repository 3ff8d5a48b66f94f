/**
 * A layered layout that stays linear in the size of the graph, for
 * neighbourhoods too big for dagre (which takes minutes at 2,000 nodes):
 * layer = hops from the centre CI; within a layer, nodes are ordered by the
 * mean position of their neighbours in the layer above (one barycentre sweep),
 * and a layer wider than the view wraps onto several rows.
 */
export interface Pos {
  x: number;
  y: number;
}

export interface LayeredOptions {
  /** Horizontal distance between nodes in a row. */
  dx?: number;
  /** Vertical distance between wrapped rows of one layer. */
  rowGap?: number;
  /** Vertical distance between layers. */
  layerGap?: number;
}

export function layeredPositions(
  nodes: readonly string[],
  edges: ReadonlyArray<readonly [string, string]>,
  center: string | null,
  opts: LayeredOptions = {},
): Record<string, Pos> {
  const dx = opts.dx ?? 64;
  const rowGap = opts.rowGap ?? 70;
  const layerGap = opts.layerGap ?? 150;
  const adj = new Map<string, string[]>();
  for (const n of nodes) adj.set(n, []);
  for (const [s, t] of edges) {
    if (s === t || !adj.has(s) || !adj.has(t)) continue;
    adj.get(s)!.push(t);
    adj.get(t)!.push(s);
  }
  // Breadth-first layers from the centre; components the centre does not reach start their own BFS below.
  const layerOf = new Map<string, number>();
  const layers: string[][] = [];
  const bfs = (start: string, base: number) => {
    layerOf.set(start, base);
    let frontier = [start];
    let d = base;
    while (frontier.length) {
      (layers[d] ??= []).push(...frontier);
      const next: string[] = [];
      for (const u of frontier)
        for (const v of adj.get(u)!)
          if (!layerOf.has(v)) {
            layerOf.set(v, d + 1);
            next.push(v);
          }
      frontier = next;
      d++;
    }
  };
  if (center && adj.has(center)) bfs(center, 0);
  for (const n of nodes) if (!layerOf.has(n)) bfs(n, layers.length);

  const perRow = Math.max(24, Math.ceil(Math.sqrt(nodes.length) * 1.6));
  const pos: Record<string, Pos> = {};
  const order = new Map<string, number>();
  let y = 0;
  for (const layer of layers) {
    if (!layer || layer.length === 0) continue;
    // Barycentre of already placed neighbours (the layer above); unplaced keep their BFS order.
    const keyed = layer.map((n, i) => {
      let sum = 0;
      let k = 0;
      for (const v of adj.get(n)!) {
        const o = order.get(v);
        if (o !== undefined && layerOf.get(v)! < layerOf.get(n)!) {
          sum += o;
          k++;
        }
      }
      return { n, b: k ? sum / k : i / layer.length, i };
    });
    keyed.sort((a, b) => a.b - b.b || a.i - b.i);
    const rows = Math.ceil(keyed.length / perRow);
    keyed.forEach(({ n }, i) => {
      const row = Math.floor(i / perRow);
      const inRow = row === rows - 1 ? keyed.length - row * perRow : perRow;
      const col = i % perRow;
      // Offset alternate rows by half a step so edges from the layer above stay distinguishable.
      pos[n] = { x: (col - (inRow - 1) / 2) * dx + (row % 2 ? dx / 2 : 0), y: y + row * rowGap };
      order.set(n, i / keyed.length);
    });
    y += (rows - 1) * rowGap + layerGap;
  }
  return pos;
}
