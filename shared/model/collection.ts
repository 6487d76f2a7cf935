import * as Y from 'yjs';
import type { z } from 'zod';
import { newId, type Id } from '../ids';

/** A record that failed validation on write; `issues` name the bad fields. */
export class RecordValidationError extends Error {
  constructor(
    readonly collection: string,
    readonly issues: { path: string; message: string }[],
  ) {
    super(`Invalid ${collection} record: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`);
    this.name = 'RecordValidationError';
  }
}

type RecordShape = { id: Id };

/**
 * Typed, validated access to one collection of records kept as a Y.Map of Y.Maps
 * keyed by id. UI and services read and write records only through this class.
 */
export class RecordCollection<S extends z.ZodType<RecordShape>> {
  constructor(
    private readonly name: string,
    private readonly map: Y.Map<Y.Map<unknown>>,
    private readonly schema: S,
    private readonly origin: unknown,
  ) {}

  get(id: Id): z.infer<S> | undefined {
    const entry = this.map.get(id);
    if (!(entry instanceof Y.Map)) return undefined;
    const parsed = this.schema.safeParse({ ...entry.toJSON(), id });
    return parsed.success ? parsed.data : undefined;
  }

  has(id: Id): boolean {
    return this.get(id) !== undefined;
  }

  /** Valid records only; a record a peer wrote malformed is skipped. */
  list(): z.infer<S>[] {
    const records: z.infer<S>[] = [];
    for (const id of this.map.keys()) {
      const record = this.get(id);
      if (record) records.push(record);
    }
    return records;
  }

  ids(): Id[] {
    return [...this.map.keys()];
  }

  get size(): number {
    return this.map.size;
  }

  create(input: Omit<z.input<S>, 'id'> & { id?: Id }): z.infer<S> {
    const record = this.validate({ ...input, id: input.id ?? newId() });
    this.transact(() => {
      const entry = new Y.Map<unknown>();
      for (const [key, value] of Object.entries(record)) {
        if (value !== undefined) entry.set(key, value);
      }
      this.map.set(record.id, entry);
    });
    return record;
  }

  /** Writes only the changed fields, so concurrent edits of other fields merge. */
  update(id: Id, patch: Partial<Omit<z.input<S>, 'id'>>): z.infer<S> {
    const entry = this.map.get(id);
    const current = this.get(id);
    if (!(entry instanceof Y.Map) || !current) {
      throw new RecordValidationError(this.name, [{ path: 'id', message: `no record ${id}` }]);
    }
    const next = this.validate({ ...current, ...patch, id });
    this.transact(() => {
      for (const key of Object.keys(patch)) {
        const value = (next as Record<string, unknown>)[key];
        if (value === undefined) entry.delete(key);
        else if (JSON.stringify(entry.get(key)) !== JSON.stringify(value)) entry.set(key, value);
      }
    });
    return next;
  }

  delete(id: Id): boolean {
    if (!this.map.has(id)) return false;
    this.transact(() => this.map.delete(id));
    return true;
  }

  /** Calls back after any change to the collection; returns the unsubscribe. */
  observe(listener: (changedIds: Set<Id>) => void): () => void {
    const handler = (events: Y.YEvent<Y.AbstractType<unknown>>[]) => {
      const changed = new Set<Id>();
      for (const event of events) {
        if (event.target === this.map) {
          for (const key of event.changes.keys.keys()) changed.add(key);
        } else {
          const id = event.path[0];
          if (typeof id === 'string') changed.add(id);
        }
      }
      if (changed.size > 0) listener(changed);
    };
    this.map.observeDeep(handler);
    return () => this.map.unobserveDeep(handler);
  }

  private validate(value: unknown): z.infer<S> {
    const parsed = this.schema.safeParse(value);
    if (!parsed.success) {
      throw new RecordValidationError(
        this.name,
        parsed.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message })),
      );
    }
    return parsed.data;
  }

  private transact(fn: () => void): void {
    const doc = this.map.doc;
    if (doc) doc.transact(fn, this.origin);
    else fn();
  }
}
