import { expect, test } from '@playwright/test';
import { createWorkspace, stickyNode } from './board-helpers';

// Templates kept by the workspace. Applying a built-in template, the project card from the
// top cluster and the summary export are steps of the live session in session.e2e.ts.

test('a board saved as a template is offered on the next new board and recreates its content', async ({ page }) => {
  await createWorkspace(page, 'Проектный офис');
  await page.getByTestId('open-templates').click();
  await page.getByTestId('template-swot').getByTestId('template-apply').click();
  await expect(stickyNode(page, 'Пример: активные старосты в сёлах')).toBeVisible();

  await page.getByTestId('open-templates').click();
  await page.getByTestId('save-template').click();
  await page.getByTestId('template-name').fill('Наш SWOT');
  await page.getByTestId('template-save').click();
  await expect(page.getByText('Шаблон «Наш SWOT» сохранён')).toBeVisible();

  await page.getByTestId('add-board').click();
  // the new, empty board offers the templates on its toolbar
  await expect(page.getByTestId('open-templates')).toHaveText('Начать с шаблона');
  await page.getByTestId('open-templates').click();
  await expect(page.getByTestId('template-picker')).toBeVisible();
  const saved = page.getByTestId('template-saved');
  await expect(saved).toContainText('Наш SWOT');
  await saved.getByTestId('template-apply').click();
  await expect(stickyNode(page, 'Пример: активные старосты в сёлах')).toBeVisible();
  await expect(stickyNode(page, 'Пример: отток молодёжи в областной центр')).toBeVisible();
});
