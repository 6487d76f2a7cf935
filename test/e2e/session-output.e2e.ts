import { expect, test } from '@playwright/test';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createWorkspace, docxText, downloadSummary, pdfText, stickyNode } from './board-helpers';

// The facilitator's evening: a template on the board, the winning cluster made a
// project card, and the summary exported as DOCX and PDF (checked with unzip and
// pdftotext, as a head would read them).

const screenshots = join(import.meta.dirname, '../../test-results/screenshots');
mkdirSync(screenshots, { recursive: true });


test('a facilitator applies a template, makes a project from the board and exports the summary as DOCX and PDF', async ({ page }) => {
  await createWorkspace(page, 'Стратсессия Заречного района');

  await expect(page.getByTestId('open-templates')).toHaveText('Начать с шаблона');
  await page.getByTestId('open-templates').click();
  await expect(page.getByTestId('template-picker')).toBeVisible();
  await page.getByTestId('template-idea-decision').getByTestId('template-apply').click();
  await expect(page.getByTestId('template-picker')).toBeHidden();
  await expect(stickyNode(page, 'Пример: спортплощадка у школы')).toBeVisible();
  await expect(stickyNode(page, 'Стоимость')).toBeVisible();

  // the «Идеи» cluster becomes the project, the form prefilled from the frame and its stickies
  await page.locator('.react-flow__node', { has: page.getByTestId('frame-title').getByText('Идеи', { exact: true }) }).getByTestId('frame-title').click();
  await page.getByTestId('make-project').click();
  await expect(page.getByTestId('record-title')).toHaveValue('Идеи');
  await expect(page.getByTestId('record-description')).toHaveValue('— Пример: спортплощадка у школы');
  await page.getByTestId('record-title').fill('Спортплощадка у школы');
  await page.getByTestId('record-create').click();
  await expect(page.getByText('Проект «Спортплощадка у школы» создан, карточка — на доске')).toBeVisible();
  // the canvas draws only what is in view: frame the whole board first
  await page.getByTestId('fit-view').click();
  await expect(page.getByTestId('reference-card').filter({ hasText: 'Спортплощадка у школы' })).toBeVisible();
  await page.screenshot({ path: join(screenshots, 'session-output-board.png') });

  const pdf = await downloadSummary(page, 'export-pdf');
  expect(pdf.download.suggestedFilename()).toBe('Итоги — Доска 1.pdf');
  expect(readFileSync(pdf.file).subarray(0, 5).toString('latin1')).toBe('%PDF-');
  const pdfWords = pdfText(pdf.file);
  for (const expected of ['Итоги стратегической сессии', 'Доска 1', 'Идеи', 'Критерии', 'Решение', 'Польза для жителей', 'Проект: Спортплощадка у школы']) {
    expect(pdfWords).toContain(expected);
  }

  const docx = await downloadSummary(page, 'export-docx');
  expect(docx.download.suggestedFilename()).toBe('Итоги — Доска 1.docx');
  const docxWords = docxText(docx.file);
  for (const expected of ['Итоги стратегической сессии', 'Идеи', 'Критерии', 'Польза для жителей', 'Проект: Спортплощадка у школы']) {
    expect(docxWords).toContain(expected);
  }
});

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
