import { memo } from 'react';

/** The element Cytoscape draws into. It never re-renders, so React never touches Cytoscape's DOM. */
export const CanvasHost = memo(
  function CanvasHost({ onMount }: { onMount: (el: HTMLDivElement | null) => void }) {
    return <div className="cy" ref={onMount} role="img" aria-label="Dependency graph" data-testid="graph-canvas" />;
  },
  () => true,
);
