/** The graph view's "Path from here" / "Path to here": two CIs chosen in turn, the shortest path between them highlighted. */
import { useCallback, useState, type RefObject } from 'react';
import type { GraphController } from './controller.js';
import type { GraphData } from './model.js';
import { oneLine } from './labels.js';
import { pathMessage } from './pathMessage.js';

/** The path being chosen (`from`), what it found (`info`), and the actions on it. */
export interface PathFinder {
  from: string | null;
  info: string | null;
  /** Chooses `key` as the first end, or as the second and highlights the path. */
  choose(key: string, nodes: GraphData['nodes']): void;
  /** Removes the highlight and forgets the ends. */
  clear(): void;
  /** Forgets the ends and the message (a new neighbourhood is drawn). */
  reset(): void;
}

export function usePathFinder(ctl: RefObject<GraphController | null>): PathFinder {
  const [pathFrom, setPathFrom] = useState<string | null>(null);
  const [pathInfo, setPathInfo] = useState<string | null>(null);
  const choose = (key: string, nodes: GraphData['nodes']) => {
    if (!pathFrom || pathFrom === key) {
      setPathFrom(key);
      setPathInfo(`Path from ${oneLine(nodes.get(key)?.name ?? key)}: now select the other CI and choose “Path to here”.`);
      ctl.current?.clearPath();
      return;
    }
    const found = ctl.current?.highlightPath(pathFrom, key) ?? null;
    const a = oneLine(nodes.get(pathFrom)?.name ?? pathFrom);
    const b = oneLine(nodes.get(key)?.name ?? key);
    setPathInfo(pathMessage(a, b, found));
    setPathFrom(null);
  };
  const clear = () => {
    ctl.current?.clearPath();
    setPathInfo(null);
    setPathFrom(null);
  };
  const reset = useCallback(() => {
    setPathFrom(null);
    setPathInfo(null);
  }, []);
  return { from: pathFrom, info: pathInfo, choose, clear, reset };
}
