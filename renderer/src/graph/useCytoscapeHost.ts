/**
 * A Cytoscape host owned by a component: made once when the component mounts,
 * restyled when the theme changes, destroyed when it unmounts. The impact
 * graph and the compare screen's relationship graph draw through it; the graph
 * view's controller owns its host itself (it recreates it to switch renderer).
 */
import { useEffect, useRef, type RefObject } from 'react';
import type cytoscape from 'cytoscape';
import { CytoscapeHost, type CytoscapeFactory } from './cytoscapeHost.js';

export function useCytoscapeHost(
  box: RefObject<HTMLDivElement | null>,
  make: CytoscapeFactory,
  stylesheet: () => cytoscape.StylesheetJson,
  onDestroy?: () => void,
): RefObject<CytoscapeHost | null> {
  const host = useRef<CytoscapeHost | null>(null);
  // The first render's factory, stylesheet and clean-up are the ones used: the host is made once.
  const first = useRef({ make, stylesheet, onDestroy });
  useEffect(() => {
    const { make: mk, stylesheet: style, onDestroy: done } = first.current;
    const h = new CytoscapeHost(box.current, mk);
    host.current = h;
    const onTheme = () => h.core.style(style());
    window.addEventListener('cmdb-theme', onTheme);
    return () => {
      window.removeEventListener('cmdb-theme', onTheme);
      h.destroy();
      host.current = null;
      done?.();
    };
  }, [box]);
  return host;
}
