import type { Duplex } from 'node:stream';
import * as syncProtocol from 'y-protocols/sync';
import { WebSocket } from 'ws';
import type { AccessGrant } from './auth';
import type { ServerLimits } from './limits';
import type { ServerMetrics } from './metrics';
import { messageSync } from './protocol';

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
  /** The doc reached its size limit; reconnecting would send the same update again. */
  docTooLarge: 4413,
} as const;

/** One client's websocket in one room. */
export class Connection {
  /** Awareness client ids this connection has announced, removed when it leaves. */
  readonly awarenessClients = new Set<number>();
  /** Cleared at each keep-alive ping, set again by the pong. */
  answeredPing = true;
  /** Viewers receive everything but their document updates are refused. */
  readonly readOnly: boolean;
  // Two token buckets (messages and bytes) kept as plain fields: a connection is one
  // object, not three, and there are thousands of connections.
  private messageTokens: number;
  private byteTokens: number;
  private refilledAt = Date.now();

  constructor(
    readonly socket: WebSocket,
    /** The upgraded TCP (or TLS) stream under `socket`, for frames built once for many receivers. */
    private readonly stream: Duplex,
    readonly remoteAddress: string,
    /** What the access token allows; null when the server runs without auth. */
    readonly grant: AccessGrant | null,
    private readonly limits: ServerLimits,
    private readonly metrics: ServerMetrics,
  ) {
    this.readOnly = grant?.role === 'viewer';
    this.messageTokens = limits.messageBurst;
    this.byteTokens = limits.byteBurst;
  }

  get isOpen(): boolean {
    return this.socket.readyState === WebSocket.OPEN;
  }

  /**
   * Counts a received message against the connection's rates. Over a rate, the
   * connection is closed with 1008 (the client reconnects after a backoff) and false returned.
   */
  admit(size: number): boolean {
    this.metrics.messagesIn++;
    this.metrics.bytesIn += size;
    // What arrives after the server decided to close is dropped, not counted again.
    if (!this.isOpen) return false;
    const { limits } = this;
    const now = Date.now();
    const elapsed = now - this.refilledAt;
    if (elapsed > 0) {
      this.messageTokens = Math.min(limits.messageBurst, this.messageTokens + (elapsed * limits.messagesPerSecond) / 1000);
      this.byteTokens = Math.min(limits.byteBurst, this.byteTokens + (elapsed * limits.bytesPerSecond) / 1000);
      this.refilledAt = now;
    }
    if (this.messageTokens < 1) return this.refuse('message-rate');
    this.messageTokens -= 1;
    if (this.byteTokens < size) return this.refuse('byte-rate');
    this.byteTokens -= size;
    return true;
  }

  send(message: Uint8Array): void {
    if (!this.mayWrite(message.length)) return;
    // No callback: a failed write makes ws destroy the socket, and 'close' follows.
    this.socket.send(message);
  }

  /**
   * Sends a frame from `BroadcastFrame`: the same buffer for every receiver, written in
   * one piece instead of ws building a header and a two-buffer writev per receiver
   * (the fan-out's main cost). Safe beside ws's own writes: each frame enters the
   * stream whole and in order, as ws's sender writes straight through too when, as
   * here, permessage-deflate is off.
   */
  sendFrame(frame: BroadcastFrame): void {
    if (!this.mayWrite(frame.payloadBytes)) return;
    this.stream.write(frame.bytes);
  }

  private mayWrite(payloadBytes: number): boolean {
    if (!this.isOpen) return false;
    // A client that does not read fast enough would make the server buffer without end.
    // (bufferedAmount counts what ws and sendFrame wrote to the stream.)
    if (this.socket.bufferedAmount > this.limits.sendBufferBytes) {
      this.metrics.reject('slow-consumer');
      this.socket.terminate();
      return false;
    }
    this.metrics.messagesOut++;
    this.metrics.bytesOut += payloadBytes;
    return true;
  }

  private refuse(reason: 'message-rate' | 'byte-rate'): false {
    this.metrics.reject(reason);
    this.close(CloseCode.policyViolation, reason);
    return false;
  }

  close(code: number, reason: string): void {
    if (this.socket.readyState === WebSocket.CLOSED || this.socket.readyState === WebSocket.CLOSING) return;
    this.socket.close(code, reason);
  }
}

/** One binary websocket message framed for the server → client direction (unmasked, final). */
export class BroadcastFrame {
  private constructor(
    readonly bytes: Buffer,
    readonly payloadBytes: number,
  ) {}

  static of(message: Uint8Array): BroadcastFrame {
    const { bytes, offset } = allocateFrame(message.length);
    bytes.set(message, offset);
    return new BroadcastFrame(bytes, message.length);
  }

  /**
   * The frame of a sync update message carrying `update`, built in place: the same bytes
   * as `BroadcastFrame.of(encodeUpdate(update))` without the message's own buffer and copy.
   */
  static ofUpdate(update: Uint8Array): BroadcastFrame {
    const lengthBytes = varUintBytes(update.length);
    const messageBytes = 2 + lengthBytes + update.length;
    const { bytes, offset } = allocateFrame(messageBytes);
    bytes[offset] = messageSync;
    bytes[offset + 1] = syncProtocol.messageYjsUpdate;
    let at = offset + 2;
    for (let rest = update.length; ; rest = Math.floor(rest / 128)) {
      if (rest < 128) {
        bytes[at++] = rest;
        break;
      }
      bytes[at++] = 0x80 | (rest & 0x7f);
    }
    bytes.set(update, at);
    return new BroadcastFrame(bytes, messageBytes);
  }
}

/** A buffer for a frame of `length` payload bytes, its header written; the payload goes at `offset`. */
function allocateFrame(length: number): { bytes: Buffer; offset: number } {
  const headerBytes = length < 126 ? 2 : length < 65536 ? 4 : 10;
  const bytes = Buffer.allocUnsafe(headerBytes + length);
  bytes[0] = 0x82; // FIN + opcode 2 (binary)
  if (length < 126) {
    bytes[1] = length;
  } else if (length < 65536) {
    bytes[1] = 126;
    bytes.writeUInt16BE(length, 2);
  } else {
    bytes[1] = 127;
    bytes.writeBigUInt64BE(BigInt(length), 2);
  }
  return { bytes, offset: headerBytes };
}

/** Bytes lib0's writeVarUint takes for `value` (7 bits per byte). */
function varUintBytes(value: number): number {
  let bytes = 1;
  for (let rest = value; rest >= 128; rest = Math.floor(rest / 128)) bytes++;
  return bytes;
}
