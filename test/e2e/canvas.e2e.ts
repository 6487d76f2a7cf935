import { expect, test, type Page } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { STICKY_FILL } from '../../shared/model/sticky-palette';
import { closeOpenedContexts, facilitatorAndParticipant, flowPosition, nodePosition, overviewColor, screenPoint, stickyNode } from './board-helpers';

const screenshots = join(import.meta.dirname, '../../test-results/screenshots');
mkdirSync(screenshots, { recursive: true });

test.afterEach(closeOpenedContexts);
// Each test drives two live participants through many steps; the shared 2-core machine is slow.
test.describe.configure({ timeout: 120_000 });

/**
 * A key press as the Russian layout produces it: `key` is the Cyrillic letter, `code` the
 * physical key. The board must act on the code.
 */
async function pressRussian(page: Page, code: string, key: string, mods: { ctrlKey?: boolean; shiftKey?: boolean } = {}) {
  await page.evaluate(
    ({ code, key, mods }) => {
      document.body.dispatchEvent(new KeyboardEvent('keydown', { code, key, bubbles: true, cancelable: true, ...mods }));
    },
    { code, key, mods },
  );
}

async function typeIntoEditor(page: Page, selector: string, text: string, finish: 'Escape' | 'Enter' = 'Escape') {
  const editor = page.locator(selector);
  await expect(editor).toBeFocused();
  await editor.fill(text);
  await editor.press(finish);
  await expect(editor).toHaveCount(0);
}

/** Adds a sticky by double-clicking the empty board at (dx, dy) from the canvas centre. */
async function stickyAt(page: Page, dx: number, dy: number, text: string) {
  const canvas = (await page.getByTestId('board-canvas').boundingBox())!;
  await page.mouse.dblclick(canvas.x + canvas.width / 2 + dx, canvas.y + canvas.height / 2 + dy);
  await typeIntoEditor(page, 'textarea.sticky-editor', text);
}

function frameNode(page: Page, title: string) {
  return page.locator('.react-flow__node-frame', { has: page.getByTestId('frame-title').getByText(title, { exact: true }) });
}

test('a frame made with Russian-layout keys carries its stickies when moved, and the other participant sees it', async ({ browser }) => {
  const { facilitator, participant } = await facilitatorAndParticipant(browser, 'Кластеры проблем');

  // «а» is the F key in the Russian layout: a frame with its title editor open
  await pressRussian(facilitator, 'KeyF', 'а');
  await typeIntoEditor(facilitator, 'textarea.frame-title-editor', 'Дороги', 'Enter');
  await expect(frameNode(participant, 'Дороги')).toBeVisible();

  // «т» is N: stickies go where one looks, i.e. into the frame
  for (const text of ['Ямы на Северной', 'Нет тротуара у школы']) {
    await pressRussian(facilitator, 'KeyN', 'т');
    await typeIntoEditor(facilitator, 'textarea.sticky-editor', text);
  }
  await stickyAt(facilitator, 0, 330, 'Вне рамки');
  await expect(stickyNode(participant, 'Нет тротуара у школы')).toBeVisible();

  const before = {
    first: await flowPosition(participant, 'Ямы на Северной'),
    second: await flowPosition(participant, 'Нет тротуара у школы'),
    outside: await flowPosition(participant, 'Вне рамки'),
    frame: await nodePosition(frameNode(participant, 'Дороги')),
  };
  const title = (await frameNode(facilitator, 'Дороги').getByTestId('frame-title').boundingBox())!;
  await facilitator.mouse.move(title.x + 20, title.y + title.height / 2);
  await facilitator.mouse.down();
  await facilitator.mouse.move(title.x + 20 + 250, title.y + title.height / 2 + 120, { steps: 15 });
  await facilitator.mouse.up();

  await expect.poll(async () => (await nodePosition(frameNode(participant, 'Дороги'))).x - before.frame.x).toBeGreaterThan(200);
  const frameAfter = await nodePosition(frameNode(participant, 'Дороги'));
  const delta = { x: frameAfter.x - before.frame.x, y: frameAfter.y - before.frame.y };
  await expect.poll(async () => flowPosition(participant, 'Ямы на Северной')).toEqual({ x: before.first.x + delta.x, y: before.first.y + delta.y });
  expect(await flowPosition(participant, 'Нет тротуара у школы')).toEqual({ x: before.second.x + delta.x, y: before.second.y + delta.y });
  expect(await flowPosition(participant, 'Вне рамки')).toEqual(before.outside);
  expect(await flowPosition(facilitator, 'Ямы на Северной')).toEqual(await flowPosition(participant, 'Ямы на Северной'));
  await facilitator.screenshot({ path: join(screenshots, 'canvas-frame.png') });

  // «я» is Z: one undo puts the frame and everything it carried back
  await pressRussian(facilitator, 'KeyZ', 'я', { ctrlKey: true });
  await expect.poll(async () => flowPosition(participant, 'Ямы на Северной')).toEqual(before.first);
  expect(await nodePosition(frameNode(participant, 'Дороги'))).toEqual(before.frame);

  // Ctrl+A («ф») selects everything, arrows nudge it
  await pressRussian(facilitator, 'KeyA', 'ф', { ctrlKey: true });
  await expect(facilitator.getByTestId('sticky-count')).toHaveText('Выбрано 4 объекта');
  await facilitator.keyboard.press('Shift+ArrowDown');
  await expect.poll(async () => (await flowPosition(participant, 'Вне рамки')).y).toBe(before.outside.y + 50);

  // Shift+/ is «,» in the Russian layout and opens the help
  await pressRussian(facilitator, 'Slash', ',', { shiftKey: true });
  await expect(facilitator.getByRole('dialog', { name: 'Горячие клавиши' })).toBeVisible();
  await expect(facilitator.getByRole('dialog')).toContainText('Дублировать');
  await facilitator.keyboard.press('Escape');
  await expect(facilitator.getByRole('dialog')).toHaveCount(0);

  // typing a letter that is a shortcut inside a sticky does not create anything
  await stickyNode(facilitator, 'Вне рамки').dblclick({ position: { x: 40, y: 20 } });
  const editor = facilitator.locator('textarea.sticky-editor');
  await editor.press('End');
  await editor.pressSequentially(' nft');
  await editor.press('Escape');
  await expect(stickyNode(participant, 'Вне рамки nft')).toBeVisible();
  await expect(participant.getByTestId('sticky')).toHaveCount(3);
});

