/** The Graph screen as the frame shows it: the graph view's code is a chunk, loaded while the app is idle (preloadGraphView). */
import type { ComponentProps } from 'react';
import { chunk, useChunk } from '../ui/chunk.js';
import { ErrorBox, Skeleton } from '../ui/common.js';

const graphView = chunk(() => import('./GraphView.js'));

type Props = ComponentProps<Awaited<ReturnType<typeof graphView.load>>['default']>;

/** Loads the graph view's code (Cytoscape and the layouts) once the app is idle, so the first graph opened does not wait for it. */
export function preloadGraphView(): void {
  const load = () => void graphView.load().catch(() => undefined);
  if ('requestIdleCallback' in window) window.requestIdleCallback(load, { timeout: 3000 });
  else setTimeout(load, 500);
}

export function GraphScreen(props: Props) {
  const { module, error, retry } = useChunk(graphView);
  if (error) return <ErrorBox error={error} title="The graph view could not be loaded" onRetry={retry} />;
  if (!module) return <Skeleton rows={10} label="Loading the graph view" />;
  const View = module.default;
  return <View {...props} />;
}
