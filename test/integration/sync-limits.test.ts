import { describe, expect, it } from 'vitest';
import * as encoding from 'lib0/encoding';
import { boardDocName, roomName } from '../../shared/docs';
import { newId } from '../../shared/ids';
import { CloseCode } from '../../sync-server/src/connection';
import { messageAwareness, messageQueryAwareness, messageSync } from '../../sync-server/src/protocol';
import type { SyncServer, SyncServerOptions } from '../../sync-server/src/server';
import { createWorkspace, sleep, upgradeStatus, waitFor, whenSynced, wsUrl, type RawClient } from '../../sync-server/test-support/clients';
import { useSyncServers } from '../../sync-server/test-support/harness';

const harness = useSyncServers();
const start = (options: Partial<SyncServerOptions> = {}) => harness.start(options);
const provider = (server: SyncServer, room: string) => harness.provider(server, room);

async function boardRoomOf(server: SyncServer): Promise<string> {
  const { id } = await createWorkspace(server);
  return roomName(id, boardDocName(newId()));
}

async function rawClient(server: SyncServer, room: string): Promise<RawClient> {
  const client = harness.raw(`${wsUrl(server)}/${room}`);
  await client.opened;
  return client;
}

async function metricsText(server: SyncServer, headers: Record<string, string> = {}): Promise<string> {
  const response = await fetch(server.metricsUrl, { headers });
  expect(response.status).toBe(200);
  return response.text();
}

async function rejections(server: SyncServer, reason: string): Promise<number> {
  const line = (await metricsText(server)).split('\n').find((text) => text.startsWith(`stratboard_rejections_total{reason="${reason}"}`));
  return line ? Number(line.split(' ').pop()) : 0;
}

function awarenessOfSize(bytes: number): Uint8Array {
  const payload = encoding.createEncoder();
  encoding.writeVarUint(payload, 1);
  encoding.writeVarUint(payload, 42);
  encoding.writeVarUint(payload, 1);
  encoding.writeVarString(payload, JSON.stringify({ note: 'x'.repeat(bytes) }));
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, messageAwareness);
  encoding.writeVarUint8Array(encoder, encoding.toUint8Array(payload));
  return encoding.toUint8Array(encoder);
}

const queryAwareness = new Uint8Array([messageQueryAwareness]);

describe('sync server limits', () => {
  it('closes a connection over its message rate with 1008 and counts it', async () => {
    const server = await start({ limits: { messagesPerSecond: 5, messageBurst: 10 } });
    const client = await rawClient(server, await boardRoomOf(server));
    for (let i = 0; i < 40; i++) client.send(queryAwareness);
    await client.closed;
    expect(client.closeCode).toBe(CloseCode.policyViolation);
    expect(client.closeReason).toBe('message-rate');
    expect(await rejections(server, 'message-rate')).toBe(1);
  });

  it('closes a connection over its byte rate with 1008 and counts it', async () => {
    const server = await start({ limits: { bytesPerSecond: 1000, byteBurst: 4000, maxMessageBytes: 4000 } });
    const client = await rawClient(server, await boardRoomOf(server));
    for (let i = 0; i < 4; i++) client.send(awarenessOfSize(1500));
    await client.closed;
    expect(client.closeCode).toBe(CloseCode.policyViolation);
    expect(client.closeReason).toBe('byte-rate');
    expect(await rejections(server, 'byte-rate')).toBe(1);
  });

  it('closes a connection that sends a message over the size limit with 1009 and counts it', async () => {
    const server = await start({ limits: { maxMessageBytes: 1024, byteBurst: 4096 } });
    const client = await rawClient(server, await boardRoomOf(server));
    client.send(awarenessOfSize(2000));
    await client.closed;
    expect(client.closeCode).toBe(1009);
    expect(await rejections(server, 'message-too-big')).toBe(1);
  });

  it('refuses connections beyond the per-address limit with 429 until one closes', async () => {
    const server = await start({ limits: { connectionsPerIp: 2 } });
    const room = await boardRoomOf(server);
    const first = await rawClient(server, room);
    await rawClient(server, room);
    expect(await upgradeStatus(`${wsUrl(server)}/${room}`)).toBe(429);
    expect(await rejections(server, 'too-many-connections')).toBe(1);
    first.close();
    await first.closed;
    await sleep(50);
    expect(await upgradeStatus(`${wsUrl(server)}/${room}`)).toBe(101);
  });

  it('refuses an update that would grow a doc past its size limit with 4413, and keeps the doc as it was', async () => {
    const server = await start({ limits: { maxDocBytes: 4096 } });
    const room = await boardRoomOf(server);
    const writer = provider(server, room);
    const reader = provider(server, room);
    await Promise.all([whenSynced(writer), whenSynced(reader)]);
    writer.doc.getText('notes').insert(0, 'коротко');
    await waitFor(() => reader.doc.getText('notes').toString() === 'коротко', 'a small edit to pass');

    const closed = new Promise<number>((resolve) => writer.once('connection-close', (event) => resolve(event?.code ?? -1)));
    writer.doc.getText('notes').insert(0, 'ж'.repeat(5000));
    expect(await closed).toBe(CloseCode.docTooLarge);
    expect(await rejections(server, 'doc-too-large')).toBe(1);
    await sleep(100);
    expect(reader.doc.getText('notes').toString()).toBe('коротко');
  });

  it('counts refused room names, text frames and unknown message types, closing the last two with 1003', async () => {
    const server = await start();
    expect(await upgradeStatus(`${wsUrl(server)}/not-a-room`)).toBe(400);
    expect(await rejections(server, 'bad-room-name')).toBe(1);

    const room = await boardRoomOf(server);
    const texting = await rawClient(server, room);
    texting.socket.send('hello');
    await texting.closed;
    expect(texting.closeCode).toBe(CloseCode.unsupportedData);
    expect(await rejections(server, 'text-message')).toBe(1);

    const unknown = await rawClient(server, room);
    unknown.send(new Uint8Array([9, 1, 2, 3]));
    await unknown.closed;
    expect(unknown.closeCode).toBe(CloseCode.unsupportedData);
    expect(await rejections(server, 'unknown-message-type')).toBe(1);
  });

  it('drops a client that stops reading once its unsent data passes the send buffer limit, and keeps serving the room', async () => {
    const server = await start({
      limits: { sendBufferBytes: 256 * 1024, bytesPerSecond: 1024 ** 3, byteBurst: 1024 ** 3, messagesPerSecond: 10_000, messageBurst: 10_000 },
    });
    const room = await boardRoomOf(server);
    const stalled = await rawClient(server, room);
    stalled.send(new Uint8Array([messageSync, 0, 1, 0])); // sync step 1 of an empty doc
    // Stop reading: the server's writes pile up once the kernel buffers are full.
    (stalled.socket as unknown as { _socket: { pause(): void } })._socket.pause();
    const writer = provider(server, room);
    const reader = provider(server, room);
    await Promise.all([whenSynced(writer), whenSynced(reader)]);
    const chunk = 'я'.repeat(32 * 1024);
    for (let i = 0; i < 400 && (await rejections(server, 'slow-consumer')) === 0; i++) {
      writer.doc.getArray<string>('log').push([chunk]);
      if (i % 20 === 19) await sleep(20);
    }
    expect(await rejections(server, 'slow-consumer')).toBe(1);
    writer.doc.getText('after').insert(0, 'ещё работает');
    await waitFor(() => reader.doc.getText('after').toString() === 'ещё работает', 'the room to keep working', 10_000);
  });
});