test('connectors with labels, multi-select, arrange in a grid and search reach the other participant', async ({ browser }) => {
  const { facilitator, participant } = await facilitatorAndParticipant(browser, 'Причины и следствия');
  await stickyAt(facilitator, -300, -150, 'Причина');
  await stickyAt(facilitator, 150, -150, 'Следствие');

  // drag from the right handle of one sticky to the left handle of the other
  const from = (await stickyNode(facilitator, 'Причина').locator('.react-flow__handle-right').boundingBox())!;
  const to = (await stickyNode(facilitator, 'Следствие').locator('.react-flow__handle-left').boundingBox())!;
  await facilitator.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
  await facilitator.mouse.down();
  await facilitator.mouse.move(to.x + to.width / 2, to.y + to.height / 2, { steps: 12 });
  await facilitator.mouse.up();
  await expect(participant.locator('.react-flow__edge')).toHaveCount(1);

  // select the connector, label it, and the label and arrow reach the participant
  const a = (await stickyNode(facilitator, 'Причина').boundingBox())!;
  const b = (await stickyNode(facilitator, 'Следствие').boundingBox())!;
  await facilitator.mouse.click((a.x + a.width + b.x) / 2, a.y + a.height / 2);
  await facilitator.getByTestId('connector-label').dblclick();
  await typeIntoEditor(facilitator, 'textarea.connector-label-editor', 'приводит к', 'Enter');
  await expect(participant.getByTestId('connector-label')).toHaveText('приводит к');
  await expect(participant.locator('.react-flow__edge path[marker-end]')).toHaveCount(1);
  await facilitator.getByTestId('connector-arrow').click();
  await expect(participant.locator('.react-flow__edge path[marker-end]')).toHaveCount(0);

  // four scattered stickies, Shift-click to select them, arrange in a grid
  const scattered = [
    ['Парк', -350, 120],
    ['Сквер', 60, 60],
    ['Набережная', -120, 250],
    ['Стадион', 280, 200],
  ] as const;
  for (const [text, dx, dy] of scattered) await stickyAt(facilitator, dx, dy, text);
  await facilitator.keyboard.press('Escape');
  for (const [text] of scattered) {
    await stickyNode(facilitator, text).click({ modifiers: ['Shift'], position: { x: 20, y: 20 } });
  }
  await expect(facilitator.getByTestId('sticky-count')).toHaveText('Выбрано 4 объекта');
  await facilitator.getByTestId('arrange-grid').click();

  await expect
    .poll(async () => {
      const points = await Promise.all(scattered.map(([text]) => flowPosition(participant, text)));
      return { xs: new Set(points.map((p) => p.x)).size, ys: new Set(points.map((p) => p.y)).size };
    })
    .toEqual({ xs: 2, ys: 2 });
  const points = await Promise.all(scattered.map(([text]) => flowPosition(participant, text)));
  const xs = [...new Set(points.map((p) => p.x))].sort((p, q) => p - q);
  const ys = [...new Set(points.map((p) => p.y))].sort((p, q) => p - q);
  expect(xs[1]! - xs[0]!).toBe(180 + 24);
  expect(ys[1]! - ys[0]!).toBe(140 + 24);
  await facilitator.screenshot({ path: join(screenshots, 'canvas-connector-grid.png') });

  // search (Ctrl+F) jumps to a sticky and selects it
  await participant.getByTestId('board-canvas').click({ position: { x: 700, y: 700 } });
  await participant.keyboard.press('Control+f');
  await participant.getByTestId('board-search-input').fill('набереж');
  await participant.getByTestId('board-search-input').press('Enter');
  await expect(participant.getByTestId('board-search-count')).toHaveText('1 из 1');
  const found = stickyNode(participant, 'Набережная');
  await expect(found).toHaveClass(/selected/);
  const canvas = (await participant.getByTestId('board-canvas').boundingBox())!;
  await expect
    .poll(async () => {
      const box = (await found.boundingBox())!;
      return Math.abs(box.x + box.width / 2 - (canvas.x + canvas.width / 2)) < 40 && Math.abs(box.y + box.height / 2 - (canvas.y + canvas.height / 2)) < 40;
    })
    .toBe(true);
});

