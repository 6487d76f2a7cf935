import type * as Y from 'yjs';
import { RecordCollection } from './collection';
import { appealSchema, type Appeal } from './records';

/** One imported dataset (e.g. a batch of residents' appeals): written once by import, read by the registry. */
export class DatasetDoc {
  readonly appeals;

  constructor(
    readonly doc: Y.Doc,
    private readonly origin: unknown = null,
  ) {
    this.appeals = new RecordCollection('appeals', doc.getMap<Y.Map<unknown>>('appeals'), appealSchema, origin);
  }

  /** Adds the rows in one transaction; a row that fails validation stops the import before anything is written. */
  importAppeals(rows: Omit<Appeal, 'id'>[]): number {
    const valid = rows.map((row) => appealSchema.omit({ id: true }).parse(row));
    this.doc.transact(() => {
      for (const row of valid) this.appeals.create(row);
    }, this.origin);
    return valid.length;
  }
}
