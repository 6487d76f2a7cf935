import { WebSocket } from 'ws';
import type { AccessGrant } from './auth';

// Close codes a y-websocket client sees. 1xxx codes make the stock client reconnect
// with backoff; 4400–4499 make it stop (a decision reconnecting cannot change).
export const CloseCode = {
  normal: 1000,
  unsupportedData: 1003,
  policyViolation: 1008,
  messageTooBig: 1009,
  internalError: 1011,
  serviceRestart: 1012,
  tryAgainLater: 1013,
  /** The access token expired while the connection was open. */
  tokenExpired: 4401,
  /** The access token was revoked. */
  tokenRevoked: 4403,
} as const;

/** One client's websocket in one room. */
export class Connection {
  /** Awareness client ids this connection has announced, removed when it leaves. */
  readonly awarenessClients = new Set<number>();
  /** Cleared at each keep-alive ping, set again by the pong. */
  answeredPing = true;
  /** Viewers receive everything but their document updates are refused. */
  readonly readOnly: boolean;
  expiryTimer: NodeJS.Timeout | null = null;

  constructor(
    readonly socket: WebSocket,
    readonly remoteAddress: string,
    /** What the access token allows; null when the server runs without auth. */
    readonly grant: AccessGrant | null,
  ) {
    this.readOnly = grant?.role === 'viewer';
  }

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