test('stickies with their connector are copied on one board and pasted into another', async ({ browser }) => {
  const { facilitator, participant } = await facilitatorAndParticipant(browser, 'Перенос между досками');
  await stickyAt(facilitator, -250, 0, 'Идея');
  await stickyAt(facilitator, 150, 0, 'Критерий');
  await stickyAt(facilitator, 0, 250, 'Остаётся');
  const from = (await stickyNode(facilitator, 'Идея').locator('.react-flow__handle-right').boundingBox())!;
  const to = (await stickyNode(facilitator, 'Критерий').locator('.react-flow__handle-left').boundingBox())!;
  await facilitator.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
  await facilitator.mouse.down();
  await facilitator.mouse.move(to.x + to.width / 2, to.y + to.height / 2, { steps: 12 });
  await facilitator.mouse.up();
  await expect(facilitator.locator('.react-flow__edge')).toHaveCount(1);

  await stickyNode(facilitator, 'Идея').click({ position: { x: 20, y: 20 } });
  await stickyNode(facilitator, 'Критерий').click({ modifiers: ['Shift'], position: { x: 20, y: 20 } });
  await facilitator.keyboard.press('Control+c');

  // Ctrl+D duplicates in place, with the connector between the copies
  await facilitator.keyboard.press('Control+d');
  await expect(stickyNode(facilitator, 'Идея')).toHaveCount(2);
  await expect(facilitator.locator('.react-flow__edge')).toHaveCount(2);
  await facilitator.keyboard.press('Control+z');
  await expect(stickyNode(facilitator, 'Идея')).toHaveCount(1);

  await facilitator.getByTestId('add-board').click();
  await expect(facilitator.getByTestId('board-link')).toHaveCount(2);
  await expect(facilitator.getByTestId('sticky')).toHaveCount(0);
  await facilitator.getByTestId('board-canvas').hover();
  await facilitator.keyboard.press('Control+v');
  await expect(stickyNode(facilitator, 'Идея')).toBeVisible();
  await expect(stickyNode(facilitator, 'Критерий')).toBeVisible();
  await expect(stickyNode(facilitator, 'Остаётся')).toHaveCount(0);
  await expect(facilitator.locator('.react-flow__edge')).toHaveCount(1);

  await participant.getByTestId('board-link').nth(1).click();
  await expect(stickyNode(participant, 'Идея')).toBeVisible();
  await expect(participant.locator('.react-flow__edge')).toHaveCount(1);

  // the in-app fallback: a Russian-layout Ctrl+V («м») pastes the same copy again
  await pressRussian(facilitator, 'KeyV', 'м', { ctrlKey: true });
  await expect(stickyNode(participant, 'Идея')).toHaveCount(2);
  await pressRussian(facilitator, 'KeyZ', 'я', { ctrlKey: true });
  await expect(stickyNode(participant, 'Идея')).toHaveCount(1);
});

/** The darkest pixel of the overview canvas within `radius` device pixels of a screen point, as the sum of its r, g, b. */
async function darkestAround(page: Page, at: { x: number; y: number }, radius = 1): Promise<number> {
  return page.evaluate(
    ({ x, y, radius }) => {
      const canvas = document.querySelector<HTMLCanvasElement>('[data-testid="board-overview"]')!;
      const rect = canvas.getBoundingClientRect();
      const ratio = canvas.width / rect.width;
      const size = 2 * radius + 1;
      const left = Math.round((x - rect.left) * ratio) - radius;
      const top = Math.round((y - rect.top) * ratio) - radius;
      if (left < 0 || top < 0 || left + size > canvas.width || top + size > canvas.height) throw new Error(`${x}, ${y} is off the board`);
      const { data } = canvas.getContext('2d')!.getImageData(left, top, size, size);
      let darkest = Infinity;
      for (let i = 0; i < data.length; i += 4) darkest = Math.min(darkest, data[i]! + data[i + 1]! + data[i + 2]!);
      return darkest;
    },
    { ...at, radius },
  );
}

