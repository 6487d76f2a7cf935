import { useEffect, useRef, type DependencyList } from 'react';
import { useStoreApi } from '@xyflow/react';

/**
 * Repaints a canvas on the next animation frame whenever the board's viewport (pan, zoom,
 * pane size) changes, at most once a frame. `makePaint` runs once per `deps` change and
 * returns the painter, so it can keep caches of its own. Returns `schedule`, which asks
 * for a repaint after other changes (nodes, selection).
 */
export function useViewportPaint(makePaint: () => () => void, deps: DependencyList): () => void {
  const store = useStoreApi();
  const schedule = useRef<() => void>(() => {});
  useEffect(() => {
    const paint = makePaint();
    let frame = 0;
    const run = () => {
      frame = 0;
      paint();
    };
    schedule.current = () => {
      if (!frame) frame = requestAnimationFrame(run);
    };
    schedule.current();
    const stop = store.subscribe((state, previous) => {
      if (state.transform !== previous.transform || state.width !== previous.width || state.height !== previous.height) schedule.current();
    });
    return () => {
      stop();
      cancelAnimationFrame(frame);
    };
    // `makePaint` is a fresh closure each render; `deps` names what it reads.
  }, [store, ...deps]);
  const stable = useRef(() => schedule.current());
  return stable.current;
}
