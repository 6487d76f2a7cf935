import { describe, expect, it } from 'vitest';
import { findFreeSpot, type Rect } from './layout';

const size = { width: 180, height: 140 };

describe('placing a new sticky', () => {
  it('takes the centre of an empty board', () => {
    expect(findFreeSpot([], { x: 500, y: 300 }, size)).toEqual({ x: 410, y: 230 });
  });

  it('never overlaps stickies already there, however many are added', () => {
    const taken: Rect[] = [];
    for (let i = 0; i < 40; i++) {
      const spot = findFreeSpot(taken, { x: 0, y: 0 }, size);
      const rect = { ...spot, ...size };
      for (const other of taken) {
        const apart =
          rect.x >= other.x + other.width || other.x >= rect.x + rect.width || rect.y >= other.y + other.height || other.y >= rect.y + rect.height;
        expect(apart).toBe(true);
      }
      taken.push(rect);
    }
  });

  it('stays near the centre: the second sticky goes right beside the first', () => {
    const first = findFreeSpot([], { x: 0, y: 0 }, size);
    const second = findFreeSpot([{ ...first, ...size }], { x: 0, y: 0 }, size);
    expect(second.y).toBe(first.y);
    expect(Math.abs(second.x - first.x)).toBe(size.width + 16);
  });
});