test('zoomed out, stickies are drawn as an overview that still drags; a double-click zooms back to the editable sticky', async ({ browser }) => {
  const { facilitator, participant } = await facilitatorAndParticipant(browser, 'Обзор доски');
  await stickyAt(facilitator, -150, 0, 'Левый');
  await stickyAt(facilitator, 150, 0, 'Правый');
  const size = (await stickyNode(facilitator, 'Левый').boundingBox())!;
  const left = await flowPosition(facilitator, 'Левый');
  const right = await flowPosition(facilitator, 'Правый');
  const centre = (position: { x: number; y: number }) => ({ x: position.x + size.width / 2, y: position.y + size.height / 2 });

  // zoom out with the wheel, the pointer resting on the empty board
  const canvas = (await facilitator.getByTestId('board-canvas').boundingBox())!;
  await facilitator.mouse.move(canvas.x + canvas.width / 2, canvas.y + canvas.height / 2 + 200);
  for (let i = 0; i < 4; i++) await facilitator.mouse.wheel(0, 300);
  await expect.poll(async () => (await screenPoint(facilitator, left)).zoom).toBeLessThan(0.4);
  await expect(facilitator.getByTestId('sticky')).toHaveCount(0);
  const leftOnScreen = await screenPoint(facilitator, centre(left));
  await expect.poll(() => overviewColor(facilitator, leftOnScreen)).toBe(STICKY_FILL.yellow);
  await facilitator.screenshot({ path: join(screenshots, 'canvas-overview.png') });

  // a sticky drawn on the overview is dragged like any other; the move reaches the participant
  const rightOnScreen = await screenPoint(facilitator, centre(right));
  await facilitator.mouse.move(rightOnScreen.x, rightOnScreen.y);
  await facilitator.mouse.down();
  await facilitator.mouse.move(rightOnScreen.x + 60, rightOnScreen.y + 10, { steps: 10 });
  await facilitator.mouse.up();
  // (xyflow starts the drag after the first step, so a little less than 60 screen pixels)
  await expect.poll(async () => (await flowPosition(participant, 'Правый')).x - right.x).toBeGreaterThan(40 / rightOnScreen.zoom);
  expect((await flowPosition(participant, 'Правый')).x - right.x).toBeLessThanOrEqual(60 / rightOnScreen.zoom);

  // a double-click zooms in to the sticky, which is a DOM sticky again: its text edits in place
  await facilitator.mouse.dblclick(leftOnScreen.x, leftOnScreen.y);
  await expect.poll(async () => (await screenPoint(facilitator, left)).zoom).toBe(1);
  await expect(stickyNode(facilitator, 'Левый')).toBeVisible();

  // at reading size the board's floor has its dot grid, one dot per 24 board units, which
  // moves with the board when it pans (middle button)
  const floor = 0xf6 + 0xf7 + 0xf9;
  const dot = { x: Math.round(left.x / 24) * 24, y: Math.round((left.y + 240) / 24) * 24 };
  const between = { x: dot.x + 12, y: dot.y + 12 };
  const dotOnScreen = await screenPoint(facilitator, dot);
  await expect.poll(() => darkestAround(facilitator, dotOnScreen)).toBeLessThan(floor - 30);
  expect(await darkestAround(facilitator, await screenPoint(facilitator, between), 0)).toBe(floor);
  await facilitator.mouse.move(dotOnScreen.x + 5, dotOnScreen.y - 200);
  await facilitator.mouse.down({ button: 'middle' });
  await facilitator.mouse.move(dotOnScreen.x + 42, dotOnScreen.y - 183, { steps: 5 });
  await facilitator.mouse.up({ button: 'middle' });
  const moved = await screenPoint(facilitator, dot);
  expect(Math.abs(moved.x - dotOnScreen.x) + Math.abs(moved.y - dotOnScreen.y)).toBeGreaterThan(20);
  await expect.poll(() => darkestAround(facilitator, moved)).toBeLessThan(floor - 30);
  expect(await darkestAround(facilitator, await screenPoint(facilitator, between), 0)).toBe(floor);
  await stickyNode(facilitator, 'Левый').getByTestId('sticky').dblclick();
  await typeIntoEditor(facilitator, 'textarea.sticky-editor', 'Левый, исправлен');
  await expect(participant.getByTestId('sticky-text').getByText('Левый, исправлен', { exact: true })).toBeVisible();
});
