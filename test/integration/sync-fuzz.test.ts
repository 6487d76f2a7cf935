import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import * as awarenessProtocol from 'y-protocols/awareness';
import type { WebsocketProvider } from 'y-websocket';
import { boardDocName, roomName } from '../../shared/docs';
import { newId } from '../../shared/ids';
import { CloseCode } from '../../sync-server/src/connection';
import { messageAwareness, messageQueryAwareness, messageSync } from '../../sync-server/src/protocol';
import type { SyncServer } from '../../sync-server/src/server';
import { seededRandom } from '../../sync-server/test-support/seeded-random';
import { RawClient, connectProvider, createWorkspace, makeTempDir, startTestServer, waitFor, whenSynced, wsUrl } from '../../sync-server/test-support/clients';

// ≥ 10,000 malformed, truncated, oversized, mutated and random frames against one
// room, from a seeded PRNG so a failure replays exactly. Every case must end in a
// close with a protocol code, or leave the connection answering; the server must
// stay up and another room must keep syncing.

const SEED = 0x5eed2026;
const CASES = 10_000;
const WORKERS = 16;
const MAX_MESSAGE_BYTES = 16 * 1024;

type CaseKind = 'random' | 'empty' | 'truncated' | 'mutated' | 'oversized' | 'unknown-type' | 'bad-awareness' | 'huge-length' | 'valid';

function frame(type: number, write: (encoder: encoding.Encoder) => void): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, type);
  write(encoder);
  return encoding.toUint8Array(encoder);
}

/** Well-formed frames a client could send, made from a small doc of random edits. */
function validFrames(random: () => number): Uint8Array[] {
  const doc = new Y.Doc();
  const text = doc.getText('t');
  for (let i = 0; i < 1 + Math.floor(random() * 4); i++) text.insert(Math.floor(random() * (text.length + 1)), `слово${Math.floor(random() * 1000)}`);
  if (text.length > 2) text.delete(0, 1);
  doc.getMap('m').set(`k${Math.floor(random() * 100)}`, random());
  const update = Y.encodeStateAsUpdate(doc);
  const awareness = new awarenessProtocol.Awareness(doc);
  awareness.setLocalState({ user: { name: 'Участник', color: '#2f9e44' }, cursor: Math.floor(random() * 50) });
  const awarenessUpdate = awarenessProtocol.encodeAwarenessUpdate(awareness, [doc.clientID]);
  awareness.destroy();
  doc.destroy();
  return [
    frame(messageSync, (e) => {
      encoding.writeVarUint(e, 0);
      encoding.writeVarUint8Array(e, Y.encodeStateVector(new Y.Doc()));
    }),
    frame(messageSync, (e) => {
      encoding.writeVarUint(e, 1);
      encoding.writeVarUint8Array(e, update);
    }),
    frame(messageSync, (e) => {
      encoding.writeVarUint(e, 2);
      encoding.writeVarUint8Array(e, update);
    }),
    frame(messageAwareness, (e) => encoding.writeVarUint8Array(e, awarenessUpdate)),
    new Uint8Array([messageQueryAwareness]),
  ];
}

function randomBytes(random: () => number, length: number): Uint8Array {
  const bytes = new Uint8Array(length);
  for (let i = 0; i < length; i++) bytes[i] = Math.floor(random() * 256);
  return bytes;
}

const kinds: CaseKind[] = ['random', 'empty', 'truncated', 'mutated', 'oversized', 'unknown-type', 'bad-awareness', 'huge-length', 'valid'];

function makeCase(random: () => number): { kind: CaseKind; data: Uint8Array } {
  const kind = kinds[Math.floor(random() * kinds.length)]!;
  const pick = () => {
    const frames = validFrames(random);
    return frames[Math.floor(random() * frames.length)]!;
  };
  switch (kind) {
    case 'random':
      return { kind, data: randomBytes(random, 1 + Math.floor(random() * 300)) };
    case 'empty':
      return { kind, data: new Uint8Array(0) };
    case 'truncated': {
      const full = pick();
      return { kind, data: full.slice(0, Math.floor(random() * full.length)) };
    }
    case 'mutated': {
      const data = pick().slice();
      for (let flips = 1 + Math.floor(random() * 3); flips > 0; flips--) {
        const at = Math.floor(random() * data.length);
        data[at] = data[at]! ^ (1 << Math.floor(random() * 8));
      }
      return { kind, data };
    }
    case 'oversized':
      return { kind, data: randomBytes(random, MAX_MESSAGE_BYTES + 1 + Math.floor(random() * 4096)) };
    case 'unknown-type':
      return { kind, data: frame(4 + Math.floor(random() * 1_000_000), (e) => encoding.writeUint8Array(e, randomBytes(random, Math.floor(random() * 20)))) };
    case 'bad-awareness': {
      const states = ['{"a":', '[1,2]', '"text"', '42', 'nul', '{"ok":true}'];
      const state = states[Math.floor(random() * states.length)]!;
      const inner = encoding.createEncoder();
      encoding.writeVarUint(inner, 1);
      encoding.writeVarUint(inner, Math.floor(random() * 2 ** 30));
      encoding.writeVarUint(inner, Math.floor(random() * 10));
      encoding.writeVarString(inner, state);
      return { kind, data: frame(messageAwareness, (e) => encoding.writeVarUint8Array(e, encoding.toUint8Array(inner))) };
    }
    case 'huge-length':
      return {
        kind,
        data: frame(messageSync, (e) => {
          encoding.writeVarUint(e, Math.floor(random() * 3));
          encoding.writeVarUint(e, 2 ** 31 + Math.floor(random() * 1000));
          encoding.writeUint8Array(e, randomBytes(random, 16));
        }),
      };
    case 'valid':
      return { kind, data: pick() };
  }
}

