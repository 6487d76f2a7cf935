import ELK from 'elkjs/lib/elk.bundled.js';
import { buildElkGraph, readLayout, type MapLayout, type MapLayoutInput } from './map-layout';

// Runs ELK off the UI thread: the map stays responsive while 500 problems are placed.
const elk = new ELK();

export type LayoutRequest = { id: number; input: MapLayoutInput };
export type LayoutResponse = { id: number; layout: MapLayout } | { id: number; error: string };

self.onmessage = async (event: MessageEvent<LayoutRequest>) => {
  const { id, input } = event.data;
  try {
    const result = await elk.layout(buildElkGraph(input));
    self.postMessage({ id, layout: readLayout(result, input) } satisfies LayoutResponse);
  } catch (error) {
    self.postMessage({ id, error: String(error) } satisfies LayoutResponse);
  }
};
