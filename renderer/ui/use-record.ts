import { useCallback, useRef, useSyncExternalStore } from 'react';
import type { z } from 'zod';
import type { Id } from '../../shared/ids';
import type { RecordCollection } from '../../shared/model';

/** Subscribes a component to exactly one record; it re-renders only when that record changes. */
export function useRecord<S extends z.ZodType<{ id: Id }>>(collection: RecordCollection<S>, id: Id): z.infer<S> | undefined {
  const cache = useRef<{ id: Id; value: z.infer<S> | undefined } | null>(null);
  const subscribe = useCallback(
    (onChange: () => void) =>
      collection.observe((changed) => {
        if (changed.has(id)) {
          cache.current = null;
          onChange();
        }
      }),
    [collection, id],
  );
  const getSnapshot = () => {
    if (!cache.current || cache.current.id !== id) cache.current = { id, value: collection.get(id) };
    return cache.current.value;
  };
  return useSyncExternalStore(subscribe, getSnapshot);
}

/** Subscribes to a whole (small) collection, e.g. the board list. */
export function useRecordList<S extends z.ZodType<{ id: Id }>, T>(
  collection: RecordCollection<S> | null,
  select: (collection: RecordCollection<S>) => T[],
): T[] {
  const cache = useRef<T[] | null>(null);
  const subscribe = useCallback(
    (onChange: () => void) => {
      cache.current = null;
      if (!collection) return () => {};
      return collection.observe(() => {
        cache.current = null;
        onChange();
      });
    },
    [collection],
  );
  const getSnapshot = () => {
    if (!cache.current) cache.current = collection ? select(collection) : [];
    return cache.current;
  };
  return useSyncExternalStore(subscribe, getSnapshot);
}
