import { expect as baseExpect, test, type Browser, type Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { addSticky, closeOpenedContexts, createWorkspace, docxTableRows, docxText, downloadSummary, flowPosition, overviewColor, pageInNewContext, pdfText, screenPoint, stickyNode } from './board-helpers';

// A live session with a facilitator and two participants in three browser contexts, in
// order: a template, the timer, private writing, dot voting, the winning cluster made a
// project card, and the summary exported as DOCX and PDF.

const results = join(import.meta.dirname, '../../test-results');
const screenshots = join(results, 'screenshots');
mkdirSync(screenshots, { recursive: true });

// Three pages sync and render at once on a shared, busy machine: wait generously for
// what they show, never with fixed sleeps.
const expect = baseExpect.configure({ timeout: 20_000 });

test.afterEach(closeOpenedContexts);

interface Session {
  facilitator: Page;
  anna: Page;
  boris: Page;
  everyone: Page[];
}

async function setDisplayName(page: Page, name: string) {
  await page.getByTestId('open-settings').click();
  await page.getByTestId('display-name-input').fill(name);
  await page.getByTestId('save-settings').click();
  await expect(page.getByTestId('display-name-input')).toHaveCount(0);
}

/** The facilitator creates the workspace (and so facilitates); the participants open its link (and so edit). */
async function openSession(browser: Browser, workspaceName: string, names?: { facilitator: string; anna: string; boris: string }): Promise<Session> {
  const { page: facilitator } = await pageInNewContext(browser);
  await createWorkspace(facilitator, workspaceName);
  if (names) await setDisplayName(facilitator, names.facilitator);
  const join = async (name?: string) => {
    const { page } = await pageInNewContext(browser);
    await page.goto(facilitator.url());
    await expect(page.getByTestId('board-canvas')).toBeVisible({ timeout: 60_000 });
    if (name) await setDisplayName(page, name);
    return page;
  };
  const anna = await join(names?.anna);
  const boris = await join(names?.boris);
  const everyone = [facilitator, anna, boris];
  for (const page of everyone) await expect(page.getByTestId('presence-avatar')).toHaveCount(3, { timeout: 30_000 });
  return { facilitator, anna, boris, everyone };
}

/** The canvas renders only what is in view: frame the whole board on every screen first. */
async function fitAll(pages: Page[]) {
  for (const page of pages) await page.getByTestId('fit-view').click();
}

function frameNode(page: Page, title: string) {
  return page.locator('.react-flow__node', { has: page.getByTestId('frame-title').getByText(title, { exact: true }) });
}

/** The viewport's transform, once it has stopped moving (jumps and fits animate). */
async function settledViewport(page: Page): Promise<string> {
  const read = () => page.locator('.react-flow__viewport').evaluate((el) => getComputedStyle(el).transform);
  let previous = '';
  await expect
    .poll(async () => {
      const now = await read();
      const settled = now === previous;
      previous = now;
      return settled;
    }, { intervals: [300] })
    .toBe(true);
  return previous;
}

/** Board search with jump-to: the view centres on the first match and selects it. */
async function jumpToFrame(page: Page, title: string) {
  await page.getByTestId('open-search').click();
  const input = page.getByTestId('board-search-input');
  await input.fill(title);
  await input.press('Enter');
  await expect(frameNode(page, title)).toHaveClass(/selected/);
  await input.press('Escape');
  await expect(input).toHaveCount(0);
  await settledViewport(page);
}

/** Whether the sticky's box lies inside the frame's box on screen (both drawn in the same viewport). */
async function expectInsideFrame(page: Page, stickyText: string, frameTitle: string) {
  const sticky = (await stickyNode(page, stickyText).boundingBox())!;
  const frame = (await frameNode(page, frameTitle).boundingBox())!;
  expect(sticky.x, `${stickyText} inside «${frameTitle}»`).toBeGreaterThanOrEqual(frame.x);
  expect(sticky.y).toBeGreaterThanOrEqual(frame.y);
  expect(sticky.x + sticky.width).toBeLessThanOrEqual(frame.x + frame.width);
  expect(sticky.y + sticky.height).toBeLessThanOrEqual(frame.y + frame.height);
}

function seconds(display: string): number {
  const parts = display.trim().split(':').map(Number);
  return parts.reduce((total, part) => total * 60 + part, 0);
}

/** The timer as each page shows it, read at (nearly) the same moment. */
async function timerSeconds(pages: Page[]): Promise<number[]> {
  const texts = await Promise.all(pages.map((page) => page.getByTestId('session-timer-value').textContent()));
  return texts.map((text) => seconds(text ?? ''));
}

/**
 * The timers of all pages agree within `toleranceSeconds`. Three reads on a loaded machine
 * can straddle a tick or two, so the reads are repeated until they land together; timers
 * that really disagree never do, and the poll fails with their values.
 */
async function expectSameTimer(pages: Page[], toleranceSeconds: number): Promise<number[]> {
  let values: number[] = [];
  await expect
    .poll(async () => {
      values = await timerSeconds(pages);
      return Math.max(...values) - Math.min(...values);
    }, { message: 'the timers show the same remaining seconds' })
    .toBeLessThanOrEqual(toleranceSeconds);
  return values;
}

async function withAgenda(page: Page, action: () => Promise<void>) {
  await page.getByTestId('open-agenda').click();
  const drawer = page.locator('.mantine-Drawer-content');
  await expect(drawer).toBeVisible();
  await action();
  await page.keyboard.press('Escape');
  await expect(drawer).toHaveCount(0);
}

async function rankingOf(page: Page): Promise<string[]> {
  await expect(page.getByTestId('ranking')).toBeVisible();
  await expect(page.getByTestId('ranking-row')).toHaveCount(4);
  return page.getByTestId('ranking-row').allInnerTexts();
}

async function votesLeft(page: Page): Promise<string | null> {
  return page.getByTestId('votes-remaining').getAttribute('data-remaining');
}

/** One line of a text, its runs of whitespace folded, found by a pattern. */
function lineMatching(text: string, pattern: RegExp): string | undefined {
  return text
    .split('\n')
    .map((line) => line.replace(/\s+/g, ' ').trim())
    .find((line) => pattern.test(line));
}

test('a facilitator runs a session from a template to the summary: timer in sync, private writing, dot voting with one ranking, a project from the top cluster, DOCX and PDF', async ({ browser }) => {
  // the whole session in one story, with three pages on a shared machine
  test.setTimeout(600_000);
  const { facilitator, anna, boris, everyone } = await openSession(browser, 'Стратсессия: Будущее района', {
    facilitator: 'Ольга Ведущая',
    anna: 'Анна Петрова',
    boris: 'Борис Иванов',
  });

  await test.step('roles: only the facilitator has session controls', async () => {
    await expect(facilitator.getByTestId('next-stage')).toBeVisible();
    await expect(anna.getByTestId('session-bar')).toBeVisible();
    await expect(anna.getByTestId('next-stage')).toHaveCount(0);
    await expect(boris.getByTestId('open-voting')).toHaveCount(0);
  });

  await test.step('template: the facilitator starts from «Идея → критерии → решение»; frames, prompts and agenda reach everyone', async () => {
    await expect(facilitator.getByTestId('open-templates')).toHaveText('Начать с шаблона');
    await facilitator.getByTestId('open-templates').click();
    await expect(facilitator.getByTestId('template-picker')).toBeVisible();
    await facilitator.getByTestId('template-idea-decision').getByTestId('template-apply').click();
    await expect(facilitator.getByTestId('template-picker')).toBeHidden();
    await fitAll(everyone);
    for (const page of everyone) {
      for (const title of ['Идеи', 'Критерии', 'Решение']) await expect(frameNode(page, title)).toBeVisible();
      await expect(stickyNode(page, 'Пример: спортплощадка у школы')).toBeVisible();
      await expect(stickyNode(page, 'Польза для жителей')).toBeVisible();
      await expect(page.getByTestId('sticky-count')).toHaveText('5 стикеров');
    }
    // a board with content offers templates as a menu, not the empty board's button
    await expect(facilitator.getByTestId('open-templates')).not.toHaveText('Начать с шаблона');
    await withAgenda(facilitator, async () => {
      const titles = facilitator.getByTestId('stage-title-input');
      await expect(titles).toHaveCount(4);
      await expect.poll(() => titles.evaluateAll((inputs) => inputs.map((input) => (input as HTMLInputElement).value))).toEqual(['Идеи', 'Критерии', 'Голосование', 'Решение']);
      // ideas are written privately: nobody anchors on the others' stickies
      const ideas = facilitator.getByTestId('agenda-stage').nth(0);
      await ideas.getByTestId('stage-private').click();
      await expect(ideas.getByTestId('stage-private')).toBeChecked();
    });
    await facilitator.getByTestId('next-stage').click();
    for (const page of everyone) {
      await expect(page.getByTestId('current-stage')).toHaveText('Идеи');
      await expect(page.getByTestId('private-stage')).toBeVisible();
    }
  });

  await test.step('timer: started by the facilitator, the same remaining seconds on all three screens', async () => {
    await facilitator.getByTestId('timer-start').click();
    for (const page of everyone) await expect(page.getByTestId('session-timer')).toHaveAttribute('data-running', 'true');
    const [first] = await expectSameTimer(everyone, 1);
    expect(first).toBeGreaterThan(18 * 60);
    expect(first).toBeLessThanOrEqual(20 * 60);

    // joining late (a reload) shows the same time, computed from the doc
    await boris.reload();
    await expect(boris.getByTestId('session-timer')).toHaveAttribute('data-running', 'true', { timeout: 60_000 });
    await expectSameTimer(everyone, 1);

    await facilitator.getByTestId('timer-pause').click();
    for (const page of everyone) await expect(page.getByTestId('session-timer')).toHaveAttribute('data-running', 'false');
    const paused = await expectSameTimer(everyone, 0);
    await facilitator.getByTestId('timer-add-minute').click();
    const plusMinute = paused[0]! + 60;
    for (const page of everyone) await expect(page.getByTestId('session-timer-value')).toHaveText(`${Math.floor(plusMinute / 60)}:${String(plusMinute % 60).padStart(2, '0')}`);
    await facilitator.getByTestId('timer-start').click();
    for (const page of everyone) await expect(page.getByTestId('session-timer')).toHaveAttribute('data-running', 'true');
    await expectSameTimer(everyone, 1);
    await facilitator.screenshot({ path: join(screenshots, 'session-timer.png') });
  });

  await test.step('private writing: participants see only their own ideas until the facilitator reveals them', async () => {
    // each participant jumps to the «Идеи» frame (board search) and writes there
    await jumpToFrame(anna, 'Идеи');
    await addSticky(anna, 'Сквер у школы');
    await jumpToFrame(boris, 'Идеи');
    await addSticky(boris, 'Велодорожка вдоль реки');
    await expect(stickyNode(anna, 'Сквер у школы')).toBeVisible();
    await expect(stickyNode(boris, 'Велодорожка вдоль реки')).toBeVisible();
    await expectInsideFrame(anna, 'Сквер у школы', 'Идеи');
    await expectInsideFrame(boris, 'Велодорожка вдоль реки', 'Идеи');
    await expect(boris.getByTestId('hidden-count')).toHaveAttribute('data-count', '1');
    await expect(facilitator.getByTestId('hidden-count')).toHaveAttribute('data-count', '2');
    // counts include stickies out of view: each participant has the template's and their own
    await expect(anna.getByTestId('sticky-count')).toHaveText('6 стикеров');
    await expect(boris.getByTestId('sticky-count')).toHaveText('6 стикеров');
    await expect(facilitator.getByTestId('sticky-count')).toHaveText('5 стикеров');
    await fitAll(everyone);
    await expect(stickyNode(boris, 'Сквер у школы')).toHaveCount(0);
    await expect(stickyNode(anna, 'Велодорожка вдоль реки')).toHaveCount(0);
    await expect(stickyNode(facilitator, 'Сквер у школы')).toHaveCount(0);
    await expect(stickyNode(facilitator, 'Велодорожка вдоль реки')).toHaveCount(0);
    await anna.screenshot({ path: join(screenshots, 'session-private.png') });

    await facilitator.getByTestId('reveal-private').click();
    for (const page of everyone) await expect(page.getByTestId('sticky-count')).toHaveText('7 стикеров');
    await fitAll(everyone);
    for (const page of everyone) {
      await expect(stickyNode(page, 'Сквер у школы')).toBeVisible();
      await expect(stickyNode(page, 'Велодорожка вдоль реки')).toBeVisible();
    }
    // the stage stays private: the facilitator keeps the (now empty) count and the reveal button
    await expect(facilitator.getByTestId('hidden-count')).toHaveAttribute('data-count', '0');
    for (const page of [anna, boris]) await expect(page.getByTestId('hidden-count')).toHaveCount(0);
    await expectInsideFrame(facilitator, 'Сквер у школы', 'Идеи');
    await expectInsideFrame(facilitator, 'Велодорожка вдоль реки', 'Идеи');
  });

  await test.step('dot voting: three votes each, a double click or a reload adds none, one ranking everywhere', async () => {
    await facilitator.getByTestId('next-stage').click();
    for (const page of everyone) await expect(page.getByTestId('current-stage')).toHaveText('Критерии');
    await expect(facilitator.getByTestId('private-stage')).toHaveCount(0);
    await facilitator.getByTestId('next-stage').click();
    for (const page of everyone) await expect(page.getByTestId('current-stage')).toHaveText('Голосование');

    await facilitator.getByTestId('open-voting').click();
    await expect(facilitator.getByTestId('votes-per-person')).toHaveValue('3');
    await facilitator.getByTestId('start-voting').click();
    for (const page of everyone) await expect(page.getByTestId('votes-remaining')).toHaveAttribute('data-remaining', '3');
    await fitAll(everyone);

    // Anna double-clicks: one vote, and no editor opens
    await stickyNode(anna, 'Сквер у школы').dblclick();
    await expect.poll(() => votesLeft(anna)).toBe('2');
    await expect(anna.locator('textarea.sticky-editor')).toHaveCount(0);
    await stickyNode(anna, 'Велодорожка вдоль реки').click();
    await stickyNode(anna, 'Польза для жителей').click();
    await expect.poll(() => votesLeft(anna)).toBe('0');
    // no votes left: a fourth click counts nothing
    await stickyNode(anna, 'Стоимость').click();
    await expect.poll(() => votesLeft(anna)).toBe('0');
    await expect(stickyNode(anna, 'Стоимость').getByTestId('vote-badge')).toHaveCount(0);

    // Boris votes twice, reloads, and his votes are still spent
    await stickyNode(boris, 'Сквер у школы').click();
    await stickyNode(boris, 'Польза для жителей').click();
    await expect.poll(() => votesLeft(boris)).toBe('1');
    await boris.reload();
    await expect(boris.getByTestId('votes-remaining')).toHaveAttribute('data-remaining', '1', { timeout: 60_000 });
    await fitAll([boris]);
    await expect(stickyNode(boris, 'Сквер у школы').getByTestId('vote-badge')).toHaveAttribute('data-count', '1');
    await stickyNode(boris, 'Сквер у школы').click();
    await expect.poll(() => votesLeft(boris)).toBe('1');
    await stickyNode(boris, 'Велодорожка вдоль реки').click();
    await expect.poll(() => votesLeft(boris)).toBe('0');

    for (const text of ['Сквер у школы', 'Польза для жителей', 'Пример: спортплощадка у школы']) await stickyNode(facilitator, text).click();
    await expect.poll(() => votesLeft(facilitator)).toBe('0');
    await facilitator.screenshot({ path: join(screenshots, 'session-voting.png') });

    await facilitator.getByTestId('close-voting').click();
    const ranking = await rankingOf(facilitator);
    const rows = ranking.map((row) => row.replace(/\s+/g, ' ').trim());
    // Польза для жителей and Сквер у школы share the first place, in reading order on the board, as the summary will list them
    expect(rows[0]).toMatch(/^1\. Польза для жителей 3 голоса$/i);
    expect(rows[1]).toMatch(/^1\. Сквер у школы 3 голоса$/i);
    expect(rows[2]).toMatch(/^3\. Велодорожка вдоль реки 2 голоса$/i);
    expect(rows[3]).toMatch(/^4\. Пример: спортплощадка у школы 1 голос$/i);
    await expect.poll(() => rankingOf(anna)).toEqual(ranking);
    await expect.poll(() => rankingOf(boris)).toEqual(ranking);

    // results stay on the board as badges
    await expect(stickyNode(boris, 'Сквер у школы').getByTestId('vote-badge')).toHaveAttribute('data-count', '3');
    await expect(stickyNode(anna, 'Велодорожка вдоль реки').getByTestId('vote-badge')).toHaveAttribute('data-count', '2');
    await expect(stickyNode(facilitator, 'Польза для жителей').getByTestId('vote-badge')).toHaveAttribute('data-count', '3');
    await boris.screenshot({ path: join(screenshots, 'session-ranking.png') });

    // zoomed out, where the canvas draws the stickies, the badges are drawn there too
    const square = await flowPosition(boris, 'Сквер у школы');
    const squareWidth = (await stickyNode(boris, 'Сквер у школы').evaluate((el) => (el as HTMLElement).offsetWidth));
    const pane = (await boris.getByTestId('board-canvas').boundingBox())!;
    await boris.mouse.move(pane.x + pane.width / 2, pane.y + pane.height - 40);
    for (let i = 0; i < 6 && (await screenPoint(boris, square)).zoom >= 0.4; i++) await boris.mouse.wheel(0, 300);
    await expect.poll(async () => (await screenPoint(boris, square)).zoom).toBeLessThan(0.4);
    await expect(stickyNode(boris, 'Сквер у школы')).toHaveCount(0);
    const corner = await screenPoint(boris, { x: square.x + squareWidth, y: square.y });
    // the pill is centred on the corner with the count in its middle: its left part is plain indigo
    await expect.poll(() => overviewColor(boris, { x: corner.x - 7, y: corner.y })).toBe('#4c6ef5');
    await boris.screenshot({ path: join(screenshots, 'session-ranking-overview.png') });
    await fitAll([boris]);
  });

  const project = 'Благоустройство сквера у школы';
  await test.step('the top cluster «Идеи» (6 of 9 votes) becomes a project card, seen by everyone', async () => {
    await facilitator.getByTestId('next-stage').click();
    for (const page of everyone) await expect(page.getByTestId('current-stage')).toHaveText('Решение');
    await frameNode(facilitator, 'Идеи').getByTestId('frame-title').click();
    await facilitator.getByTestId('make-project').click();
    await expect(facilitator.getByTestId('record-title')).toHaveValue('Идеи');
    const description = await facilitator.getByTestId('record-description').inputValue();
    expect(description.split('\n').sort()).toEqual(['— Велодорожка вдоль реки', '— Пример: спортплощадка у школы', '— Сквер у школы']);
    // the source: the frame and its three stickies, their authors, the votes they took
    const source = facilitator.getByTestId('record-source');
    await expect(source).toContainText('Из 4 объектов доски');
    await expect(source).toContainText('Голосов: 6');
    await expect(source).toContainText('Анна Петрова');
    await expect(source).toContainText('Борис Иванов');
    await facilitator.getByTestId('record-title').fill(project);
    await facilitator.getByTestId('record-create').click();
    await expect(facilitator.getByText(`Проект «${project}» создан, карточка — на доске`)).toBeVisible();
    await fitAll(everyone);
    for (const page of everyone) {
      const card = page.getByTestId('reference-card').filter({ hasText: project });
      await expect(card).toBeVisible();
      await expect(card).toHaveAttribute('data-kind', 'project');
    }
    await facilitator.screenshot({ path: join(screenshots, 'session-output-board.png') });
  });

  await test.step('the summary: DOCX and PDF with the template\'s cluster titles, the votes of the round and the project', async () => {
    const pdf = await downloadSummary(facilitator, 'export-pdf');
    expect(pdf.download.suggestedFilename()).toBe('Итоги — Доска 1.pdf');
    expect(readFileSync(pdf.file).subarray(0, 5).toString('latin1')).toBe('%PDF-');
    copyFileSync(pdf.file, join(results, 'session-summary.pdf'));
    const docx = await downloadSummary(facilitator, 'export-docx');
    expect(docx.download.suggestedFilename()).toBe('Итоги — Доска 1.docx');
    copyFileSync(docx.file, join(results, 'session-summary.docx'));

    const pdfWords = pdfText(pdf.file);
    const docxWords = docxText(docx.file);
    for (const [kind, text] of [['PDF', pdfWords], ['DOCX', docxWords]] as const) {
      for (const expected of ['Итоги стратегической сессии', 'Доска 1', 'Стратсессия: Будущее района', 'Анна Петрова, Борис Иванов, Ольга Ведущая']) {
        expect(text, `${kind}: ${expected}`).toContain(expected);
      }
      // the template's clusters with the votes their stickies took, and who wrote them
      for (const expected of [
        'Идеи — 6 голосов',
        'Пример: спортплощадка у школы — 1 голос',
        'Сквер у школы (автор: Анна Петрова) — 3 голоса',
        'Велодорожка вдоль реки (автор: Борис Иванов) — 2 голоса',
        'Критерии — 3 голоса',
        'Польза для жителей — 3 голоса',
        'Решение',
        `Проект: ${project} — 6 голосов`,
        'Авторы идей: Анна Петрова, Борис Иванов',
      ]) {
        expect(text, `${kind}: ${expected}`).toContain(expected);
      }
    }
    // the ranking of the round: place, sticky, cluster, votes (ties share a place)
    const ranking = [
      ['1', 'Польза для жителей', 'Критерии', '3'],
      ['1', 'Сквер у школы', 'Идеи', '3'],
      ['3', 'Велодорожка вдоль реки', 'Идеи', '2'],
      ['4', 'Пример: спортплощадка у школы', 'Идеи', '1'],
    ];
    // in the order the ranking card showed
    const pdfLines = pdfWords.split('\n').map((line) => line.replace(/\s+/g, ' ').trim());
    const rowLines = ranking.map((row) => pdfLines.indexOf(row.join(' ')));
    expect(rowLines.every((line) => line >= 0), `PDF ranking rows at lines ${rowLines.join(', ')}`).toBe(true);
    expect([...rowLines].sort((a, b) => a - b)).toEqual(rowLines);
    const docxRows = docxTableRows(docx.file).map((row) => row.join('|'));
    const rowIndexes = ranking.map((row) => docxRows.indexOf(row.join('|')));
    expect(rowIndexes.every((index) => index >= 0), `DOCX ranking rows at ${rowIndexes.join(', ')}`).toBe(true);
    expect([...rowIndexes].sort((a, b) => a - b)).toEqual(rowIndexes);
    // the agenda with the stages as the template set them
    for (const stage of ['Идеи 20 мин', 'Критерии 10 мин', 'Голосование 10 мин', 'Решение 15 мин']) {
      expect(lineMatching(pdfWords, new RegExp(`^${stage} `)), `PDF agenda row ${stage}`).toBeDefined();
    }
    // the board picture (the last page) shows the clusters, the connectors' labels and the project card
    const pages = Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [pdf.file], { encoding: 'utf8' }))![1]);
    const picture = execFileSync('pdftotext', ['-f', String(pages), '-l', String(pages), pdf.file, '-'], { encoding: 'utf8' });
    for (const expected of ['Идеи', 'Критерии', 'Решение', 'оцениваем', 'выбираем', 'Сквер у школы']) expect(picture, `board picture: ${expected}`).toContain(expected);
    expect(picture.replace(/\s+/g, ' ')).toContain(`Проект: ${project}`);
  });

  await test.step('agenda keeps the actual times of the stages passed', async () => {
    await withAgenda(anna, async () => {
      const stages = anna.getByTestId('agenda-stage');
      await expect(stages.nth(0)).toHaveAttribute('data-status', 'done');
      await expect(stages.nth(0).getByTestId('stage-actual')).toContainText('факт:');
      await expect(stages.nth(3)).toHaveAttribute('data-status', 'current');
    });
  });

  await test.step('the project is in the workspace registry: a participant opens it from the card', async () => {
    // the ranking card may cover the reference card: Boris closes it first
    await boris.getByTestId('ranking').getByRole('button', { name: 'Закрыть' }).click();
    await expect(boris.getByTestId('ranking')).toHaveCount(0);
    await boris.getByTestId('reference-card').filter({ hasText: project }).getByTestId('reference-open').click();
    await expect(boris.getByTestId('map-project').filter({ hasText: project })).toBeVisible();
  });
});

