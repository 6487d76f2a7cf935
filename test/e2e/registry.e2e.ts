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

test('appeals from a CSV become problems: import report, candidates, a systemic mark, a project from two problems, coverage live for a second participant', async ({ browser }) => {
  const analyst = await (await browser.newContext()).newPage();
  await createWorkspace(analyst, 'МЦУ Ленинского района');
  await analyst.getByTestId('nav-registry').click();
  await analyst.getByTestId('open-import').click();
  await analyst.getByTestId('import-file').setInputFiles(join(import.meta.dirname, 'fixtures/appeals.csv'));

  // the mapping step guessed the Russian headers; the preview shows the first rows
  const mapping = analyst.getByTestId('import-mapping');
  await expect(mapping).toBeVisible();
  await expect(analyst.getByTestId('import-row-count')).toHaveText('Строк в файле: 19');
  await expect(mapping.getByTestId('map-field-text')).toHaveValue('Текст обращения');
  await expect(mapping.getByTestId('map-field-date')).toHaveValue('Дата');
  await expect(mapping.getByTestId('map-field-district')).toHaveValue('Район');
  await expect(analyst.getByTestId('import-preview')).toContainText('Огромные ямы на улице Ленина');
  await analyst.getByTestId('import-start').click();

  // every row is accounted for: 17 imported, the empty one skipped, the repeated one a duplicate
  const report = analyst.getByTestId('import-report');
  await expect(report).toBeVisible();
  await expect(report.getByTestId('report-read')).toHaveText('19');
  await expect(report.getByTestId('report-imported')).toHaveText('17');
  await expect(report.getByTestId('report-skipped')).toHaveText('1');
  await expect(report.getByTestId('report-duplicates')).toHaveText('1');
  await expect(report.getByTestId('report-skipped-list')).toContainText('Строка 20: нет текста обращения');
  // the workspace has no territories yet: every imported row is kept and flagged
  await expect(report.getByTestId('report-unresolved')).toHaveText('17');
  await expect(report.getByTestId('report-unresolved-list')).toContainText('Северный район — 3');
  await report.getByTestId('report-add-territories').click();
  await analyst.screenshot({ path: join(screenshots, 'registry-import-report.png') });
  await report.getByTestId('report-to-candidates').click();

  // grouping runs in a worker and proposes one candidate per problem
  const candidatesView = analyst.getByTestId('candidates-view');
  await expect(candidatesView).toBeVisible();
  // a lower similarity threshold makes bigger groups
  await candidatesView.getByRole('slider').focus();
  await analyst.keyboard.press('Home');
  await expect(candidatesView).toContainText('Порог сходства: 0.05');
  await analyst.keyboard.press('ArrowRight');
  await expect(candidatesView).toContainText('Порог сходства: 0.10');
  await candidatesView.getByTestId('candidates-run').click();
  await expect(candidatesView.getByTestId('candidates-count')).toBeVisible({ timeout: 30_000 });
  // candidates never mix territories or categories; whatever pothole groups remain are merged by hand
  await expect(candidatesView.getByTestId('candidate').filter({ hasText: 'ЖКХ' })).toHaveCount(1);
  const roads = candidatesView.getByTestId('candidate').filter({ hasText: 'Дороги' });
  if ((await roads.count()) > 1) {
    for (const candidate of await roads.all()) await candidate.getByTestId('candidate-check').check();
    await candidatesView.getByTestId('candidates-merge').click();
  }
  await expect(roads).toHaveCount(1);
  await expect(candidatesView.getByTestId('candidate').filter({ hasText: 'Благоустройство' })).toHaveCount(1);
  await expect(candidatesView.getByTestId('candidate')).toHaveCount(3);
  const potholes = candidatesView.getByTestId('candidate').filter({ has: analyst.getByTestId('candidate-size').getByText('Обращений: 10') });
  await expect(potholes.getByTestId('candidate-verdict')).toHaveText('Системная');
  await expect(potholes.getByTestId('candidate-reason')).toContainText('10 сигналов за 4 нед.');
  await analyst.screenshot({ path: join(screenshots, 'registry-candidates.png') });
  await candidatesView.getByTestId('candidates-accept-all').click();
  await expect(candidatesView.getByTestId('candidate')).toHaveCount(0);

  // a second participant follows in the registry
  const colleague = await (await browser.newContext()).newPage();
  await analyst.getByTestId('nav-registry').click();
  await colleague.goto(analyst.url());
  await expect(colleague.getByTestId('registry-row')).toHaveCount(3);
  await expect(analyst.getByTestId('registry-row').getByTestId('problem-kind').filter({ hasText: 'Системная' })).toHaveCount(1);

  // mark the lighting problem systemic by hand: the card says a person decided
  const lights = analyst.getByTestId('registry-row').filter({ hasText: /фонар|освещ/i });
  await lights.getByTestId('open-problem').click();
  const card = analyst.getByTestId('problem-card');
  await expect(card.getByTestId('card-appeals')).toContainText('не горят фонари');
  await card.getByTestId('card-kind').getByText('Системная').click();
  await expect(card.getByTestId('card-kind-reason')).toContainText('Отмечено вручную');
  await analyst.keyboard.press('Escape');
  await expect(colleague.getByTestId('registry-row').getByTestId('problem-kind').filter({ hasText: 'Системная' })).toHaveCount(2);

  await colleague.getByTestId('nav-coverage').click();
  await expect(colleague.getByTestId('coverage-total-systemic-uncovered')).toHaveText('2');

  // a project from the two systemic problems on the map
  await analyst.getByTestId('nav-map').click();
  await expect(analyst.getByTestId('map-problem')).toHaveCount(3, { timeout: 30_000 });
  await expect(analyst.getByTestId('map-uncovered-badge')).toHaveCount(2);
  for (const problem of await analyst.locator('[data-testid="map-problem"][data-uncovered="true"]').all()) {
    await problem.getByTestId('map-select-problem').click();
  }
  await analyst.getByTestId('map-create-project').click();
  const dialog = analyst.getByTestId('create-project-dialog');
  await dialog.getByTestId('project-title').fill('Светлые и ровные улицы Ленинского района');
  await dialog.getByTestId('project-create').click();
  await expect(analyst.getByTestId('map-project')).toHaveCount(1, { timeout: 30_000 });
  await expect(analyst.getByTestId('map-uncovered-badge')).toHaveCount(0);

  // the colleague's coverage changes without a reload
  await expect(colleague.getByTestId('coverage-total-systemic-uncovered')).toHaveText('0');
  await expect(colleague.getByTestId('coverage-total-covered')).toHaveText('2');
  await expect(colleague.getByTestId('coverage-total-uncovered')).toHaveText('1');

  // drawing a link from the remaining problem's handle to the project says the project answers it too
  const garbage = analyst.locator('[data-testid="map-problem"][data-uncovered="false"]').filter({ hasText: /мусор/i });
  const from = (await garbage.getByTestId('map-problem-handle').boundingBox())!;
  const to = (await analyst.getByTestId('map-project-handle').boundingBox())!;
  await analyst.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
  await analyst.mouse.down();
  await analyst.mouse.move(to.x + to.width / 2, to.y + to.height / 2, { steps: 12 });
  await analyst.mouse.up();
  await expect(analyst.locator('.react-flow__edge')).toHaveCount(3);
  await expect(colleague.getByTestId('coverage-total-covered')).toHaveText('3');
  await expect(colleague.getByTestId('coverage-total-uncovered')).toHaveText('0');
  await colleague.screenshot({ path: join(screenshots, 'registry-coverage-after-import.png') });
});

