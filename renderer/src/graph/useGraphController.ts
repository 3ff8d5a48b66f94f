/** The graph view's GraphController: made when its host element mounts, themed with the app, destroyed on unmount. */
import { useCallback, useEffect, useRef, type RefObject } from 'react';
import { GraphController, type ControllerEvents, type Palette } from './controller.js';

function readPalette(): Palette {
  const s = getComputedStyle(document.documentElement);
  const v = (n: string, d: string) => s.getPropertyValue(n).trim() || d;
  return {
    bg: v('--graph-bg', '#ffffff'),
    edge: v('--graph-edge', '#999999'),
    label: v('--graph-label', '#222222'),
    accent: v('--accent', '#4460e6'),
    danger: v('--danger', '#d2364b'),
    text: v('--text', '#111111'),
  };
}

const isLightTheme = () => document.documentElement.dataset.theme !== 'dark';

/**
 * Returns the controller (null until mounted) and the ref callback for the
 * element it draws into. Cytoscape's events reach whatever `events` holds at
 * the time, so the handlers may change on every render.
 */
export function useGraphController(events: RefObject<ControllerEvents>): {
  ctl: RefObject<GraphController | null>;
  mount: (el: HTMLDivElement | null) => void;
} {
  const ctl = useRef<GraphController | null>(null);
  const mount = useCallback((el: HTMLDivElement | null) => {
    if (!el || ctl.current) return;
    ctl.current = new GraphController(
      el,
      {
        onSelect: (id) => events.current.onSelect(id),
        onExpand: (id) => events.current.onExpand(id),
        onOpenGroup: (id) => events.current.onOpenGroup(id),
        onOpen: (id) => events.current.onOpen(id),
      },
      readPalette(),
      isLightTheme(),
    );
  }, []);
  useEffect(
    () => () => {
      ctl.current?.destroy();
      ctl.current = null;
      delete window.__cmdbGraph;
    },
    [],
  );
  useEffect(() => {
    const on = () => ctl.current?.setTheme(readPalette(), isLightTheme());
    window.addEventListener('cmdb-theme', on);
    return () => window.removeEventListener('cmdb-theme', on);
  }, []);
  return { ctl, mount };
}
