import { expect, test } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { addSticky, closeOpenedContexts, createWorkspace, facilitatorAndParticipant, flowPosition, stickyNode } from './board-helpers';

const screenshots = join(import.meta.dirname, '../../test-results/screenshots');
mkdirSync(screenshots, { recursive: true });

test.afterEach(closeOpenedContexts);

test('a facilitator creates a workspace, adds three stickies and finds them after a reload', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByText('Недавние пространства')).toBeVisible();
  await page.screenshot({ path: join(screenshots, 'home-empty.png') });

  await createWorkspace(page, 'Стратсессия Ленинского района');
  const texts = ['Ямы на дорогах в пос. Северный', 'Нет освещения во дворах', 'Автобус ходит раз в час'];
  for (const text of texts) await addSticky(page, text);
  await expect(page.getByTestId('sticky')).toHaveCount(3);
  await expect(page.getByTestId('sticky-count')).toHaveText('3 стикера');

  await page.reload();
  await expect(page.getByTestId('sticky')).toHaveCount(3);
  for (const text of texts) await expect(stickyNode(page, text)).toBeVisible();
  await page.screenshot({ path: join(screenshots, 'board.png') });

  await page.getByTestId('go-home').click();
  await expect(page.getByTestId('recent-workspace')).toContainText('Стратсессия Ленинского района');
  await page.screenshot({ path: join(screenshots, 'home-recent.png') });
});

test('two participants on one board see a sticky added, moved and edited by the other', async ({ browser }) => {
  const { facilitator, participant } = await facilitatorAndParticipant(browser, 'Будущее моего района');
  await expect(participant.getByTestId('presence-avatar')).toHaveCount(2);
  await expect(facilitator.getByTestId('presence-avatar')).toHaveCount(2);

  await addSticky(facilitator, 'Парк у реки');
  await expect(stickyNode(participant, 'Парк у реки')).toBeVisible();

  const before = await flowPosition(participant, 'Парк у реки');
  const box = (await stickyNode(facilitator, 'Парк у реки').boundingBox())!;
  await facilitator.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await facilitator.mouse.down();
  await facilitator.mouse.move(box.x + box.width / 2 + 120, box.y + box.height / 2 + 60, { steps: 12 });
  await facilitator.mouse.up();
  await expect
    .poll(async () => (await flowPosition(participant, 'Парк у реки')).x - before.x, { timeout: 10_000 })
    .toBeGreaterThan(40);
  expect(await flowPosition(participant, 'Парк у реки')).toEqual(await flowPosition(facilitator, 'Парк у реки'));

  await stickyNode(facilitator, 'Парк у реки').dblclick();
  const editor = facilitator.locator('textarea.sticky-editor');
  await editor.fill('Парк у реки с велодорожкой');
  await editor.press('Escape');
  await expect(stickyNode(participant, 'Парк у реки с велодорожкой')).toBeVisible();

  // presence: the participant's cursor shows up on the facilitator's board with their name
  const canvas = (await participant.getByTestId('board-canvas').boundingBox())!;
  await participant.mouse.move(canvas.x + canvas.width / 2, canvas.y + canvas.height / 2 + 150, { steps: 4 });
  await expect(facilitator.getByTestId('remote-cursor')).toHaveCount(1);
  await facilitator.screenshot({ path: join(screenshots, 'board-two-participants.png') });

  // a participant's edit flows back, and undo only reverts one's own change
  await addSticky(participant, 'Идея участника');
  await expect(stickyNode(facilitator, 'Идея участника')).toBeVisible();
  await facilitator.getByTestId('undo').click();
  await expect(stickyNode(participant, 'Парк у реки')).toBeVisible();
  await expect(stickyNode(participant, 'Идея участника')).toBeVisible();
});