// Closes a protocol error may cause: bad data (1003), too big (1009), bad frame (1002).
// Never 1011: an update that decodes but would fail to apply is refused before it
// touches the room, so one client's bad update never reloads the room for everyone.
const allowedCloseCodes = new Set<number>([CloseCode.unsupportedData, CloseCode.messageTooBig, 1002]);

let dataDir: Awaited<ReturnType<typeof makeTempDir>>;
let server: SyncServer;
const providers: WebsocketProvider[] = [];

beforeAll(async () => {
  dataDir = await makeTempDir();
  server = await startTestServer({
    dataDir: dataDir.path,
    limits: { maxMessageBytes: MAX_MESSAGE_BYTES, byteBurst: 1024 ** 3, bytesPerSecond: 1024 ** 3, messagesPerSecond: 1e6, messageBurst: 1e6, connectionsPerIp: 1000 },
  });
});

afterAll(async () => {
  for (const provider of providers.splice(0)) provider.destroy();
  await server.close();
  await dataDir.remove();
});

/**
 * Sends one case, then a websocket ping. The server handles frames in order and closes
 * synchronously on a bad one, so the pong (never sent once closing) proves the case was
 * accepted and the close proves it was refused.
 */
async function runCase(client: RawClient, data: Uint8Array): Promise<'alive' | number> {
  const answered = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no pong and no close within 10 s')), 10_000);
    const done = () => {
      clearTimeout(timer);
      client.socket.off('pong', onPong);
      client.socket.off('close', done);
      resolve();
    };
    const onPong = () => {
      if (client.socket.readyState === client.socket.OPEN) done();
    };
    client.socket.on('pong', onPong);
    client.socket.on('close', done);
  });
  client.send(data);
  client.socket.ping();
  await answered;
  return client.closeCode ?? 'alive';
}

describe('fuzzing one room', () => {
  it(`answers ${CASES} malformed, truncated, oversized and random frames with a close or a reply, never a crash`, { timeout: 600_000 }, async () => {
    const { id } = await createWorkspace(server);
    const fuzzedRoom = roomName(id, boardDocName(newId()));
    const quietRoom = roomName(id, boardDocName(newId()));
    const alice = connectProvider(server, quietRoom);
    const bob = connectProvider(server, quietRoom);
    providers.push(alice, bob);
    await Promise.all([whenSynced(alice), whenSynced(bob)]);

    const random = seededRandom(SEED);
    const cases = Array.from({ length: CASES }, () => makeCase(random));
    const outcomes = new Map<string, number>();
    let next = 0;
    let checkpoints = 0;

    const heapBefore = process.memoryUsage().heapUsed;
    async function worker(): Promise<void> {
      let client: RawClient | null = null;
      while (next < cases.length) {
        const index = next++;
        const { kind, data } = cases[index]!;
        if (!client || client.closeCode !== null) {
          client = new RawClient(`${wsUrl(server)}/${fuzzedRoom}`);
          await client.opened;
        }
        const outcome = await runCase(client, data);
        if (outcome !== 'alive' && !allowedCloseCodes.has(outcome)) {
          throw new Error(`case ${index} (${kind}, seed ${SEED}) closed with ${outcome} ${client.closeReason}`);
        }
        const key = `${kind}:${outcome}`;
        outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
        client.messages.length = 0;
        // The other room keeps syncing throughout.
        if (index % 1000 === 999) {
          const mark = `отметка ${++checkpoints}`;
          alice.doc.getArray<string>('marks').push([mark]);
          await waitFor(() => bob.doc.getArray<string>('marks').toArray().includes(mark), `checkpoint ${checkpoints} in the quiet room`, 10_000);
        }
      }
      client?.socket.terminate();
    }
    await Promise.all(Array.from({ length: WORKERS }, worker));
    const heapAfter = process.memoryUsage().heapUsed;

    console.info(`fuzz outcomes (seed ${SEED}):`, Object.fromEntries([...outcomes].sort()));
    const total = [...outcomes.values()].reduce((sum, count) => sum + count, 0);
    expect(total).toBe(CASES);
    // Every malformed kind was refused by closing, every oversized one with 1009.
    for (const [key] of outcomes) {
      if (key.startsWith('oversized:')) expect(key).toBe(`oversized:${CloseCode.messageTooBig}`);
      if (key.startsWith('empty:') || key.startsWith('unknown-type:') || key.startsWith('huge-length:')) expect(key.endsWith(':alive')).toBe(false);
    }
    expect(outcomes.get('valid:alive')).toBeGreaterThan(0);
    expect(checkpoints).toBe(CASES / 1000);

    // Still up, still syncing, and memory stayed bounded (a generous bound: no GC is forced).
    expect(await (await fetch(`${server.url}/healthz`)).text()).toBe('ok');
    bob.doc.getText('end').insert(0, 'конец');
    await waitFor(() => alice.doc.getText('end').toString() === 'конец', 'a last edit in the quiet room');
    expect(heapAfter - heapBefore).toBeLessThan(96 * 1024 * 1024);
    const rejected = /^stratboard_rejections_total\{reason="malformed-message"\} (\d+)/m.exec(await (await fetch(server.metricsUrl)).text());
    expect(Number(rejected?.[1])).toBeGreaterThan(0);
  });
});
