/**
 * Code loaded apart from the app (a chunk: Cytoscape and what draws with it),
 * without React.lazy. A Suspense boundary holds back what it reveals for about
 * 300 ms after its fallback shows, even when the code is already in; a chunk
 * remembers its module once loaded, so a screen opened after that renders at
 * once, and one opened before re-renders when it arrives.
 */
import { useEffect, useState } from 'react';

export interface Chunk<M> {
  /** Loads the module (once; again after a failure). */
  load(): Promise<M>;
  /** The module if it is in, else null. */
  loaded(): M | null;
}

export function chunk<M>(importer: () => Promise<M>): Chunk<M> {
  let mod: M | null = null;
  let pending: Promise<M> | null = null;
  return {
    load: () =>
      (pending ??= importer().then(
        (m) => (mod = m),
        (err: unknown) => {
          pending = null;
          throw err;
        },
      )),
    loaded: () => mod,
  };
}

/** The chunk's module: at once when it is in, else null until it arrives; `error` when it could not be loaded, `retry` to try again. */
export function useChunk<M>(c: Chunk<M>): { module: M | null; error: unknown; retry: () => void } {
  const [module, setModule] = useState<M | null>(() => c.loaded());
  const [error, setError] = useState<unknown>(null);
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    if (module) return;
    let live = true;
    c.load().then(
      (m) => live && setModule(() => m),
      (err: unknown) => live && setError(err),
    );
    return () => {
      live = false;
    };
  }, [attempt]);
  return {
    module,
    error,
    retry: () => {
      setError(null);
      setAttempt((a) => a + 1);
    },
  };
}
