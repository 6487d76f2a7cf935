import { useSyncExternalStore } from 'react';
import type { z } from 'zod';
import type { Id } from '../../../shared/ids';
import type { RecordCollection } from '../../../shared/model';

/**
 * A collection's valid records kept up to date incrementally: a change re-reads only the
 * changed ids, so a 20,000-problem registry doesn't re-validate every record per edit.
 * One instance per collection (see `liveRecords`), shared by every view that reads it.
 */
export class LiveRecords<S extends z.ZodType<{ id: Id }>> {
  private readonly byId = new Map<Id, z.infer<S>>();
  private readonly listeners = new Set<() => void>();
  private snapshot: z.infer<S>[] | null = null;
  private started = false;

  constructor(private readonly collection: RecordCollection<S>) {}

  // Observes from the first read for the collection's life (one observer per collection):
  // reading during render and observing only from the effect would either miss a change
  // in between or validate all 20,000 records twice.
  private start(): void {
    if (this.started) return;
    this.started = true;
    for (const record of this.collection.list()) this.byId.set(record.id, record);
    this.collection.observe((changed) => {
      for (const id of changed) {
        const record = this.collection.get(id);
        if (record) this.byId.set(id, record);
        else this.byId.delete(id);
      }
      this.snapshot = null;
      for (const listener of this.listeners) listener();
    });
  }

  subscribe = (listener: () => void): (() => void) => {
    this.start();
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** The records as an array that keeps its identity until something changes. */
  list = (): z.infer<S>[] => {
    this.start();
    this.snapshot ??= [...this.byId.values()];
    return this.snapshot;
  };

  get(id: Id): z.infer<S> | undefined {
    this.start();
    return this.byId.get(id);
  }
}

const cache = new WeakMap<object, unknown>();

export function liveRecords<S extends z.ZodType<{ id: Id }>>(collection: RecordCollection<S>): LiveRecords<S> {
  let live = cache.get(collection) as LiveRecords<S> | undefined;
  if (!live) {
    live = new LiveRecords(collection);
    cache.set(collection, live);
  }
  return live;
}

/** Every valid record of a collection, re-rendering on any change to it. */
export function useLiveRecords<S extends z.ZodType<{ id: Id }>>(collection: RecordCollection<S>): z.infer<S>[] {
  const live = liveRecords(collection);
  return useSyncExternalStore(live.subscribe, live.list);
}
