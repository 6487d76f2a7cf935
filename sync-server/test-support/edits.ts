import type * as Y from 'yjs';
import type { WebsocketProvider } from 'y-websocket';
import type { SyncServer } from '../src/server';
import { connectProvider } from './clients';

/**
 * A stock client writing numbered keys (`<name>-<n>`) into the map `edits`.
 *
 * Acknowledgement, as the durability tests define it: an update is acknowledged once a
 * client other than its writer has received it. The server relays an update only after
 * its backend made it durable (the SQLite commit, or Redis' reply to XADD), and a
 * client hears of other clients' edits only through a server, so a key in another
 * client's doc is a key the server promised to keep.
 */
export class EditingClient {
  readonly provider: WebsocketProvider;
  readonly edits: Y.Map<number>;
  readonly written: string[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(
    server: Pick<SyncServer, 'url'>,
    room: string,
    readonly name: string,
    acknowledged: Set<string>,
  ) {
    this.provider = connectProvider(server, room);
    this.edits = this.provider.doc.getMap<number>('edits');
    this.edits.observe((event) => {
      // Local edits are this client's own; everything else came from a server.
      if (event.transaction.local) return;
      for (const key of event.keysChanged) acknowledged.add(key);
    });
  }

  /** Writes one key every intervalMs until stop(). */
  start(intervalMs: number): void {
    this.timer ??= setInterval(() => this.write(), intervalMs);
  }

  write(): string {
    const key = `${this.name}-${this.written.length + 1}`;
    this.edits.set(key, this.written.length + 1);
    this.written.push(key);
    return key;
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  keys(): string[] {
    return [...this.edits.keys()].sort();
  }

  destroy(): void {
    this.stop();
    this.provider.destroy();
  }
}

/** The acknowledged keys a doc lacks. */
export function missingFrom(doc: Y.Doc, keys: Iterable<string>): string[] {
  const edits = doc.getMap('edits');
  return [...keys].filter((key) => !edits.has(key));
}
