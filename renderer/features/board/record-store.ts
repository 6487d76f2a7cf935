import type { z } from 'zod';
import type { Id } from '../../../shared/ids';
import type { RecordCollection } from '../../../shared/model';

/**
 * One observer per board collection that wakes only the components subscribed to the
 * changed ids, with parsed records cached: thousands of nodes each read their own record
 * without thousands of Yjs observers.
 */
export class RecordStore<S extends z.ZodType<{ id: Id }>> {
  private readonly listeners = new Map<Id, Set<() => void>>();
  private readonly cache = new Map<Id, z.infer<S> | undefined>();
  private readonly stop: () => void;
  /** How many change batches the store has seen: lets a late subscriber know it missed some. */
  version = 0;

  constructor(readonly collection: RecordCollection<S>) {
    this.stop = collection.observe((changed) => {
      this.version += 1;
      for (const id of changed) {
        this.cache.delete(id);
        const listeners = this.listeners.get(id);
        if (listeners) for (const listener of [...listeners]) listener();
      }
    });
  }

  get(id: Id): z.infer<S> | undefined {
    if (!this.cache.has(id)) this.cache.set(id, this.collection.get(id));
    return this.cache.get(id);
  }

  /** Fills the cache from records already parsed, so opening a big board parses each record once. */
  prime(records: z.infer<S>[]): z.infer<S>[] {
    for (const record of records) if (!this.cache.has(record.id)) this.cache.set(record.id, record);
    return records;
  }

  subscribe(id: Id, listener: () => void): () => void {
    let set = this.listeners.get(id);
    if (!set) this.listeners.set(id, (set = new Set()));
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0) this.listeners.delete(id);
    };
  }

  destroy(): void {
    this.stop();
    this.listeners.clear();
    this.cache.clear();
  }
}

/** A value outside React that components read through a selector, re-rendering only when their slice changes. */
export class Signal<T> {
  private readonly listeners = new Set<() => void>();
  constructor(private value: T) {}

  get(): T {
    return this.value;
  }

  set(value: T): void {
    if (Object.is(value, this.value)) return;
    this.value = value;
    for (const listener of [...this.listeners]) listener();
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };
}
