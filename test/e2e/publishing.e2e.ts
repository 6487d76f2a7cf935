import { expect, test, type BrowserContext } from '@playwright/test';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as Y from 'yjs';
import { createPublishing, type PublishingService } from '../../electron/main/publishing';
import { openSettingsStore } from '../../electron/main/settings-store';
import { createWorkspaceService, type WorkspaceService } from '../../electron/main/workspaces';
import { boardDocName, INDEX_DOC } from '../../shared/docs';
import type { PublicationStatus } from '../../shared/host';
import { BoardDoc, WorkspaceIndex } from '../../shared/model';
import { silentLogger } from '../../sync-server/src/logger';
import { startSyncServer, type SyncServer } from '../../sync-server/src/server';
import { addSticky } from './board-helpers';

// Publishing as the desktop app does it: the main process's workspace service holds a
// local file, the publishing service (the object the IPC handlers call) puts it on a sync
// server with token auth and keeps it in sync. A facilitator opens the desktop's invite in
// Chromium, invites an editor from the browser edition with their own token, and the
// editor's sticky reaches the facilitator's screen and the desktop's file.

const screenshots = join(import.meta.dirname, '../../test-results/screenshots');
mkdirSync(screenshots, { recursive: true });
const webEdition = join(import.meta.dirname, '../../out/web');
const adminKey = 'e2e-admin-key-of-the-office-server-0123';
const WINDOW = 1;

interface Setup {
  dir: string;
  server: SyncServer;
  workspaces: WorkspaceService;
  publishing: PublishingService;
  statuses: PublicationStatus[];
  workspaceId: string;
  boardDoc: string;
}

let setup: Setup | undefined;
const contexts: BrowserContext[] = [];

test.afterEach(async () => {
  for (const context of contexts.splice(0)) await context.close();
  if (!setup) return;
  setup.publishing.stopAll();
  await setup.workspaces.close();
  await setup.server.close();
  rmSync(setup.dir, { recursive: true, force: true });
  setup = undefined;
});

async function publishedWorkspace(): Promise<Setup> {
  const dir = mkdtempSync(join(tmpdir(), 'stratboard-publish-e2e-'));
  const dataDir = join(dir, 'server');
  mkdirSync(dataDir);
  const server = await startSyncServer({
    dataDir,
    staticDir: webEdition,
    logger: silentLogger,
    auth: { secret: new TextEncoder().encode('e2e secret of the office server, 32+ bytes'), revocationsFile: null },
    adminKey,
  });
  const settings = await openSettingsStore(join(dir, 'userData'));
  const workspaces = createWorkspaceService({ recent: settings, broadcast: () => {} });
  const statuses: PublicationStatus[] = [];
  const publishing = createPublishing({ settings, workspaces, onStatus: (status) => statuses.push(status), maxBackoffMs: 500 });
  const ref = await workspaces.createWorkspace({ name: 'Проектный офис района', firstBoardTitle: 'План на квартал' }, async () => join(dir, 'Офис'));
  const index = new Y.Doc();
  Y.applyUpdate(index, await workspaces.loadDoc(ref!.id, INDEX_DOC, WINDOW));
  const boardDoc = boardDocName(new WorkspaceIndex(index).boardList()[0]!.id);
  const connection = await publishing.saveServer({ url: server.url, adminKey, label: 'Сервер офиса' });
  await publishing.publish(ref!.id, connection.id);
  return { dir, server, workspaces, publishing, statuses, workspaceId: ref!.id, boardDoc };
}

async function stickiesInFile(app: Setup): Promise<string[]> {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, await app.workspaces.loadDoc(app.workspaceId, app.boardDoc, WINDOW));
  return new BoardDoc(doc, 'check').nodes.list().map((node) => node.text).sort();
}

test('a published workspace: the facilitator invited from the desktop invites an editor from the browser, whose sticky reaches everyone and the file', async ({ browser }) => {
  setup = await publishedWorkspace();
  await expect.poll(() => setup!.publishing.status(setup!.workspaceId)?.state).toBe('online');
  const facilitatorInvite = await setup.publishing.createInvite(setup.workspaceId, { role: 'facilitator', ttlSeconds: 3600, name: 'Модератор' });

  const facilitatorContext = await browser.newContext();
  const editorContext = await browser.newContext();
  contexts.push(facilitatorContext, editorContext);
  const facilitator = await facilitatorContext.newPage();
  await facilitator.goto(facilitatorInvite.link);
  await expect(facilitator.getByTestId('workspace-name')).toHaveText('Проектный офис района');
  await expect(facilitator.getByTestId('connection-state')).toHaveAttribute('data-state', 'online');
  // The browser edition can't publish: that stays a desktop action.
  await expect(facilitator.getByTestId('publish-open')).toHaveCount(0);

  await facilitator.getByTestId('invite-open').click();
  await facilitator.getByTestId('invite-role').getByText('Редактор').click();
  await facilitator.getByTestId('invite-name').fill('Анна Петрова');
  await facilitator.getByTestId('invite-create').click();
  const link = facilitator.getByTestId('invite-link');
  await expect(link).toContainText(`#/w/${setup.workspaceId}?t=`);
  await expect(facilitator.getByTestId('invite-qr')).toHaveAttribute('data-value', (await link.textContent())!);
  await expect(facilitator.getByTestId('invite-row')).toContainText('Анна Петрова');
  // A browser facilitator has no admin key: nothing to revoke with, and the dialog says who can.
  await expect(facilitator.getByTestId('invite-revoke')).toHaveCount(0);
  await facilitator.screenshot({ path: join(screenshots, 'publishing-invite.png') });
  const editorLink = (await link.textContent())!;
  await facilitator.keyboard.press('Escape');

  const editor = await editorContext.newPage();
  await editor.goto(editorLink);
  await expect(editor.getByTestId('workspace-name')).toHaveText('Проектный офис района');
  await expect(editor.getByTestId('invite-open')).toHaveCount(0);
  await addSticky(editor, 'Ремонт моста через Сосну');
  await expect(facilitator.getByTestId('sticky-text').getByText('Ремонт моста через Сосну', { exact: true })).toBeVisible();
  await expect.poll(() => stickiesInFile(setup!)).toEqual(['Ремонт моста через Сосну']);
  await expect.poll(() => setup!.publishing.status(setup!.workspaceId)).toEqual({ workspaceId: setup.workspaceId, state: 'online', unsynced: 0 });
});

test('the desktop revokes an invite: its holder is turned away when they come back', async ({ browser }) => {
  setup = await publishedWorkspace();
  const invite = await setup.publishing.createInvite(setup.workspaceId, { role: 'editor', ttlSeconds: 3600 });
  const context = await browser.newContext();
  contexts.push(context);
  const page = await context.newPage();
  await page.goto(invite.link);
  await expect(page.getByTestId('workspace-name')).toHaveText('Проектный офис района');

  await setup.publishing.revokeInvite(setup.workspaceId, invite.tokenId);
  const again = await context.newPage();
  await again.goto(invite.link);
  await expect(again.getByTestId('error-panel')).toContainText('Нет доступа к этому действию.');
});
