import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import { Awareness, encodeAwarenessUpdate } from 'y-protocols/awareness';
import {
  ProtocolError,
  appendsCleanly,
  appendsToDoc,
  checkUpdate,
  decodeClientMessage,
  encodeSyncStep1,
  encodeUpdate,
  messageAuth,
  messageAwareness,
  messageQueryAwareness,
} from './protocol';
import { updateDeletingAnEmptyRange, updateReferringToLaterItemOfItsClient, updateWithAnEmptyItem } from '../test-support/forged-updates';
import { mutatedEdit, seededRandom } from '../test-support/seeded-random';

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
    expect(decodeClientMessage(encodeUpdate(update))).toMatchObject({ type: 'update', update });

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

describe('telling whether an update only appends to the doc', () => {
  /** A server doc and a client doc in sync, and the updates the client makes next. */
  function synced() {
    const server = new Y.Doc();
    const client = new Y.Doc();
    client.getArray<string>('stages').push(['Сбор проблем', 'Кластеры']);
    client.getText('title').insert(0, 'Сессия');
    Y.applyUpdate(server, Y.encodeStateAsUpdate(client));
    const updates: Uint8Array[] = [];
    client.on('update', (update: Uint8Array) => updates.push(update));
    return { server, client, updates };
  }
  /** appendsToDoc's answer, after checking that appendsCleanly (the one-pass reading) gives the same. */
  const appends = (doc: Y.Doc, update: Uint8Array) => {
    const answer = appendsToDoc(doc, Y.decodeUpdate(update));
    expect(appendsCleanly(doc, update), 'appendsCleanly agrees with appendsToDoc').toBe(answer);
    return answer;
  };

  it('says yes to a live client’s next edits: an insert, an insert between known items, a deletion', () => {
    const { server, client, updates } = synced();
    client.getArray<string>('stages').insert(1, ['Голосование']);
    client.getText('title').delete(0, 2);
    client.getMap('votes').set('a', 3);
    expect(updates).toHaveLength(3);
    for (const update of updates) {
      expect(appends(server, update)).toBe(true);
      Y.applyUpdate(server, update);
    }
    expect(server.getText('title').toString()).toBe('ссия');
  });

  it('says yes to edits of two clients merged into one update, one referring to the other', () => {
    const { server, client } = synced();
    const other = new Y.Doc();
    Y.applyUpdate(other, Y.encodeStateAsUpdate(client));
    const before = Y.encodeStateVector(server);
    other.getArray<string>('stages').push(['Итоги']);
    Y.applyUpdate(client, Y.encodeStateAsUpdate(other, Y.encodeStateVector(client)));
    client.getArray<string>('stages').push(['После итогов']);
    expect(appends(server, Y.encodeStateAsUpdate(client, before))).toBe(true);
  });

  it('says no to an update the doc already holds part of, as a reconnecting client sends', () => {
    const { server, client, updates } = synced();
    client.getText('title').insert(0, 'Новая ');
    Y.applyUpdate(server, updates[0]!);
    client.getText('title').insert(0, 'Ещё ');
    expect(appends(server, Y.encodeStateAsUpdate(client))).toBe(false);
    expect(appends(server, updates[0]!)).toBe(false);
    expect(appends(server, updates[1]!)).toBe(true);
  });

  it('says no to an update that depends on one the doc has not received, and while the doc holds a pending one', () => {
    const { server, client, updates } = synced();
    client.getText('title').insert(6, ' 1');
    client.getText('title').insert(8, ' 2');
    expect(appends(server, updates[1]!)).toBe(false);
    Y.applyUpdate(server, updates[1]!);
    expect(server.store.pendingStructs).not.toBeNull();
    const third = new Y.Doc();
    third.getMap('m').set('x', 1);
    expect(appends(server, Y.encodeStateAsUpdate(third))).toBe(false);
  });

  it('says no to a new client’s first edit placed after an item of another client the doc has not received', () => {
    const { server, client, updates } = synced();
    client.getArray<string>('stages').push(['Итоги']);
    const newcomer = new Y.Doc();
    Y.applyUpdate(newcomer, Y.encodeStateAsUpdate(client));
    const own: Uint8Array[] = [];
    newcomer.on('update', (update: Uint8Array) => own.push(update));
    newcomer.getArray<string>('stages').push(['После итогов']);
    // Its structs start at clock 0 as the doc expects, but its origin is 'Итоги'.
    expect(appends(server, own[0]!)).toBe(false);
    Y.applyUpdate(server, updates[0]!);
    expect(appends(server, own[0]!)).toBe(true);
  });

  it('says no to a deletion of items the doc has not received, and to an empty update', () => {
    const { server, client, updates } = synced();
    client.getText('title').insert(6, '!');
    client.getText('title').delete(6, 1);
    expect(appends(server, updates[1]!)).toBe(false);
    expect(appends(server, Y.encodeStateAsUpdate(new Y.Doc()))).toBe(false);
  });
});

