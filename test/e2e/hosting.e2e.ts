import { expect, test, type BrowserContext } from '@playwright/test';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as Y from 'yjs';
import { createLanHosting, lanAddresses, type LanHostingService } from '../../electron/main/lan-host';
import { openSettingsStore } from '../../electron/main/settings-store';
import { createWorkspaceService, type WorkspaceService } from '../../electron/main/workspaces';
import { boardDocName, INDEX_DOC } from '../../shared/docs';
import { BoardDoc, WorkspaceIndex } from '../../shared/model';
import { silentLogger } from '../../sync-server/src/logger';
import { addSticky } from './board-helpers';

// A LAN live session as the desktop app runs it: the main process's workspace service
// holds the file open and the LAN hosting service (the same objects the IPC handlers
// call) serves it with the built browser edition. Participants are Chromium contexts.

const screenshots = join(import.meta.dirname, '../../test-results/screenshots');
mkdirSync(screenshots, { recursive: true });
const webEdition = join(import.meta.dirname, '../../out/web');
const WINDOW = 1;

interface DesktopApp {
  dir: string;
  workspaces: WorkspaceService;
  lanHosting: LanHostingService;
  workspaceId: string;
  boardDoc: string;
}

async function startDesktopApp(): Promise<DesktopApp> {
  const dir = mkdtempSync(join(tmpdir(), 'stratboard-hosting-'));
  const workspaces = createWorkspaceService({ recent: await openSettingsStore(join(dir, 'userData')), broadcast: () => {} });
  // A real LAN address when the machine has one, as in the hall; loopback otherwise.
  const address = lanAddresses()[0] ?? { name: 'lo', address: '127.0.0.1' };
  const lanHosting = createLanHosting({ workspaces, staticDir: webEdition, logger: silentLogger, addresses: () => [address] });
  const ref = await workspaces.createWorkspace({ name: 'Сессия в зале', firstBoardTitle: 'Идеи жителей' }, async () => join(dir, 'Зал'));
  const index = new Y.Doc();
  Y.applyUpdate(index, await workspaces.loadDoc(ref!.id, INDEX_DOC, WINDOW));
  const boardDoc = boardDocName(new WorkspaceIndex(index).boardList()[0]!.id);
  return { dir, workspaces, lanHosting, workspaceId: ref!.id, boardDoc };
}

async function stickiesInFile(app: DesktopApp): Promise<string[]> {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, await app.workspaces.loadDoc(app.workspaceId, app.boardDoc, WINDOW));
  return new BoardDoc(doc, 'check').nodes.list().map((node) => node.text).sort();
}

/** The facilitator's window adds a sticky: an update committed through the workspace service. */
async function facilitatorAddsSticky(app: DesktopApp, text: string, at: { x: number; y: number }): Promise<void> {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, await app.workspaces.loadDoc(app.workspaceId, app.boardDoc, WINDOW));
  const before = Y.encodeStateVector(doc);
  new BoardDoc(doc, 'facilitator').addSticky(at, { name: 'Модератор', color: '#1971c2' }, 'yellow', text);
  await app.workspaces.pushDocUpdate(app.workspaceId, app.boardDoc, Y.encodeStateAsUpdate(doc, before), WINDOW);
}

let app: DesktopApp | undefined;
const contexts: BrowserContext[] = [];
test.afterEach(async () => {
  for (const context of contexts.splice(0)) await context.close();
  if (!app) return;
  await app.lanHosting.stopAll();
  await app.workspaces.close();
  rmSync(app.dir, { recursive: true, force: true });
  app = undefined;
});

test('a facilitator hosts a session for the room; a participant joins by the link, edits the board and is told when it ends', async ({ browser }) => {
  app = await startDesktopApp();
  const [address] = app.lanHosting.addresses();
  const session = await app.lanHosting.start(app.workspaceId, address!.address);
  expect(session.url).toContain(address!.address);
  const link = await app.lanHosting.joinLink(app.workspaceId, 'editor');
  await facilitatorAddsSticky(app, 'Тема: дворы', { x: -220, y: 0 });

  const phone = await browser.newContext({ viewport: { width: 390, height: 800 }, isMobile: true, hasTouch: true });
  const laptopContext = await browser.newContext();
  contexts.push(phone, laptopContext);
  const participant = await phone.newPage();
  await participant.goto(link);
  await expect(participant.getByTestId('workspace-name')).toHaveText('Сессия в зале');
  await expect(participant.getByTestId('sticky-text').getByText('Тема: дворы', { exact: true })).toBeVisible();

  const laptop = await laptopContext.newPage();
  await laptop.goto(link);
  await expect(laptop.getByTestId('connection-state')).toHaveAttribute('data-state', 'online');
  await addSticky(laptop, 'Скамейки у подъездов');
  await expect.poll(() => stickiesInFile(app!)).toEqual(['Скамейки у подъездов', 'Тема: дворы']);
  await expect(participant.getByTestId('sticky-text').getByText('Скамейки у подъездов', { exact: true })).toBeVisible();

  await facilitatorAddsSticky(app, 'Вопрос модератора', { x: -220, y: 220 });
  await expect(laptop.getByTestId('sticky-text').getByText('Вопрос модератора', { exact: true })).toBeVisible();
  await expect(laptop.getByTestId('connection-state')).toHaveAttribute('data-state', 'online');
  await participant.screenshot({ path: join(screenshots, 'lan-session-phone.png') });

  await app.lanHosting.stop(app.workspaceId);
  for (const page of [participant, laptop]) {
    await expect(page.getByTestId('session-ended')).toContainText('Сессия завершена');
    await expect(page.getByTestId('sticky-text').getByText('Скамейки у подъездов', { exact: true })).toBeVisible();
  }
  await expect(laptop.getByTestId('connection-state')).toHaveAttribute('data-state', 'ended');
  await laptop.screenshot({ path: join(screenshots, 'lan-session-ended.png') });
  expect(await stickiesInFile(app)).toEqual(['Вопрос модератора', 'Скамейки у подъездов', 'Тема: дворы']);
});
