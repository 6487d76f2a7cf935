import { expect, test, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { addSticky, createWorkspace, stickyNode } from './board-helpers';

// A live session with a facilitator and two participants in three browser contexts.
// One test, in steps that build on each other; later steps of the session (a template
// first, a project card from the top cluster, the summary export) slot in between.

const screenshots = join(import.meta.dirname, '../../test-results/screenshots');
mkdirSync(screenshots, { recursive: true });

interface Session {
  facilitator: Page;
  anna: Page;
  boris: Page;
  everyone: Page[];
}

const contexts: BrowserContext[] = [];
test.afterEach(async () => {
  for (const context of contexts.splice(0)) await context.close();
});

async function newPage(browser: Browser): Promise<Page> {
  const context = await browser.newContext();
  contexts.push(context);
  return context.newPage();
}

async function openSession(browser: Browser, workspaceName: string): Promise<Session> {
  const facilitator = await newPage(browser);
  await createWorkspace(facilitator, workspaceName);
  const join = async () => {
    const page = await newPage(browser);
    await page.goto(facilitator.url());
    // the machine runs many things at once: a cold page may take a while to load
    await expect(page.getByTestId('board-canvas')).toBeVisible({ timeout: 30_000 });
    return page;
  };
  const anna = await join();
  const boris = await join();
  const everyone = [facilitator, anna, boris];
  for (const page of everyone) await expect(page.getByTestId('presence-avatar')).toHaveCount(3, { timeout: 15_000 });
  return { facilitator, anna, boris, everyone };
}

/** The canvas renders only what is in view: frame the whole board on every screen first. */
async function fitAll(pages: Page[]) {
  for (const page of pages) await page.getByTestId('fit-view').click();
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

async function expectSameTimer(pages: Page[], toleranceSeconds: number) {
  const values = await timerSeconds(pages);
  expect(Math.max(...values) - Math.min(...values), `timers ${values.join(', ')}`).toBeLessThanOrEqual(toleranceSeconds);
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
  return page.getByTestId('ranking-row').allInnerTexts();
}

async function votesLeft(page: Page): Promise<string | null> {
  return page.getByTestId('votes-remaining').getAttribute('data-remaining');
}

test('a facilitator runs a session: agenda and timer in sync, private writing, dot voting with one ranking for all', async ({ browser }) => {
  test.setTimeout(300_000);
  const { facilitator, anna, boris, everyone } = await openSession(browser, 'Стратсессия: Будущее района');

  await test.step('roles: only the facilitator has session controls', async () => {
    await expect(facilitator.getByTestId('next-stage')).toBeVisible();
    await expect(anna.getByTestId('session-bar')).toBeVisible();
    await expect(anna.getByTestId('next-stage')).toHaveCount(0);
    await expect(boris.getByTestId('open-voting')).toHaveCount(0);
  });

  // (session output) a template is applied here, bringing its frames and agenda.

  await test.step('agenda: the standard stages, the session starts at the first', async () => {
    await withAgenda(facilitator, async () => {
      await facilitator.getByTestId('default-agenda').click();
      await expect(facilitator.getByTestId('agenda-stage')).toHaveCount(5);
    });
    await facilitator.getByTestId('next-stage').click();
    for (const page of everyone) await expect(page.getByTestId('current-stage')).toHaveText('Проблемы');
  });

  await test.step('timer: started by the facilitator, the same remaining seconds on all three screens', async () => {
    await facilitator.getByTestId('timer-start').click();
    for (const page of everyone) await expect(page.getByTestId('session-timer')).toHaveAttribute('data-running', 'true');
    const [first] = await expectSameTimer(everyone, 1);
    expect(first).toBeGreaterThan(19 * 60);
    expect(first).toBeLessThanOrEqual(20 * 60);

    // joining late (a reload) shows the same time, computed from the doc
    await boris.reload();
    await expect(boris.getByTestId('session-timer')).toHaveAttribute('data-running', 'true', { timeout: 30_000 });
    await expectSameTimer(everyone, 1);

    await facilitator.getByTestId('timer-pause').click();
    for (const page of everyone) await expect(page.getByTestId('session-timer')).toHaveAttribute('data-running', 'false');
    const paused = await expectSameTimer(everyone, 0);
    await facilitator.getByTestId('timer-add-minute').click();
    for (const page of everyone) await expect(page.getByTestId('session-timer-value')).toHaveText(`${Math.floor((paused[0]! + 60) / 60)}:${String((paused[0]! + 60) % 60).padStart(2, '0')}`);
    await facilitator.screenshot({ path: join(screenshots, 'session-timer.png') });
  });

  await test.step('private writing: participants see only their own stickies until the facilitator reveals them', async () => {
    await withAgenda(facilitator, async () => {
      const ideas = facilitator.getByTestId('agenda-stage').nth(2);
      await expect(ideas).toBeInViewport();
      await ideas.getByTestId('stage-private').click();
      await expect(ideas.getByTestId('stage-private')).toBeChecked();
      await ideas.getByTestId('go-to-stage').click();
      await expect(ideas).toHaveAttribute('data-status', 'current');
    });
    for (const page of everyone) {
      await expect(page.getByTestId('current-stage')).toHaveText('Идеи');
      await expect(page.getByTestId('private-stage')).toBeVisible();
    }

    await addSticky(anna, 'Сквер у школы');
    await addSticky(boris, 'Велодорожка вдоль реки');
    await expect(stickyNode(anna, 'Сквер у школы')).toBeVisible();
    await expect(stickyNode(boris, 'Велодорожка вдоль реки')).toBeVisible();
    await expect(boris.getByTestId('hidden-count')).toHaveAttribute('data-count', '1');
    await expect(facilitator.getByTestId('hidden-count')).toHaveAttribute('data-count', '2');
    // counts include stickies out of view: each participant has exactly their own
    await expect(anna.getByTestId('sticky-count')).toHaveText('1 стикер');
    await expect(boris.getByTestId('sticky-count')).toHaveText('1 стикер');
    await expect(facilitator.getByTestId('sticky-count')).toHaveText('0 стикеров');
    await fitAll(everyone);
    await expect(stickyNode(boris, 'Сквер у школы')).toHaveCount(0);
    await expect(stickyNode(anna, 'Велодорожка вдоль реки')).toHaveCount(0);
    await expect(stickyNode(facilitator, 'Сквер у школы')).toHaveCount(0);
    await anna.screenshot({ path: join(screenshots, 'session-private.png') });

    await facilitator.getByTestId('reveal-private').click();
    for (const page of everyone) await expect(page.getByTestId('sticky-count')).toHaveText('2 стикера');
    await fitAll(everyone);
    for (const page of everyone) {
      await expect(stickyNode(page, 'Сквер у школы')).toBeVisible();
      await expect(stickyNode(page, 'Велодорожка вдоль реки')).toBeVisible();
    }
    await expect(anna.getByTestId('hidden-count')).toHaveCount(0);
  });

  await test.step('dot voting: three votes each, a double click or a reload adds none, one ranking everywhere', async () => {
    await facilitator.getByTestId('next-stage').click();
    for (const page of everyone) await expect(page.getByTestId('current-stage')).toHaveText('Голосование');
    await expect(facilitator.getByTestId('private-stage')).toHaveCount(0);
    await addSticky(facilitator, 'Освещение дворов');
    await addSticky(facilitator, 'Автобус чаще');
    await fitAll(everyone);
    for (const page of everyone) await expect(stickyNode(page, 'Автобус чаще')).toBeVisible();

    await facilitator.getByTestId('open-voting').click();
    await expect(facilitator.getByTestId('votes-per-person')).toHaveValue('3');
    await facilitator.getByTestId('start-voting').click();
    for (const page of everyone) await expect(page.getByTestId('votes-remaining')).toHaveAttribute('data-remaining', '3');

    // Anna double-clicks: one vote
    await stickyNode(anna, 'Сквер у школы').dblclick();
    await expect.poll(() => votesLeft(anna)).toBe('2');
    await expect(anna.locator('textarea.sticky-editor')).toHaveCount(0);
    await stickyNode(anna, 'Освещение дворов').click();
    await stickyNode(anna, 'Велодорожка вдоль реки').click();
    await expect.poll(() => votesLeft(anna)).toBe('0');
    await stickyNode(anna, 'Автобус чаще').click();
    await expect.poll(() => votesLeft(anna)).toBe('0');

    // Boris votes twice, reloads, and his votes are still spent
    await stickyNode(boris, 'Сквер у школы').click();
    await stickyNode(boris, 'Автобус чаще').click();
    await expect.poll(() => votesLeft(boris)).toBe('1');
    await boris.reload();
    await expect(boris.getByTestId('votes-remaining')).toHaveAttribute('data-remaining', '1', { timeout: 30_000 });
    await fitAll([boris]);
    await stickyNode(boris, 'Сквер у школы').click();
    await expect.poll(() => votesLeft(boris)).toBe('1');
    await stickyNode(boris, 'Освещение дворов').click();
    await expect.poll(() => votesLeft(boris)).toBe('0');

    for (const text of ['Сквер у школы', 'Освещение дворов', 'Автобус чаще']) await stickyNode(facilitator, text).click();
    await expect.poll(() => votesLeft(facilitator)).toBe('0');
    await facilitator.screenshot({ path: join(screenshots, 'session-voting.png') });

    await facilitator.getByTestId('close-voting').click();
    const ranking = await rankingOf(facilitator);
    expect(ranking).toHaveLength(4);
    expect(ranking.slice(0, 2).map((row) => row.replace(/\s+/g, ' '))).toEqual(
      expect.arrayContaining([expect.stringContaining('Сквер у школы'), expect.stringContaining('Освещение дворов')]),
    );
    expect(ranking[0]).toMatch(/3 голоса$/i);
    expect(ranking[1]).toMatch(/3 голоса$/i);
    expect(ranking[2]).toContain('Автобус чаще');
    expect(ranking[2]).toMatch(/2 голоса$/i);
    expect(ranking[3]).toContain('Велодорожка вдоль реки');
    expect(ranking[3]).toMatch(/1 голос$/i);
    expect(await rankingOf(anna)).toEqual(ranking);
    expect(await rankingOf(boris)).toEqual(ranking);

    // results stay on the board as badges
    await expect(stickyNode(boris, 'Сквер у школы').getByTestId('vote-badge')).toHaveAttribute('data-count', '3');
    await expect(stickyNode(anna, 'Велодорожка вдоль реки').getByTestId('vote-badge')).toHaveAttribute('data-count', '1');
    await boris.screenshot({ path: join(screenshots, 'session-ranking.png') });
  });

  // (session output) the top cluster becomes a project card, and the summary is exported.

  await test.step('agenda keeps the actual times of the stages passed', async () => {
    await withAgenda(anna, async () => {
      const stages = anna.getByTestId('agenda-stage');
      await expect(stages.nth(0)).toHaveAttribute('data-status', 'done');
      await expect(stages.nth(0).getByTestId('stage-actual')).toContainText('факт:');
      await expect(stages.nth(3)).toHaveAttribute('data-status', 'current');
    });
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
