/** The app's place, kept in the URL hash so reload, back and forward work and tests can open any screen. */
import { useEffect, useState } from 'react';

export const VIEWS = ['browse', 'graph', 'impact', 'compare', 'health', 'import'] as const;
export type View = (typeof VIEWS)[number];

export interface Route {
  view: View;
  /** The CI in focus (detail panel, graph centre). */
  ci: string | null;
  /** Extra parameters (graph options, search). */
  params: Record<string, string>;
}

export function parseHash(hash: string): Route {
  const raw = hash.replace(/^#\/?/, '');
  const [path = '', query = ''] = raw.split('?', 2);
  const view = (VIEWS as readonly string[]).includes(path) ? (path as View) : 'browse';
  const params: Record<string, string> = {};
  for (const [k, v] of new URLSearchParams(query)) params[k] = v;
  const ci = params.ci ?? null;
  delete params.ci;
  return { view, ci, params };
}

export function formatHash(r: Route): string {
  const q = new URLSearchParams();
  if (r.ci) q.set('ci', r.ci);
  for (const [k, v] of Object.entries(r.params)) if (v !== '') q.set(k, v);
  const s = q.toString();
  return `#/${r.view}${s ? `?${s}` : ''}`;
}

/** The current route and a navigate function (push by default, replace for refinements). */
export function useRoute(): [Route, (r: Route, replace?: boolean) => void] {
  const [route, setRoute] = useState<Route>(() => parseHash(window.location.hash));
  useEffect(() => {
    const on = () => setRoute(parseHash(window.location.hash));
    window.addEventListener('hashchange', on);
    return () => window.removeEventListener('hashchange', on);
  }, []);
  const navigate = (r: Route, replace = false) => {
    const h = formatHash(r);
    if (h === window.location.hash) return;
    if (replace) window.history.replaceState(window.history.state, '', h);
    else window.history.pushState(window.history.state, '', h);
    setRoute(parseHash(h));
  };
  return [route, navigate];
}