test('recolour, resize and delete of a sticky reach the other participant; undo brings it back', async ({ browser }) => {
  const { facilitator, participant } = await facilitatorAndParticipant(browser, 'Рабочая группа ЖКХ');
  await addSticky(facilitator, 'Не вывозят мусор');
  const theirs = stickyNode(participant, 'Не вывозят мусор');
  await expect(theirs).toBeVisible();

  await stickyNode(facilitator, 'Не вывозят мусор').click();
  await facilitator.getByRole('button', { name: 'Розовый' }).click();
  await expect(theirs.getByTestId('sticky')).toHaveAttribute('data-color', 'pink');

  const widthBefore = (await theirs.boundingBox())!.width;
  const handle = facilitator.locator('.react-flow__resize-control.handle.bottom.right');
  const corner = (await handle.boundingBox())!;
  await facilitator.mouse.move(corner.x + corner.width / 2, corner.y + corner.height / 2);
  await facilitator.mouse.down();
  await facilitator.mouse.move(corner.x + 100, corner.y + 60, { steps: 10 });
  await facilitator.mouse.up();
  await expect.poll(async () => (await theirs.boundingBox())!.width - widthBefore).toBeGreaterThan(50);

  await stickyNode(facilitator, 'Не вывозят мусор').click();
  await facilitator.keyboard.press('Delete');
  await expect(theirs).toHaveCount(0);
  await expect(participant.getByTestId('sticky')).toHaveCount(0);

  await facilitator.keyboard.press('Control+z');
  await expect(theirs).toBeVisible();
  await expect(theirs.getByTestId('sticky')).toHaveAttribute('data-color', 'pink');
});

test('a participant who loses the connection keeps editing, and the edits arrive on reconnect', async ({ browser }) => {
  const { facilitator, participant, participantContext } = await facilitatorAndParticipant(browser, 'Выездная сессия');
  await expect(participant.getByTestId('connection-state')).toHaveAttribute('data-state', 'online');

  await participantContext.setOffline(true);
  await expect(participant.getByTestId('connection-state')).toHaveAttribute('data-state', 'offline');
  await expect(participant.getByTestId('connection-state')).toContainText('Нет связи');
  await addSticky(participant, 'Записано без сети');
  await addSticky(facilitator, 'Записано модератором');
  await expect(stickyNode(facilitator, 'Записано без сети')).toHaveCount(0);

  await participantContext.setOffline(false);
  await expect(participant.getByTestId('connection-state')).toHaveAttribute('data-state', 'online', { timeout: 15_000 });
  await expect(stickyNode(facilitator, 'Записано без сети')).toBeVisible();
  await expect(stickyNode(participant, 'Записано модератором')).toBeVisible();
});

test('boards and the workspace are renamed in place and the new names reach everyone', async ({ browser }) => {
  const { facilitator, participant } = await facilitatorAndParticipant(browser, 'Черновик');

  await facilitator.getByTestId('workspace-title').dblclick();
  await facilitator.getByTestId('workspace-title-input').fill('Стратсессия «Будущее района»');
  await facilitator.getByTestId('workspace-title-input').press('Enter');
  await expect(participant.getByTestId('workspace-name')).toHaveText('Стратсессия «Будущее района»');

  await facilitator.getByTestId('add-board').click();
  await expect(participant.getByTestId('board-link')).toHaveCount(2);
  await facilitator.getByTestId('board-link').nth(1).getByText('Доска 2').dblclick();
  const input = facilitator.getByRole('textbox', { name: 'Двойной щелчок — переименовать доску' });
  await input.fill('Проблемы');
  await input.press('Enter');
  await expect(participant.getByTestId('board-link').nth(1)).toHaveText('Проблемы');
  await addSticky(facilitator, 'На новой доске');
  await participant.getByTestId('board-link').nth(1).click();
  await expect(stickyNode(participant, 'На новой доске')).toBeVisible();
});

test('the interface switches from Russian to English and stays switched', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByText('Новое пространство').first()).toBeVisible();
  await page.getByTestId('open-settings').click();
  await page.getByText('English').click();
  await expect(page.getByText('Recent workspaces')).toBeVisible();
  await expect(page.getByText('New workspace').first()).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await page.keyboard.press('Escape');
  await page.reload();
  await expect(page.getByTestId('home-title')).toHaveText('Stratboard');
  await expect(page.getByText('Недавние пространства')).toHaveCount(0);
});

test('a bad join link gives a clear message and the home screen stays usable', async ({ page }) => {
  await page.goto('/');
  await page.getByTestId('join-link-input').fill('https://example.com/not-a-board');
  await page.getByRole('button', { name: 'Подключиться', exact: true }).click();
  await expect(page.getByText('Это не ссылка на пространство Стратборда', { exact: false })).toBeVisible();
  await page.goto('/#/w/AAAAAAAAAAAAAAAA');
  await expect(page.getByTestId('error-panel')).toContainText('Пространство не найдено');
});
