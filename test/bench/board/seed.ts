// Runs inside the page (page.evaluate serialises it): no imports, only the board the
// instrumented build puts on window.

export interface SeedPlan {
  stickies: number;
  frames: number;
}

interface BenchBoard {
  doc: { transact(fn: () => void, origin?: unknown): void };
  nodes: { create(input: Record<string, unknown>): { id: string }; size: number };
}

/** Seeds frames of 40 stickies (8 × 5) in rows of 10 frames, the rest below them; returns the node count. */
export async function seedBoard(plan: SeedPlan): Promise<number> {
  const board = (window as unknown as { __stratboardBoard: BenchBoard }).__stratboardBoard;
  const colors = ['yellow', 'orange', 'pink', 'violet', 'blue', 'teal', 'green', 'gray'];
  const phrases = [
    'Ямы на дорогах',
    'Нет освещения во дворах и на остановках',
    'Автобус ходит раз в час, до райцентра не доехать вечером',
    'Детская площадка',
    'Нужен ФАП в посёлке',
    'Свалка у реки',
  ];
  const now = new Date().toISOString();
  const author = { authorName: 'Бенчмарк', authorColor: '#1c7ed6' };
  const frameWidth = 8 * 200 + 50;
  const frameHeight = 5 * 150 + 50;
  const frameIds: string[] = [];
  board.doc.transact(() => {
    for (let f = 0; f < plan.frames; f++) {
      const x = (f % 10) * (frameWidth + 100);
      const y = Math.floor(f / 10) * (frameHeight + 100);
      const frame = board.nodes.create({ type: 'frame', x, y, width: frameWidth, height: frameHeight, text: `Кластер ${f + 1}`, color: colors[f % 8], createdAt: now, ...author });
      frameIds.push(frame.id);
    }
  });
  const framed = Math.min(plan.stickies, plan.frames * 40);
  const belowY = Math.ceil(plan.frames / 10) * (frameHeight + 100) + 200;
  for (let start = 0; start < plan.stickies; start += 500) {
    board.doc.transact(() => {
      for (let i = start; i < Math.min(plan.stickies, start + 500); i++) {
        let x: number;
        let y: number;
        let parentId: string | undefined;
        if (i < framed) {
          const f = Math.floor(i / 40);
          const cell = i % 40;
          x = (f % 10) * (frameWidth + 100) + 25 + (cell % 8) * 200;
          y = Math.floor(f / 10) * (frameHeight + 100) + 40 + Math.floor(cell / 8) * 150;
          parentId = frameIds[f];
        } else {
          const k = i - framed;
          x = (k % 100) * 200;
          y = belowY + Math.floor(k / 100) * 150;
        }
        board.nodes.create({ type: 'sticky', x, y, width: 180, height: 140, text: `${phrases[i % phrases.length]} №${i + 1}`, color: colors[i % 8], createdAt: now, parentId, ...author });
      }
    });
    // let the provider send this chunk before the next one
    await new Promise((resolve) => setTimeout(resolve, 30));
  }
  return board.nodes.size;
}
