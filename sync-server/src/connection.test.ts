import { describe, expect, it } from 'vitest';
import { BroadcastFrame } from './connection';
import { encodeUpdate } from './protocol';

describe('framing a broadcast', () => {
  it('builds an update’s frame in place with the same bytes as framing the encoded message', () => {
    // Around each boundary of the update's length prefix (1, 2, 3 bytes) and of the
    // websocket header (7-bit, 16-bit and 64-bit payload lengths).
    for (const length of [0, 1, 120, 121, 122, 127, 128, 16_383, 16_384, 65_530, 65_531, 70_000]) {
      const update = new Uint8Array(length).map((_, i) => (i * 31 + length) & 0xff);
      const inPlace = BroadcastFrame.ofUpdate(update);
      const framed = BroadcastFrame.of(encodeUpdate(update));
      expect(inPlace.payloadBytes, `length ${length}`).toBe(framed.payloadBytes);
      expect(inPlace.bytes.equals(framed.bytes), `length ${length}`).toBe(true);
    }
  });
});
