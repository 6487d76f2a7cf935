import { expect, type Browser, type BrowserContext, type Download, type Locator, type Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';

// Steps the board e2e specs share: a workspace, a second participant, stickies and where they are.

export async function createWorkspace(page: Page, name: string) {
  await page.goto('/');
  await expect(page.getByTestId('home-title')).toHaveText('Стратборд');
  await page.getByTestId('workspace-name-input').fill(name);
  await page.getByTestId('create-workspace').click();
  await expect(page.getByTestId('workspace-name')).toHaveText(name);
  await expect(page.getByTestId('board-canvas')).toBeVisible();
}

export async function addSticky(page: Page, text: string) {
  await page.getByTestId('add-sticky').click();
  const editor = page.locator('textarea.sticky-editor');
  await expect(editor).toBeFocused();
  await editor.fill(text);
  await editor.press('Escape');
  await expect(editor).toHaveCount(0);
}

const openedContexts: BrowserContext[] = [];

/** Closes the contexts the helpers opened, so pages of finished tests stop syncing and rendering. */
export async function closeOpenedContexts() {
  for (const context of openedContexts.splice(0)) await context.close();
}

/** A page in a browser context of its own (its own profile and role), closed by `closeOpenedContexts`. */
export async function pageInNewContext(browser: Browser): Promise<{ page: Page; context: BrowserContext }> {
  const context = await browser.newContext();
  openedContexts.push(context);
  return { page: await context.newPage(), context };
}

/** A facilitator who creates a workspace and a participant who opens the same board. */
export async function facilitatorAndParticipant(browser: Browser, workspaceName: string) {
  const { page: facilitator } = await pageInNewContext(browser);
  const { page: participant, context: participantContext } = await pageInNewContext(browser);
  await createWorkspace(facilitator, workspaceName);
  await participant.goto(facilitator.url());
  await expect(participant.getByTestId('board-canvas')).toBeVisible({ timeout: 15_000 });
  return { facilitator, participant, participantContext };
}

export function stickyNode(page: Page, text: string) {
  return page.locator('.react-flow__node', { has: page.getByTestId('sticky-text').getByText(text, { exact: true }) });
}

/** The node's position in board coordinates, from the transform xyflow renders. */
export async function flowPosition(page: Page, text: string): Promise<{ x: number; y: number }> {
  return nodePosition(stickyNode(page, text));
}

export async function nodePosition(node: Locator): Promise<{ x: number; y: number }> {
  const transform = await node.evaluate((el) => (el as HTMLElement).style.transform);
  const match = /translate\((-?[\d.]+)px,\s*(-?[\d.]+)px\)/.exec(transform);
  if (!match) throw new Error(`no transform on node: ${transform}`);
  return { x: Number(match[1]), y: Number(match[2]) };
}

/** Exports the session summary from the board's menu; the downloaded file's path. */
export async function downloadSummary(page: Page, item: 'export-docx' | 'export-pdf'): Promise<{ file: string; download: Download }> {
  const waiting = page.waitForEvent('download');
  await page.getByTestId('export-summary').click();
  await page.getByTestId(item).click();
  const download = await waiting;
  return { file: await download.path(), download };
}

/** A PDF's text as pdftotext lays it out, runs of spaces folded. */
export function pdfText(file: string): string {
  return execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' }).replace(/[ \t]+/g, ' ');
}

function docxDocument(file: string): string {
  return execFileSync('unzip', ['-p', file, 'word/document.xml'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
}

function runsText(xml: string): string {
  return [...xml.matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((match) => match[1]).join('');
}

/** A DOCX's body text as a reader sees it: Word's runs joined. */
export function docxText(file: string): string {
  return runsText(docxDocument(file));
}

/** The rows of a DOCX's tables, each as its cells' texts. */
export function docxTableRows(file: string): string[][] {
  return [...docxDocument(file).matchAll(/<w:tr[ >][\s\S]*?<\/w:tr>/g)].map((row) => [...row[0].matchAll(/<w:tc>[\s\S]*?<\/w:tc>/g)].map((cell) => runsText(cell[0])));
}

/** Where a board point is on the screen, from the view transform xyflow renders. */
export async function screenPoint(page: Page, point: { x: number; y: number }) {
  return page.evaluate((p) => {
    const view = new DOMMatrixReadOnly(getComputedStyle(document.querySelector('.react-flow__viewport')!).transform);
    const pane = document.querySelector('.react-flow__pane')!.getBoundingClientRect();
    return { x: pane.left + view.m41 + p.x * view.m11, y: pane.top + view.m42 + p.y * view.m11, zoom: view.m11 };
  }, point);
}

/** The colour the board shows at a screen point (the overview canvas draws what the DOM no longer does). */
export async function overviewColor(page: Page, at: { x: number; y: number }): Promise<string> {
  return page.evaluate(({ x, y }) => {
    const canvas = document.querySelector<HTMLCanvasElement>('[data-testid="board-overview"]')!;
    const rect = canvas.getBoundingClientRect();
    const ratio = canvas.width / rect.width;
    const [r, g, b] = canvas.getContext('2d')!.getImageData(Math.round((x - rect.left) * ratio), Math.round((y - rect.top) * ratio), 1, 1).data;
    return `#${[r, g, b].map((c) => c!.toString(16).padStart(2, '0')).join('')}`;
  }, at);
}