describe('reading an update in one pass (appendsCleanly)', () => {
  function synced() {
    const server = new Y.Doc();
    const client = new Y.Doc();
    client.getText('title').insert(0, 'Сессия');
    Y.applyUpdate(server, Y.encodeStateAsUpdate(client));
    const updates: Uint8Array[] = [];
    client.on('update', (update: Uint8Array) => updates.push(update));
    return { server, client, updates };
  }

  it('says yes, as appendsToDoc does, to new nested types, named XML elements and a map key set twice', () => {
    const { server, client, updates } = synced();
    const note = new Y.Map<unknown>();
    client.getMap('notes').set('n1', note);
    note.set('text', new Y.Text('Остановка'));
    client.getXmlFragment('doc').insert(0, [new Y.XmlElement('paragraph')]);
    note.set('x', 10);
    note.set('x', 20);
    expect(updates).toHaveLength(5);
    for (const update of updates) {
      expect(appendsCleanly(server, update)).toBe(true);
      expect(appendsToDoc(server, Y.decodeUpdate(update))).toBe(true);
      Y.applyUpdate(server, update);
    }
    expect(server.getMap('notes').toJSON()).toEqual({ n1: { text: 'Остановка', x: 20 } });
  });

  it('leaves to the full check the content kinds it does not read: formatting, embeds, binary, subdocuments', () => {
    const { server, client, updates } = synced();
    client.getText('title').format(0, 3, { bold: true });
    client.getText('title').insertEmbed(0, { image: 'герб.png' });
    client.getMap('files').set('logo', new Uint8Array([1, 2, 3]));
    client.getMap('docs').set('appendix', new Y.Doc());
    expect(updates).toHaveLength(4);
    for (const update of updates) {
      expect(appendsToDoc(server, Y.decodeUpdate(update))).toBe(true);
      expect(appendsCleanly(server, update)).toBe(false);
      Y.applyUpdate(server, update);
    }
  });

  // What appendsCleanly accepts is stored and sent on without Y.decodeUpdate ever
  // seeing it, so it must accept nothing the full check (checkUpdate, then appendsToDoc)
  // refuses. Seeded byte mutations of edits of every content kind, against the doc
  // each edit was made on.
  it('accepts nothing the full check refuses, over 30,000 mutated edits', () => {
    const random = seededRandom(0x5eed2026);
    const client = new Y.Doc();
    const notes = client.getMap<unknown>('notes');
    const stages = client.getArray<unknown>('stages');
    const title = client.getText('title');
    title.insert(0, 'Стратегическая сессия');
    stages.push(['Сбор', 'Кластеры']);
    const base = Y.encodeStateAsUpdate(client);
    const edits: Uint8Array[] = [];
    client.on('update', (update: Uint8Array) => edits.push(update));
    for (let i = 0; i < 60; i++) {
      switch (i % 10) {
        case 0: title.insert(Math.floor(random() * title.length), 'ё'); break;
        case 1: if (title.length > 2) title.delete(1, 1); break;
        case 2: notes.set(`x${i % 3}`, { x: i, tags: ['a', i], ok: true }); break;
        case 3: notes.set(`m${i}`, new Y.Map()); break;
        case 4: stages.insert(1, [`Этап ${i}`, i, null]); break;
        case 5: title.format(0, 2, { bold: i % 20 === 5 }); break;
        case 6: notes.set(`b${i}`, new Uint8Array([i, 1, 2])); break;
        case 7: stages.delete(0, 1); break;
        case 8: client.getXmlFragment('x').insert(0, [new Y.XmlElement('p'), new Y.XmlText('т')]); break;
        case 9: client.transact(() => { title.insert(0, 'аб'); stages.push([i]); notes.delete(`x${i % 3}`); }); break;
      }
    }
    const before = edits.map((_, index) => Y.mergeUpdates([base, ...edits.slice(0, index)]));
    const docs = before.map((update) => {
      const doc = new Y.Doc();
      Y.applyUpdate(doc, update);
      return doc;
    });
    // Unchanged edits of the kinds it reads are all taken.
    const unchanged = edits.filter((edit, index) => appendsCleanly(docs[index]!, edit)).length;
    expect(unchanged).toBeGreaterThan(edits.length / 2);

    let accepted = 0;
    for (let n = 0; n < 30_000; n++) {
      const { index, mutated } = mutatedEdit(random, edits);
      const doc = docs[index]!;
      if (!appendsCleanly(doc, mutated)) continue;
      accepted++;
      const label = `case ${n}: edit ${index} mutated`;
      const decoded = checkUpdate(mutated);
      expect(appendsToDoc(doc, decoded), label).toBe(true);
      const room = new Y.Doc();
      Y.applyUpdate(room, before[index]!);
      expect(() => Y.applyUpdate(room, mutated), label).not.toThrow();
    }
    // Enough mutations are accepted for the comparison to mean something (818 with this seed).
    expect(accepted).toBeGreaterThan(500);
  });
});

