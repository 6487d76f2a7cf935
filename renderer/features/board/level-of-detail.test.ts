import { describe, expect, it } from 'vitest';
import { domNodeIds, OVERVIEW_ZOOM, SpatialGrid, viewRect, type LodNode } from './level-of-detail';

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
