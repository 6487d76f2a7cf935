import { describe, expect, it } from 'vitest';
import { canvasShift, domNodeIds, dotGrid, OVERVIEW_ZOOM, SpatialGrid, viewRect, type LodNode } from './level-of-detail';

const sticky = (id: string, x: number, y: number): LodNode => ({ id, type: 'sticky', x, y, width: 180, height: 140 });
const frame = (id: string, x: number, y: number, width: number, height: number): LodNode => ({ id, type: 'frame', x, y, width, height });

describe('level of detail', () => {
  it('finds the nodes in view among thousands without missing any on cell borders', () => {
    const nodes: LodNode[] = [];
    for (let i = 0; i < 10_000; i++) nodes.push(sticky(`s${i}`, (i % 100) * 200, Math.floor(i / 100) * 150));
    const grid = new SpatialGrid(nodes);
    const view = { x: 790, y: 590, width: 420, height: 320 };
    const expected = nodes.filter((n) => n.x < view.x + view.width && n.x + n.width > view.x && n.y < view.y + view.height && n.y + n.height > view.y);
    expect(grid.overlapping(view).map((n) => n.id).sort()).toEqual(expected.map((n) => n.id).sort());
    expect(grid.overlapping({ x: -1e6, y: -1e6, width: 2e6, height: 2e6 })).toHaveLength(10_000);
  });

  it('a click lands on the sticky over its frame, and on the inner frame of nested frames', () => {
    const grid = new SpatialGrid([frame('outer', 0, 0, 2000, 1000), frame('inner', 100, 100, 600, 400), sticky('s', 150, 150)]);
    expect(grid.at({ x: 200, y: 200 })?.id).toBe('s');
    expect(grid.at({ x: 500, y: 450 })?.id).toBe('inner');
    expect(grid.at({ x: 1500, y: 800 })?.id).toBe('outer');
    expect(grid.at({ x: 2500, y: 800 })).toBeUndefined();
  });

  it('keeps only pinned nodes in the DOM when zoomed out, and the ones in view when reading', () => {
    const grid = new SpatialGrid([sticky('near', 0, 0), sticky('far', 5000, 5000), sticky('selected', 9000, 0)]);
    const screen = viewRect([0, 0, 1], 1000, 800);
    expect([...domNodeIds(grid, 1, screen, ['selected'])].sort()).toEqual(['near', 'selected']);
    const overview = viewRect([0, 0, OVERVIEW_ZOOM / 2], 1000, 800);
    expect([...domNodeIds(grid, OVERVIEW_ZOOM / 2, overview, ['selected'])]).toEqual(['selected']);
  });

  it('computes the view in board coordinates from the pan and zoom', () => {
    expect(viewRect([-100, -50, 2], 1000, 800)).toEqual({ x: 50, y: 25, width: 500, height: 400 });
    expect(viewRect([0, 0, 1], 1000, 800, 0.5)).toEqual({ x: -500, y: -400, width: 2000, height: 1600 });
  });
});

describe('dotGrid', () => {
  it('puts a tile centre, where its dot is, on board multiples of the gap at any pan', () => {
    for (const [tx, ty, zoom, ratio] of [
      [0, 0, 1, 1],
      [137.4, -52.25, 1.3, 1],
      [-9999, 40, 0.5, 2],
    ] as const) {
      const grid = dotGrid([tx, ty, zoom], 24, ratio)!;
      const step = grid.tile * grid.scale;
      expect(step).toBeCloseTo(24 * zoom * ratio);
      // board point (24·k, 24·m) on the device: ratio·(t + 24·k·zoom); a tile centre: origin + step/2 + n·step
      for (const k of [-3, 0, 7]) {
        const device = ratio * (tx + 24 * k * zoom);
        const n = (device - grid.x - step / 2) / step;
        expect(Math.abs(n - Math.round(n))).toBeLessThan(1e-9);
        const deviceY = ratio * (ty + 24 * k * zoom);
        const m = (deviceY - grid.y - step / 2) / step;
        expect(Math.abs(m - Math.round(m))).toBeLessThan(1e-9);
      }
      expect(grid.x).toBeGreaterThanOrEqual(0);
      expect(grid.x).toBeLessThan(step);
    }
  });

  it('has whole-pixel tiles and no dots at overview zoom', () => {
    expect(Number.isInteger(dotGrid([0, 0, 1.37], 24, 1.25)!.tile)).toBe(true);
    expect(dotGrid([0, 0, 0.39], 24, 1)).toBeNull();
  });
});

describe('canvasShift', () => {
  const drawn = { transform: [100, 50, 1.2] as const, width: 1000, height: 700 };

  it('moves the drawn canvas by the pan while the pane stays within its margin', () => {
    expect(canvasShift(drawn, { ...drawn, transform: [-80, 240, 1.2] }, 192)).toEqual({ x: -180, y: 190 });
    expect(canvasShift(drawn, drawn, 192)).toEqual({ x: 0, y: 0 });
  });

  it('asks for a redraw past the margin, on zoom and on a resized pane', () => {
    expect(canvasShift(drawn, { ...drawn, transform: [100, 50 + 193, 1.2] }, 192)).toBeNull();
    expect(canvasShift(drawn, { ...drawn, transform: [100, 50, 1.25] }, 192)).toBeNull();
    expect(canvasShift(drawn, { ...drawn, width: 1001 }, 192)).toBeNull();
  });
});