describe('updates the quiet-room path commits before applying', () => {
  // The sync server stores and sends on an update that appendsToDoc accepts before it
  // applies it, so such an update must never fail to apply: a stored one that did would
  // fail every later load of the room. Seeded byte mutations of real edits, kept when
  // the validation and appendsToDoc both accept them.
  it('apply without throwing, for 20,000 mutated edits of a live board', () => {
    const random = seededRandom(0x0b0a2d26);
    const client = new Y.Doc();
    const notes = client.getMap<Y.Map<unknown>>('notes');
    for (let i = 0; i < 5; i++) {
      const note = new Y.Map<unknown>();
      notes.set(`n${i}`, note);
      note.set('text', new Y.Text(`Проблема ${i}`));
      note.set('x', i * 40);
    }
    client.getArray<string>('stages').push(['Сбор', 'Кластеры', 'Голосование']);
    const base = Y.encodeStateAsUpdate(client);
    const edits: Uint8Array[] = [];
    client.on('update', (update: Uint8Array) => edits.push(update));
    for (let i = 0; i < 40; i++) {
      const note = notes.get(`n${i % 5}`)!;
      const text = note.get('text') as Y.Text;
      if (i % 4 === 0) text.insert(Math.floor(random() * text.length), 'ё');
      else if (i % 4 === 1 && text.length > 2) text.delete(1, 1);
      else if (i % 4 === 2) note.set('x', i);
      else client.getArray<string>('stages').insert(1, [`Этап ${i}`]);
    }
    // Each edit is applied to a doc holding everything before it, as a live room would.
    const before = edits.map((_, index) => Y.mergeUpdates([base, ...edits.slice(0, index)]));

    let applied = 0;
    for (let n = 0; n < 20_000; n++) {
      const { index, mutated } = mutatedEdit(random, edits);
      let message;
      try {
        message = decodeClientMessage(encodeUpdate(mutated));
      } catch {
        continue;
      }
      if (message.type !== 'update') continue;
      const room = new Y.Doc();
      Y.applyUpdate(room, before[index]!);
      if (!appendsToDoc(room, message.decoded)) continue;
      expect(() => Y.applyUpdate(room, mutated), `case ${n}: edit ${index} mutated`).not.toThrow();
      applied++;
    }
    // Enough of them reach the apply for the test to mean something (476 with this seed).
    expect(applied).toBeGreaterThan(300);
  });
});
