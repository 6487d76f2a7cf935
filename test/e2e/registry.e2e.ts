import { expect as baseExpect, test, type Page } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

const screenshots = join(import.meta.dirname, '../../test-results/screenshots');
mkdirSync(screenshots, { recursive: true });
// Two browsers, the sync server and a layout worker share two busy cores: allow for it.
const expect = baseExpect.configure({ timeout: 15_000 });

async function createWorkspace(page: Page, name: string) {
  await page.goto('/');
  await page.getByTestId('workspace-name-input').fill(name);
  await page.getByTestId('create-workspace').click();
  await expect(page.getByTestId('workspace-name')).toHaveText(name);
}

async function addProblem(page: Page, title: string, systemic: boolean) {
  await page.getByTestId('add-problem').click();
  const card = page.getByTestId('problem-card');
  await expect(card).toBeVisible();
  await card.getByTestId('card-title').fill(title);
  await card.getByTestId('card-title').press('Enter');
  if (systemic) {
    await card.getByTestId('card-kind').getByText('Системная').click();
    await expect(card.getByTestId('card-kind-reason')).toContainText('Отмечено вручную');
  }
  await page.keyboard.press('Escape');
  await expect(card).toHaveCount(0);
  await expect(page.getByTestId('registry-row').filter({ hasText: title })).toBeVisible();
}

async function coverageTotals(page: Page) {
  const total = page.getByTestId('coverage-total');
  return {
    problems: await total.getByTestId('coverage-total-problems').textContent(),
    covered: await total.getByTestId('coverage-total-covered').textContent(),
    systemicUncovered: await total.getByTestId('coverage-total-systemic-uncovered').textContent(),
  };
}

test('problems in the registry get a project on the map, and coverage follows for everyone', async ({ browser }) => {
  const facilitator = await (await browser.newContext()).newPage();
  await createWorkspace(facilitator, 'Проектный офис района');
  await facilitator.getByTestId('nav-registry').click();
  await expect(facilitator.getByTestId('registry-empty')).toBeVisible();

  await addProblem(facilitator, 'Ямы на улице Ленина', true);
  await addProblem(facilitator, 'Нет освещения во дворах', false);
  await expect(facilitator.getByTestId('registry-count')).toHaveText('Показано 2 из 2');

  const participant = await (await browser.newContext()).newPage();
  await participant.goto(facilitator.url());
  await expect(participant.getByTestId('registry-row')).toHaveCount(2);

  // filters: systemic only, then search
  await facilitator.getByTestId('filter-systemic').getByText('Системные').click();
  await expect(facilitator.getByTestId('registry-row')).toHaveCount(1);
  await facilitator.getByTestId('filter-systemic').getByText('Все').click();
  await facilitator.getByTestId('registry-search').fill('освещен');
  await expect(facilitator.getByTestId('registry-row')).toHaveText([/Нет освещения во дворах/]);
  await facilitator.getByTestId('registry-search').fill('');

  await participant.getByTestId('nav-coverage').click();
  await expect(participant.getByTestId('coverage-total-problems')).toHaveText('2');
  expect(await coverageTotals(participant)).toEqual({ problems: '2', covered: '0', systemicUncovered: '1' });

  await facilitator.getByTestId('nav-map').click();
  // the map appears once ELK has laid it out in its worker
  await expect(facilitator.getByTestId('map-problem')).toHaveCount(2, { timeout: 30_000 });
  await expect(facilitator.getByTestId('map-uncovered-badge')).toHaveCount(1);
  for (const problem of await facilitator.getByTestId('map-problem').all()) await problem.getByTestId('map-select-problem').click();
  await facilitator.getByTestId('map-create-project').click();
  const dialog = facilitator.getByTestId('create-project-dialog');
  await expect(dialog.getByTestId('project-problems')).toContainText('Ямы на улице Ленина');
  await expect(dialog.getByTestId('project-problems')).toContainText('Нет освещения во дворах');
  await dialog.getByTestId('project-title').fill('Безопасные улицы');
  await dialog.getByTestId('project-goal').fill('Отремонтировать дороги и осветить дворы к осени');
  await dialog.getByTestId('project-create').click();
  await expect(facilitator.getByTestId('map-project')).toHaveText(/Безопасные улицы/, { timeout: 30_000 });
  await expect(facilitator.getByTestId('map-uncovered-badge')).toHaveCount(0);
  await expect(facilitator.locator('.react-flow__edge')).toHaveCount(2);
  await facilitator.screenshot({ path: join(screenshots, 'registry-map.png') });

  // the participant's coverage changes live
  await expect(participant.getByTestId('coverage-total-covered')).toHaveText('2');
  expect(await coverageTotals(participant)).toEqual({ problems: '2', covered: '2', systemicUncovered: '0' });
  await participant.screenshot({ path: join(screenshots, 'registry-coverage.png') });

  // click-through: the systemic figure opens the registry filtered to systemic problems
  await participant.getByTestId('coverage-total-systemic').click();
  await expect(participant.getByTestId('registry-row')).toHaveCount(1);
  await expect(participant.getByTestId('registry-row')).toContainText('Ямы на улице Ленина');
  await expect(participant.getByTestId('registry-row')).toContainText('В проекте');
});

test('bulk edit changes the status of the selected problems at once', async ({ page }) => {
  await createWorkspace(page, 'Реестр для правки');
  await page.getByTestId('nav-registry').click();
  for (const title of ['Свалка у реки', 'Разбитый тротуар', 'Нет остановки']) await addProblem(page, title, false);
  await page.getByTestId('select-all').click();
  await expect(page.getByTestId('bulk-count')).toHaveText('Выбрано: 3');
  await page.getByTestId('bulk-status').click();
  await page.getByRole('option', { name: 'Подтверждена' }).click();
  await page.getByTestId('bulk-apply').click();
  await expect(page.getByTestId('registry-row').filter({ hasText: 'Подтверждена' })).toHaveCount(3);
  await page.reload();
  await expect(page.getByTestId('registry-row').filter({ hasText: 'Подтверждена' })).toHaveCount(3);
});
