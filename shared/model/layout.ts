export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

function overlaps(a: Rect, b: Rect, gap: number): boolean {
  return a.x < b.x + b.width + gap && b.x < a.x + a.width + gap && a.y < b.y + b.height + gap && b.y < a.y + a.height + gap;
}

/**
 * Top-left corner for a new item of `size` nearest to `center` that overlaps none of
 * `taken`: grid cells in rings around the centre, so new stickies don't pile up.
 */
export function findFreeSpot(
  taken: Rect[],
  center: { x: number; y: number },
  size: { width: number; height: number },
  gap = 16,
  maxRings = 12,
): { x: number; y: number } {
  const stepX = size.width + gap;
  const stepY = size.height + gap;
  const origin = { x: Math.round(center.x - size.width / 2), y: Math.round(center.y - size.height / 2) };
  for (let ring = 0; ring <= maxRings; ring++) {
    const cells: { dx: number; dy: number }[] = [];
    for (let dy = -ring; dy <= ring; dy++) {
      for (let dx = -ring; dx <= ring; dx++) {
        if (Math.max(Math.abs(dx), Math.abs(dy)) === ring) cells.push({ dx, dy });
      }
    }
    // nearest cells of the ring first; on ties prefer right, then below (reading order)
    cells.sort(
      (a, b) =>
        a.dx * a.dx + a.dy * a.dy - (b.dx * b.dx + b.dy * b.dy) || Math.abs(a.dy) - Math.abs(b.dy) || a.dy - b.dy || b.dx - a.dx,
    );
    for (const { dx, dy } of cells) {
      const candidate = { x: origin.x + dx * stepX, y: origin.y + dy * stepY, ...size };
      if (!taken.some((rect) => overlaps(candidate, rect, gap / 2))) return { x: candidate.x, y: candidate.y };
    }
  }
  return origin;
}
