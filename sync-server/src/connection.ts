import { WebSocket } from 'ws';

// Close codes a y-websocket client sees. 1xxx codes make the stock client reconnect
// with backoff; 44xx would stop it (reserved for auth decisions later).
export const CloseCode = {
  normal: 1000,
  unsupportedData: 1003,
  internalError: 1011,
  serviceRestart: 1012,
} as const;

/** One client's websocket in one room. */
export class Connection {
  /** Awareness client ids this connection has announced, removed when it leaves. */
  readonly awarenessClients = new Set<number>();
  /** Cleared at each keep-alive ping, set again by the pong. */
  answeredPing = true;

  constructor(
    readonly socket: WebSocket,
    readonly remoteAddress: string,
  ) {}

  get isOpen(): boolean {
    return this.socket.readyState === WebSocket.OPEN;
  }

  send(message: Uint8Array): void {
    if (!this.isOpen) return;
    this.socket.send(message, (error) => {
      if (error) this.socket.terminate();
    });
  }

  close(code: number, reason: string): void {
    if (this.socket.readyState === WebSocket.CLOSED || this.socket.readyState === WebSocket.CLOSING) return;
    this.socket.close(code, reason);
  }
}