describe('metrics endpoint', () => {
  it('exposes connections, rooms, traffic, rejections, latencies, compaction and memory', async () => {
    const server = await start();
    const room = await boardRoomOf(server);
    const [alice, bob] = [provider(server, room), provider(server, room)];
    await Promise.all([whenSynced(alice), whenSynced(bob)]);
    alice.doc.getText('notes').insert(0, 'метрики');
    await waitFor(() => bob.doc.getText('notes').toString() === 'метрики', 'the edit to arrive');

    const text = await metricsText(server);
    for (const family of [
      'stratboard_connections 2',
      'stratboard_rooms 1',
      'stratboard_messages_received_total',
      'stratboard_messages_sent_total',
      'stratboard_received_bytes_total',
      'stratboard_sent_bytes_total',
      '# TYPE stratboard_rejections_total counter',
      'stratboard_commit_duration_seconds_count 1',
      'stratboard_fanout_duration_seconds_count 1',
      '# TYPE stratboard_compaction_duration_seconds histogram',
      'process_resident_memory_bytes',
      'nodejs_heap_size_used_bytes',
    ]) {
      expect(text).toContain(family);
    }
    const received = Number(/^stratboard_messages_received_total (\d+)/m.exec(text)?.[1]);
    expect(received).toBeGreaterThanOrEqual(3);
  });

  it('with durability process, reports the background sync of the write-ahead log within a second of an edit', async () => {
    const server = await start({ durability: 'process' });
    const room = await boardRoomOf(server);
    const [alice, bob] = [provider(server, room), provider(server, room)];
    await Promise.all([whenSynced(alice), whenSynced(bob)]);
    alice.doc.getText('notes').insert(0, 'на диск');
    await waitFor(() => bob.doc.getText('notes').toString() === 'на диск', 'the edit to arrive');
    // Broadcast before the disk sync: the edit arrived while none had been done yet.
    expect(await metricsText(server)).toContain('stratboard_wal_sync_duration_seconds_count 0');
    const deadline = Date.now() + 3000;
    while (!(await metricsText(server)).includes('stratboard_wal_sync_duration_seconds_count 1')) {
      if (Date.now() > deadline) throw new Error('no WAL sync reported within 3 s of the edit');
      await sleep(50);
    }
  });

  it('asks for the metrics token when one is configured, and can serve metrics on a port of their own', async () => {
    const guarded = await start({ metricsToken: 'metrics-token-0123456789' });
    expect((await fetch(guarded.metricsUrl)).status).toBe(401);
    expect(await metricsText(guarded, { authorization: 'Bearer metrics-token-0123456789' })).toContain('stratboard_rooms');

    const separate = await start({ metricsPort: 0 });
    expect(separate.metricsUrl).not.toBe(`${separate.url}/metrics`);
    expect(await metricsText(separate)).toContain('stratboard_connections');
    // The main listener then does not serve them (the static handler answers instead).
    const onMain = await fetch(`${separate.url}/metrics`);
    expect(onMain.headers.get('content-type') ?? '').not.toContain('text/plain; version=0.0.4');
  });
});

