// Limits that keep one client from hurting the others. Defaults suit a hall of 40
// people on one board and a desktop app publishing a large workspace.

export interface ServerLimits {
  /** Largest websocket message; bigger ones close the connection with 1009. */
  maxMessageBytes: number;
  /** Sustained messages per second per connection, and the burst allowed above it. */
  messagesPerSecond: number;
  messageBurst: number;
  /** Sustained bytes per second per connection, and the burst allowed above it. */
  bytesPerSecond: number;
  byteBurst: number;
  /** Open websocket connections from one client address. */
  connectionsPerIp: number;
  /** A doc may not grow beyond this many bytes of updates (approximate: its state at load plus what was added since). */
  maxDocBytes: number;
  /** A connection whose unsent data exceeds this is dropped as a slow consumer. */
  sendBufferBytes: number;
}

export const DEFAULT_MAX_MESSAGE_BYTES = 8 * 1024 * 1024;

export const defaultLimits: ServerLimits = {
  maxMessageBytes: DEFAULT_MAX_MESSAGE_BYTES,
  // Dragging a node sends an update and an awareness change per frame (~120/s).
  messagesPerSecond: 1000,
  messageBurst: 5000,
  bytesPerSecond: 4 * 1024 * 1024,
  byteBurst: 2 * DEFAULT_MAX_MESSAGE_BYTES,
  // A hall behind one NAT: 40–100 people with a socket per open doc.
  connectionsPerIp: 500,
  maxDocBytes: 64 * 1024 * 1024,
  sendBufferBytes: 32 * 1024 * 1024,
};

/** Open connections per client address. */
export class ConnectionsPerAddress {
  private readonly counts = new Map<string, number>();

  constructor(private readonly max: number) {}

  /** Counts a new connection, or returns false when the address is at its limit. */
  acquire(address: string): boolean {
    const count = this.counts.get(address) ?? 0;
    if (count >= this.max) return false;
    this.counts.set(address, count + 1);
    return true;
  }

  release(address: string): void {
    const count = (this.counts.get(address) ?? 0) - 1;
    if (count > 0) this.counts.set(address, count);
    else this.counts.delete(address);
  }
}
