import { describe, expect, it, vi } from 'vitest';
import { ipcContract, ipcEvents, ipcMethods, bridgeEvents } from '../../shared/ipc/contract';
import { createBridge, type BridgeTransport } from './bridge';

function fakeTransport() {
  const listeners = new Map<string, Set<(event: unknown, payload: unknown) => void>>();
  const transport: BridgeTransport = {
    invoke: vi.fn(async (channel: string) => ({ ok: true, value: channel })),
    on: (channel, listener) => {
      if (!listeners.has(channel)) listeners.set(channel, new Set());
      listeners.get(channel)!.add(listener);
    },
    removeListener: (channel, listener) => listeners.get(channel)?.delete(listener),
  };
  const emit = (channel: string, payload: unknown) => {
    for (const listener of listeners.get(channel) ?? []) listener({ sender: 'the ipcRenderer' }, payload);
  };
  return { transport, emit, listeners };
}

describe('preload bridge', () => {
  it('exposes exactly the contract methods and the doc-update subscription', () => {
    const bridge = createBridge(fakeTransport().transport);
    expect(Object.keys(bridge).sort()).toEqual([...ipcMethods, ...bridgeEvents].sort());
    expect(Object.values(bridge).every((value) => typeof value === 'function')).toBe(true);
  });

  it('invokes each method on its contract channel with the payload as given', async () => {
    const { transport } = fakeTransport();
    const bridge = createBridge(transport);
    const payload = { id: '0123456789abcdef' };
    await expect(bridge.openRecent(payload)).resolves.toEqual({ ok: true, value: ipcContract.openRecent.channel });
    expect(transport.invoke).toHaveBeenCalledWith('workspace:open-recent', payload);
    await bridge.getSettings(undefined);
    expect(transport.invoke).toHaveBeenLastCalledWith('settings:get', undefined);
  });

  it('delivers doc updates without the IPC event, until unsubscribed', () => {
    const { transport, emit, listeners } = fakeTransport();
    const bridge = createBridge(transport);
    const received: unknown[][] = [];
    const unsubscribe = bridge.onDocUpdated((...args) => received.push(args));
    const event = { workspaceId: '0123456789abcdef', docName: 'index', update: new Uint8Array([1]) };

    emit(ipcEvents.docUpdated, event);
    unsubscribe();
    emit(ipcEvents.docUpdated, event);

    expect(received).toEqual([[event]]);
    expect(listeners.get(ipcEvents.docUpdated)?.size).toBe(0);
  });
});
