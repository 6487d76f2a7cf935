import ELK from 'elkjs/lib/elk.bundled.js';
import { describe, expect, it } from 'vitest';
import { buildElkGraph, groupGrid, orderProjects, PROBLEM_SIZE, readLayout, type MapLayoutInput } from './map-layout';

const input: MapLayoutInput = {
  groups: [
    { key: 'a', label: 'Ленинский район', problemIds: ['p1', 'p2', 'p3'] },
    { key: 'b', label: 'Северный район', problemIds: ['p4'] },
    { key: 'c', label: 'Южный район', problemIds: ['p5', 'p6'] },
  ],
  projectIds: ['south', 'north', 'lenin', 'idle'],
  links: [
    { problemId: 'p5', projectId: 'south' },
    { problemId: 'p1', projectId: 'lenin' },
    { problemId: 'p2', projectId: 'lenin' },
    { problemId: 'p4', projectId: 'north' },
  ],
};

describe('problem → project map layout', () => {
  it('orders projects by the groups they answer, unlinked ones last', () => {
    expect(orderProjects(input)).toEqual(['lenin', 'north', 'south', 'idle']);
  });

  it('puts every group box left of every project and every problem inside its box', async () => {
    const layout = readLayout(await new ELK().layout(buildElkGraph(input)), input);
    const rightmostGroup = Math.max(...layout.groups.map((g) => g.x + g.width));
    for (const id of input.projectIds) expect(layout.positions[id]!.x).toBeGreaterThan(rightmostGroup);
    for (const group of layout.groups) {
      const source = input.groups.find((g) => g.key === group.key)!;
      expect(group.width).toBe(groupGrid(source.problemIds.length).width);
      for (const id of source.problemIds) {
        const p = layout.positions[id]!;
        expect(p.x + PROBLEM_SIZE.width).toBeLessThanOrEqual(group.width);
        expect(p.y + PROBLEM_SIZE.height).toBeLessThanOrEqual(group.height);
      }
    }
    // boxes don't overlap
    const boxes = [...layout.groups].sort((a, b) => a.y - b.y);
    for (let i = 1; i < boxes.length; i++) expect(boxes[i]!.y).toBeGreaterThanOrEqual(boxes[i - 1]!.y + boxes[i - 1]!.height);
  });
});
