import { useEffect, useRef, type PointerEvent as ReactPointerEvent } from 'react';
import { Panel, useReactFlow, useStoreApi, type Node } from '@xyflow/react';
import { useTranslation } from 'react-i18next';
import type { Id } from '../../../shared/ids';
import type { BoardNode, Rect } from '../../../shared/model';
import { useBoardUi } from './board-context';
import { viewRect } from './level-of-detail';
import { STICKY_FILL } from './nodes/node-parts';

const WIDTH = 200;
const HEIGHT = 150;

interface Mapping {
  scale: number;
  x: number;
  y: number;
}

/**
 * The minimap as one canvas: thousands of nodes are a few filled paths, not thousands of
 * SVG shapes repainted on every pan. Click or drag moves the view there; the wheel zooms.
 */
export function BoardMiniMap(props: { nodes: Node[] }) {
  const { t } = useTranslation();
  const store = useStoreApi();
  const flow = useReactFlow();
  const { nodes: records } = useBoardUi();
  const canvas = useRef<HTMLCanvasElement>(null);
  const mapping = useRef<Mapping>({ scale: 1, x: 0, y: 0 });
  const layer = useRef<NodesLayer | null>(null);
  const nodes = useRef(props.nodes);
  nodes.current = props.nodes;
  const schedule = useRef<() => void>(() => {});

  useEffect(() => {
    let frame = 0;
    const draw = () => {
      frame = 0;
      layer.current ??= { canvas: document.createElement('canvas'), nodes: null, key: '' };
      const { transform, width, height } = store.getState();
      if (canvas.current) mapping.current = paint(canvas.current, layer.current, viewRect(transform, width, height), nodes.current, (id) => records.get(id));
    };
    schedule.current = () => {
      if (!frame) frame = requestAnimationFrame(draw);
    };
    schedule.current();
    const stop = store.subscribe((state, previous) => {
      if (state.transform !== previous.transform || state.width !== previous.width || state.height !== previous.height) schedule.current();
    });
    return () => {
      stop();
      cancelAnimationFrame(frame);
    };
  }, [store, records]);
  useEffect(() => schedule.current(), [props.nodes]);

  const moveTo = (event: ReactPointerEvent<HTMLCanvasElement>) => {
    const rect = event.currentTarget.getBoundingClientRect();
    const { scale, x, y } = mapping.current;
    void flow.setCenter(x + (event.clientX - rect.left) / scale, y + (event.clientY - rect.top) / scale, { zoom: flow.getZoom() });
  };

  return (
    <Panel position="bottom-right" className="board-minimap">
      <canvas
        ref={canvas}
        width={WIDTH}
        height={HEIGHT}
        style={{ width: WIDTH, height: HEIGHT }}
        data-testid="board-minimap"
        aria-label={t('canvas.minimap')}
        role="img"
        onPointerDown={(event) => {
          event.currentTarget.setPointerCapture(event.pointerId);
          moveTo(event);
        }}
        onPointerMove={(event) => {
          if (event.buttons & 1) moveTo(event);
        }}
        onWheel={(event) => void (event.deltaY < 0 ? flow.zoomIn({ duration: 0 }) : flow.zoomOut({ duration: 0 }))}
      />
    </Panel>
  );
}

interface NodesLayer {
  canvas: HTMLCanvasElement;
  nodes: unknown;
  key: string;
}

/** Draws the map; `nodes` are the board's flow nodes, `hidden` ones (others' private stickies) left out. */
function paint(element: HTMLCanvasElement, layer: NodesLayer, view: Rect, nodes: Node[], record: (id: Id) => BoardNode | undefined): Mapping {
  const ratio = window.devicePixelRatio || 1;
  if (element.width !== WIDTH * ratio) {
    element.width = WIDTH * ratio;
    element.height = HEIGHT * ratio;
  }
  let minX = view.x;
  let minY = view.y;
  let maxX = view.x + view.width;
  let maxY = view.y + view.height;
  const boxes: Array<[Rect, BoardNode]> = [];
  for (const node of nodes) {
    const data = node.hidden ? undefined : record(node.id);
    if (!data) continue;
    const box = { ...node.position, width: node.width ?? data.width, height: node.height ?? data.height };
    boxes.push([box, data]);
    minX = Math.min(minX, box.x);
    minY = Math.min(minY, box.y);
    maxX = Math.max(maxX, box.x + box.width);
    maxY = Math.max(maxY, box.y + box.height);
  }
  const scale = Math.min(WIDTH / (maxX - minX), HEIGHT / (maxY - minY));
  // centre the content in the map
  const x = minX - (WIDTH / scale - (maxX - minX)) / 2;
  const y = minY - (HEIGHT / scale - (maxY - minY)) / 2;
  const context = element.getContext('2d');
  if (!context) return { scale, x, y };
  context.setTransform(ratio, 0, 0, ratio, 0, 0);
  context.fillStyle = '#ffffff';
  context.fillRect(0, 0, WIDTH, HEIGHT);
  // The nodes' picture is kept while nodes and the mapping stay (zooming inside the board):
  // then a pan or zoom step only moves the view's rectangle.
  const key = `${scale}:${x}:${y}:${ratio}`;
  if (layer.nodes !== nodes || layer.key !== key) {
    layer.nodes = nodes;
    layer.key = key;
    layer.canvas.width = element.width;
    layer.canvas.height = element.height;
    const nodesContext = layer.canvas.getContext('2d')!;
    nodesContext.setTransform(ratio * scale, 0, 0, ratio * scale, -ratio * scale * x, -ratio * scale * y);
    const fills = new Map<string, Path2D>();
    for (const [box, data] of boxes) {
      const color = data.type === 'frame' ? 'rgba(173, 181, 189, 0.25)' : data.type === 'sticky' ? STICKY_FILL[data.color] : '#dee2e6';
      let path = fills.get(color);
      if (!path) fills.set(color, (path = new Path2D()));
      path.rect(box.x, box.y, box.width, box.height);
    }
    for (const [color, path] of fills) {
      nodesContext.fillStyle = color;
      nodesContext.fill(path);
    }
  }
  context.setTransform(1, 0, 0, 1, 0, 0);
  context.drawImage(layer.canvas, 0, 0);
  // dim everything outside the view
  context.setTransform(ratio, 0, 0, ratio, 0, 0);
  const vx = (view.x - x) * scale;
  const vy = (view.y - y) * scale;
  const vw = view.width * scale;
  const vh = view.height * scale;
  context.fillStyle = 'rgba(240, 240, 240, 0.6)';
  context.beginPath();
  context.rect(0, 0, WIDTH, HEIGHT);
  context.rect(vx, vy, vw, vh);
  context.fill('evenodd');
  context.strokeStyle = '#adb5bd';
  context.lineWidth = 1;
  context.strokeRect(vx, vy, vw, vh);
  return { scale, x, y };
}
