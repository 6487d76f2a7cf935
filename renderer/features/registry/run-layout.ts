import type { MapLayout, MapLayoutInput } from './map-layout';
import type { LayoutRequest, LayoutResponse } from './layout.worker';

let worker: Worker | null = null;
let nextId = 1;
const pending = new Map<number, { resolve: (layout: MapLayout) => void; reject: (error: Error) => void }>();

function layoutWorker(): Worker {
  if (worker) return worker;
  worker = new Worker(new URL('./layout.worker.ts', import.meta.url), { type: 'module' });
  worker.onmessage = (event: MessageEvent<LayoutResponse>) => {
    const waiting = pending.get(event.data.id);
    if (!waiting) return;
    pending.delete(event.data.id);
    if ('layout' in event.data) waiting.resolve(event.data.layout);
    else waiting.reject(new Error(event.data.error));
  };
  worker.onerror = (event) => {
    for (const waiting of pending.values()) waiting.reject(new Error(event.message || 'layout worker failed'));
    pending.clear();
    worker?.terminate();
    worker = null;
  };
  return worker;
}

/** Lays the map out in a worker (one shared worker, requests answered by id). */
export function runMapLayout(input: MapLayoutInput): Promise<MapLayout> {
  const id = nextId++;
  return new Promise((resolve, reject) => {
    pending.set(id, { resolve, reject });
    layoutWorker().postMessage({ id, input } satisfies LayoutRequest);
  });
}
