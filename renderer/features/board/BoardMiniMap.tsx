import { useEffect, useRef, type PointerEvent as ReactPointerEvent } from 'react';
import { Panel, useReactFlow, useStoreApi, type Node } from '@xyflow/react';
import { useTranslation } from 'react-i18next';
import type { Id } from '../../../shared/ids';
import type { BoardNode, Rect } from '../../../shared/model';
import { useBoardUi } from './board-context';
import { viewRect } from './level-of-detail';
import { useViewportPaint } from './viewport-paint';
import { STICKY_FILL } from './nodes/node-parts';

const WIDTH = 200;
const HEIGHT = 150;

interface Mapping {
  scale: number;
  x: number;
  y: number;
}

/** The nodes as the map draws them, and their bounds; rebuilt only when the node list changes. */
interface NodesPicture {
  nodes: Node[] | null;
  bounds: Rect | null;
  fills: Map<string, Path2D>;
  /** The mapping the nodes canvas was last drawn with. */
  drawn: string;
}

/**
 * The minimap as two canvases: the nodes (a few filled paths, redrawn only when nodes or the
 * map's extent change) and over them the view's rectangle, the only thing a pan step moves.
 * Click or drag moves the view there; the wheel zooms.
 */
export function BoardMiniMap(props: { nodes: Node[] }) {
  const { t } = useTranslation();
  const store = useStoreApi();
  const flow = useReactFlow();
  const { nodes: records } = useBoardUi();
  const nodesCanvas = useRef<HTMLCanvasElement>(null);
  const viewCanvas = useRef<HTMLCanvasElement>(null);
  const mapping = useRef<Mapping>({ scale: 1, x: 0, y: 0 });
  const nodes = useRef(props.nodes);
  nodes.current = props.nodes;

  const schedule = useViewportPaint(() => {
    const picture: NodesPicture = { nodes: null, bounds: null, fills: new Map(), drawn: '' };
    return () => {
      if (!nodesCanvas.current || !viewCanvas.current) return;
      if (picture.nodes !== nodes.current) Object.assign(picture, collect(nodes.current, (id) => records.get(id)), { nodes: nodes.current, drawn: '' });
      const { transform, width, height } = store.getState();
      mapping.current = paint(nodesCanvas.current, viewCanvas.current, picture, viewRect(transform, width, height));
    };
  }, [records]);
  useEffect(() => schedule(), [schedule, props.nodes]);

  const moveTo = (event: ReactPointerEvent<HTMLCanvasElement>) => {
    const rect = event.currentTarget.getBoundingClientRect();
    const { scale, x, y } = mapping.current;
    void flow.setCenter(x + (event.clientX - rect.left) / scale, y + (event.clientY - rect.top) / scale, { zoom: flow.getZoom() });
  };

  return (
    <Panel position="bottom-right" className="board-minimap">
      <canvas ref={nodesCanvas} width={WIDTH} height={HEIGHT} style={{ width: WIDTH, height: HEIGHT }} aria-hidden />
      <canvas
        ref={viewCanvas}
        width={WIDTH}
        height={HEIGHT}
        style={{ width: WIDTH, height: HEIGHT }}
        className="board-minimap-view"
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

/** Paths per colour and the bounds of the nodes; `hidden` ones (others' private stickies) left out. */
function collect(nodes: Node[], record: (id: Id) => BoardNode | undefined): Pick<NodesPicture, 'bounds' | 'fills'> {
  const fills = new Map<string, Path2D>();
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (const node of nodes) {
    const data = node.hidden ? undefined : record(node.id);
    if (!data) continue;
    const box = { ...node.position, width: node.width ?? data.width, height: node.height ?? data.height };
    const color = data.type === 'frame' ? 'rgba(173, 181, 189, 0.25)' : data.type === 'sticky' ? STICKY_FILL[data.color] : '#dee2e6';
    let path = fills.get(color);
    if (!path) fills.set(color, (path = new Path2D()));
    path.rect(box.x, box.y, box.width, box.height);
    minX = Math.min(minX, box.x);
    minY = Math.min(minY, box.y);
    maxX = Math.max(maxX, box.x + box.width);
    maxY = Math.max(maxY, box.y + box.height);
  }
  return { fills, bounds: minX === Infinity ? null : { x: minX, y: minY, width: maxX - minX, height: maxY - minY } };
}

function fitCanvas(element: HTMLCanvasElement, ratio: number): CanvasRenderingContext2D | null {
  if (element.width !== WIDTH * ratio) {
    element.width = WIDTH * ratio;
    element.height = HEIGHT * ratio;
  }
  return element.getContext('2d');
}

function paint(nodesElement: HTMLCanvasElement, viewElement: HTMLCanvasElement, picture: NodesPicture, view: Rect): Mapping {
  const ratio = window.devicePixelRatio || 1;
  const b = picture.bounds ?? view;
  const minX = Math.min(b.x, view.x);
  const minY = Math.min(b.y, view.y);
  const maxX = Math.max(b.x + b.width, view.x + view.width);
  const maxY = Math.max(b.y + b.height, view.y + view.height);
  const scale = Math.min(WIDTH / (maxX - minX), HEIGHT / (maxY - minY));
  // centre the content in the map
  const x = minX - (WIDTH / scale - (maxX - minX)) / 2;
  const y = minY - (HEIGHT / scale - (maxY - minY)) / 2;

  const key = `${scale}:${x}:${y}:${ratio}`;
  const nodesContext = fitCanvas(nodesElement, ratio);
  if (nodesContext && picture.drawn !== key) {
    picture.drawn = key;
    nodesContext.setTransform(ratio, 0, 0, ratio, 0, 0);
    nodesContext.fillStyle = '#ffffff';
    nodesContext.fillRect(0, 0, WIDTH, HEIGHT);
    nodesContext.setTransform(ratio * scale, 0, 0, ratio * scale, -ratio * scale * x, -ratio * scale * y);
    for (const [color, path] of picture.fills) {
      nodesContext.fillStyle = color;
      nodesContext.fill(path);
    }
  }

  // dim everything outside the view
  const context = fitCanvas(viewElement, ratio);
  if (context) {
    context.setTransform(ratio, 0, 0, ratio, 0, 0);
    context.clearRect(0, 0, WIDTH, HEIGHT);
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
  }
  return { scale, x, y };
}