test('follow me moves participants to the facilitator; a participant can break out; bring everyone here is one-shot', async ({ browser }) => {
  const { facilitator, anna, boris } = await openSession(browser, 'Рабочая группа: транспорт');
  const viewportOf = (page: Page) =>
    page.locator('.react-flow__viewport').evaluate((el) => getComputedStyle(el).transform);

  await facilitator.getByTestId('follow-me').click();
  await expect(anna.getByTestId('following')).toBeVisible();
  await expect(boris.getByTestId('following')).toBeVisible();

  // the facilitator zooms out; both participants follow
  const canvas = (await facilitator.getByTestId('board-canvas').boundingBox())!;
  await facilitator.mouse.move(canvas.x + canvas.width / 2, canvas.y + canvas.height / 2);
  await facilitator.mouse.wheel(0, 600);
  await expect.poll(() => viewportOf(anna), { timeout: 10_000 }).toBe(await viewportOf(facilitator));
  expect(await viewportOf(boris)).toBe(await viewportOf(facilitator));

  // Boris breaks out and stays where he is
  await boris.getByTestId('break-out').click();
  await expect(boris.getByTestId('follow-again')).toBeVisible();
  const borisView = await viewportOf(boris);
  await facilitator.mouse.wheel(0, -300);
  await expect.poll(() => viewportOf(anna)).toBe(await viewportOf(facilitator));
  expect(await viewportOf(boris)).toBe(borisView);

  // bring everyone here brings Boris back once
  await facilitator.getByTestId('follow-me').click();
  await expect(anna.getByTestId('following')).toHaveCount(0);
  await facilitator.getByTestId('bring-here').click();
  await expect.poll(() => viewportOf(boris)).toBe(await viewportOf(facilitator));
});
