import { memo } from 'react';

/** The element Cytoscape draws into, focusable for the keyboard. It never re-renders, so React never touches Cytoscape's DOM. */
export const CanvasHost = memo(
  function CanvasHost({ onMount }: { onMount: (el: HTMLDivElement | null) => void }) {
    // Focusable: the arrows move the selection between neighbours, Enter opens it, Escape clears it (GraphController.onKey).
    return (
      <div
        className="cy"
        ref={onMount}
        role="application"
        tabIndex={0}
        aria-roledescription="dependency graph"
        aria-label="Dependency graph: arrows move between neighbours, Enter opens the CI, Escape clears the selection"
        data-testid="graph-canvas"
      />
    );
  },
  () => true,
);