test('a file that is not a table gives a clear message and nothing is imported', async ({ page }) => {
  await createWorkspace(page, 'Пустой реестр');
  await page.getByTestId('nav-registry').click();
  await page.getByTestId('open-import').click();
  await page.getByTestId('import-file').setInputFiles({ name: 'scan.xls', mimeType: 'application/vnd.ms-excel', buffer: Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0, 0]) });
  await expect(page.getByTestId('import-error')).toContainText('Старый формат Excel (.xls) не поддерживается');
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('registry-empty')).toBeVisible();
});

test('the systemic rule and the category list are edited in the registry settings', async ({ page }) => {
  await createWorkspace(page, 'МЦУ: настройки реестра');
  await page.getByTestId('nav-registry').click();
  await page.getByTestId('open-import').click();
  await page.getByTestId('import-file').setInputFiles(join(import.meta.dirname, 'fixtures/appeals.csv'));
  await page.getByTestId('import-start').click();
  await page.getByTestId('import-report').getByTestId('report-to-candidates').click();
  const candidatesView = page.getByTestId('candidates-view');
  await candidatesView.getByRole('slider').focus();
  await page.keyboard.press('Home');
  await page.keyboard.press('ArrowRight');
  await expect(candidatesView).toContainText('Порог сходства: 0.10');
  await candidatesView.getByTestId('candidates-run').click();
  await expect(candidatesView.getByTestId('candidates-count')).toBeVisible({ timeout: 30_000 });
  const roads = candidatesView.getByTestId('candidate').filter({ hasText: 'Дороги' });
  if ((await roads.count()) > 1) {
    for (const candidate of await roads.all()) await candidate.getByTestId('candidate-check').check();
    await candidatesView.getByTestId('candidates-merge').click();
  }
  const potholes = candidatesView.getByTestId('candidate').filter({ has: page.getByTestId('candidate-size').getByText('Обращений: 10') });
  await expect(potholes.getByTestId('candidate-verdict')).toHaveText('Системная');

  // a stricter rule: 20 signals in 4 weeks — ten potholes no longer make a systemic problem
  await candidatesView.getByTestId('registry-settings-open').click();
  const minSignals = page.getByTestId('rule-min-signals');
  await minSignals.fill('20');
  await page.getByTestId('rule-save').click();
  await expect(candidatesView.getByTestId('candidates-rule')).toContainText('Не менее 20 сигналов за 4 нед.');
  await expect(potholes.getByTestId('candidate-verdict')).not.toHaveText('Системная');

  // a new category is added to the workspace's list and is still there after a reload
  await candidatesView.getByTestId('registry-settings-open').click();
  await page.getByTestId('category-new').fill('Освещение улиц');
  await page.getByTestId('category-add').click();
  await expect(page.getByTestId('category-editor').getByRole('textbox', { name: 'Название категории' }).last()).toHaveValue('Освещение улиц');
  await page.reload();
  await expect(page.getByTestId('candidates-rule')).toContainText('Не менее 20 сигналов за 4 нед.');
  await page.getByTestId('registry-settings-open').click();
  await expect(page.getByTestId('category-editor').getByRole('textbox', { name: 'Название категории' }).last()).toHaveValue('Освещение улиц');
  await expect(page.getByTestId('rule-min-signals')).toHaveValue('20');
});
