import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import { Awareness, encodeAwarenessUpdate } from 'y-protocols/awareness';
import {
  ProtocolError,
  decodeClientMessage,
  encodeSyncStep1,
  encodeUpdate,
  messageAuth,
  messageAwareness,
  messageQueryAwareness,
} from './protocol';
import { updateDeletingAnEmptyRange, updateReferringToLaterItemOfItsClient, updateWithAnEmptyItem } from '../test-support/forged-updates';

function frame(write: (encoder: encoding.Encoder) => void): Uint8Array {
  const encoder = encoding.createEncoder();
  write(encoder);
  return encoding.toUint8Array(encoder);
}

function awarenessFrame(entries: Array<[clientId: number, clock: number, stateJson: string]>): Uint8Array {
  const update = frame((encoder) => {
    encoding.writeVarUint(encoder, entries.length);
    for (const [clientId, clock, state] of entries) {
      encoding.writeVarUint(encoder, clientId);
      encoding.writeVarUint(encoder, clock);
      encoding.writeVarString(encoder, state);
    }
  });
  return frame((encoder) => {
    encoding.writeVarUint(encoder, messageAwareness);
    encoding.writeVarUint8Array(encoder, update);
  });
}

describe('decoding client messages', () => {
  it('reads the frames the stock client sends', () => {
    const doc = new Y.Doc();
    doc.getText('t').insert(0, 'привет');
    expect(decodeClientMessage(encodeSyncStep1(doc))).toEqual({ type: 'sync-step-1', stateVector: Y.encodeStateVector(doc) });
    const update = Y.encodeStateAsUpdate(doc);
    expect(decodeClientMessage(encodeUpdate(update))).toEqual({ type: 'update', update });

    const awareness = new Awareness(doc);
    awareness.setLocalState({ user: { name: 'Алиса' } });
    const presence = encodeAwarenessUpdate(awareness, [doc.clientID]);
    const presenceFrame = frame((encoder) => {
      encoding.writeVarUint(encoder, messageAwareness);
      encoding.writeVarUint8Array(encoder, presence);
    });
    expect(decodeClientMessage(presenceFrame)).toEqual({ type: 'awareness', update: presence });
    expect(decodeClientMessage(new Uint8Array([messageQueryAwareness]))).toEqual({ type: 'query-awareness' });
    awareness.destroy();
  });

  it('rejects an update that does not decode, so it is never applied', () => {
    const doc = new Y.Doc();
    doc.getText('t').insert(0, 'hello');
    const update = Y.encodeStateAsUpdate(doc);
    const truncated = encodeUpdate(update.subarray(0, update.length - 3));
    expect(() => decodeClientMessage(truncated)).toThrow(ProtocolError);
    expect(() => decodeClientMessage(new Uint8Array([0, 2, 4, 0xff, 0xff, 0xff, 0xff]))).toThrow(ProtocolError);
  });

  it('rejects an update that decodes but that Yjs would fail to integrate half-way', () => {
    for (const update of [updateReferringToLaterItemOfItsClient(), updateDeletingAnEmptyRange(), updateWithAnEmptyItem()]) {
      expect(() => Y.applyUpdate(new Y.Doc(), update)).toThrow();
      expect(() => decodeClientMessage(encodeUpdate(update))).toThrow(ProtocolError);
    }
  });

  it('accepts the updates of real edits: inserts before earlier items, deletions, nested types', () => {
    const doc = new Y.Doc();
    const text = doc.getText('t');
    text.insert(0, 'мир');
    text.insert(0, 'привет ');
    text.delete(2, 3);
    const nested = new Y.Map<string>();
    doc.getArray<Y.Map<string>>('cards').push([nested]);
    nested.set('title', 'Проект');
    nested.delete('title');
    expect(decodeClientMessage(encodeUpdate(Y.encodeStateAsUpdate(doc))).type).toBe('update');
  });

  it('rejects empty, truncated and unknown frames', () => {
    expect(() => decodeClientMessage(new Uint8Array([]))).toThrow(ProtocolError);
    expect(() => decodeClientMessage(new Uint8Array([0]))).toThrow(ProtocolError);
    expect(() => decodeClientMessage(new Uint8Array([0, 9, 0]))).toThrow(/unsupported sync message type/);
    expect(() => decodeClientMessage(new Uint8Array([42]))).toThrow(/unsupported message type 42/);
    // Auth messages only flow from server to client.
    expect(() => decodeClientMessage(new Uint8Array([messageAuth, 0]))).toThrow(ProtocolError);
  });

  it('rejects an awareness update with broken JSON or a state that is not an object', () => {
    expect(decodeClientMessage(awarenessFrame([[1, 1, '{"user":{}}'], [2, 3, 'null']])).type).toBe('awareness');
    expect(() => decodeClientMessage(awarenessFrame([[1, 1, '{"user":']]))).toThrow(ProtocolError);
    expect(() => decodeClientMessage(awarenessFrame([[1, 1, '42']]))).toThrow(ProtocolError);
    expect(() => decodeClientMessage(awarenessFrame([[1, 1, '[1]']]))).toThrow(ProtocolError);
  });
});
