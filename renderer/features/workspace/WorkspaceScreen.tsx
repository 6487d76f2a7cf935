import { useEffect, useMemo, useState, useSyncExternalStore } from 'react';
import { AppShell, Box, Burger, Button, Center, Group, Loader, NavLink, ScrollArea, Stack, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { useTranslation } from 'react-i18next';
import type * as Y from 'yjs';
import { INDEX_DOC } from '../../../shared/docs';
import type { WorkspaceRef } from '../../../shared/host';
import type { Id } from '../../../shared/ids';
import { joinLinkFor, type RegistryRouteFilter, type WorkspaceView } from '../../../shared/links';
import { WorkspaceIndex } from '../../../shared/model';
import { useHost } from '../../app/host-context';
import { goHome, goToWorkspace, goToWorkspaceView } from '../../app/routing';
import { AppHeader, IconButton } from '../../ui/AppHeader';
import { ErrorPanel } from '../../ui/ErrorPanel';
import { InlineTitle } from '../../ui/InlineTitle';
import { BoardIcon, HomeIcon, LinkIcon, PlusIcon } from '../../ui/icons';
import { notifyError } from '../../ui/notify';
import { useRecordList } from '../../ui/use-record';
import { BoardView, markBoardCreatedHere } from '../board/BoardView';
import { RegistryNav, RegistrySection } from '../registry/RegistrySection';
import { openedWorkspace, rememberWorkspace } from './open-workspaces';
import { useConnectedDoc, useWorkspaceSyncStatus } from './use-connected-doc';
import { ConnectionBadge } from '../sharing/ConnectionBadge';
import { LanSessionButton } from '../sharing/LanSession';
import { InviteButton } from '../sharing/InviteDialog';
import { PublishButton } from '../sharing/PublishDialog';
import { badgeStatus, usePublication } from '../sharing/use-publication';
import { SessionEndedBanner } from '../sharing/SessionEndedBanner';

export function WorkspaceScreen(props: { workspaceId: Id; boardId?: Id; section?: WorkspaceView; filter?: RegistryRouteFilter; token?: string }) {
  const { t } = useTranslation();
  const host = useHost();
  const [workspace, setWorkspace] = useState<WorkspaceRef | null>(() => openedWorkspace(props.workspaceId) ?? null);
  const [openError, setOpenError] = useState<unknown>(null);

  useEffect(() => {
    if (workspace) return;
    host.openWorkspace(props.workspaceId, props.token).then(
      (ref) => {
        rememberWorkspace(ref);
        setWorkspace(ref);
      },
      (error: unknown) => setOpenError(error),
    );
  }, [host, props.workspaceId, props.token, workspace]);

  const index = useConnectedDoc(workspace, INDEX_DOC);

  if (openError) return <ErrorPanel error={openError} />;
  if (index.status === 'error') return <ErrorPanel error={index.error} />;
  if (!workspace || index.status === 'loading') {
    return (
      <Center h="100vh">
        <Stack align="center">
          <Loader />
          <Text c="dimmed">{t('common.loading')}</Text>
        </Stack>
      </Center>
    );
  }
  return (
    <WorkspaceLayout
      workspace={workspace}
      indexDoc={index.doc}
      boardId={props.boardId}
      section={props.section}
      filter={props.filter}
    />
  );
}

function useWorkspaceName(index: WorkspaceIndex): string {
  return useSyncExternalStore(
    (onChange) => {
      const meta = index.doc.getMap('meta');
      meta.observe(onChange);
      return () => meta.unobserve(onChange);
    },
    () => index.name,
  );
}

function WorkspaceLayout(props: {
  workspace: WorkspaceRef;
  indexDoc: Y.Doc;
  boardId?: Id;
  section?: WorkspaceView;
  filter?: RegistryRouteFilter;
}) {
  const { t } = useTranslation();
  const host = useHost();
  const index = useMemo(() => new WorkspaceIndex(props.indexDoc, { window: 'local' }), [props.indexDoc]);
  const name = useWorkspaceName(index) || props.workspace.name;
  const boards = useRecordList(index.boards, () => index.boardList());
  const activeBoard = boards.find((board) => board.id === props.boardId) ?? boards[0];
  const sync = useWorkspaceSyncStatus(props.workspace.id);
  const isFile = props.workspace.location.kind === 'file';
  const published = usePublication(props.workspace);
  const badge = isFile ? badgeStatus(sync, published) : { status: sync, isFile: false };
  // On a phone the board list folds away behind a burger so the board gets the screen.
  const [navOpened, nav] = useDisclosure(false);

  const addBoard = () => {
    try {
      const board = index.addBoard(t('workspace.newBoardTitle', { n: boards.length + 1 }));
      markBoardCreatedHere(board.id);
      goToWorkspace(props.workspace.id, board.id);
      nav.close();
    } catch (error) {
      notifyError(t, error, 'addBoard');
    }
  };

  const rename = (action: () => void) => {
    try {
      action();
    } catch (error) {
      notifyError(t, error, 'rename');
    }
  };

  const copyLink = async () => {
    if (props.workspace.location.kind !== 'server') return;
    await navigator.clipboard?.writeText(joinLinkFor(props.workspace.location.serverUrl, props.workspace.id, activeBoard?.id));
    notifications.show({ color: 'teal', message: t('workspace.linkCopied') });
  };

  return (
    <AppShell header={{ height: 56 }} navbar={{ width: 240, breakpoint: 'sm', collapsed: { mobile: !navOpened } }} padding={0}>
      <AppShell.Header>
        <AppHeader
          left={
            <>
              <Burger opened={navOpened} onClick={nav.toggle} hiddenFrom="sm" size="sm" aria-label={t('workspace.boards')} />
              <IconButton label={t('workspace.toHome')} onClick={goHome} testId="go-home">
                <HomeIcon />
              </IconButton>
              <InlineTitle value={name} label={t('workspace.rename')} onRename={(title) => rename(() => index.rename(title))} testId="workspace-title">
                <Text fw={650} size="lg" truncate data-testid="workspace-name">
                  {name}
                </Text>
              </InlineTitle>
              <ConnectionBadge status={badge.status} isFile={badge.isFile} problem={badge.isFile ? undefined : published.status?.problem} />
            </>
          }
          right={
            <>
              {isFile && published.publishing && <PublishButton workspace={props.workspace} publication={{ ...published, publishing: published.publishing }} />}
              {isFile && host.lanHosting && <LanSessionButton workspace={props.workspace} lanHosting={host.lanHosting} />}
              {!isFile && host.invites && <InviteButton workspace={props.workspace} />}
              {props.workspace.location.kind === 'server' && (
                <>
                  <Button variant="light" leftSection={<LinkIcon />} onClick={() => void copyLink()} data-testid="copy-link" visibleFrom="sm">
                    {t('workspace.copyLink')}
                  </Button>
                  <Box hiddenFrom="sm">
                    <IconButton label={t('workspace.copyLink')} onClick={() => void copyLink()}>
                      <LinkIcon />
                    </IconButton>
                  </Box>
                </>
              )}
            </>
          }
        />
      </AppShell.Header>
      <AppShell.Navbar p="sm">
        <RegistryNav
          active={props.section}
          onOpen={(view) => {
            goToWorkspaceView(props.workspace.id, view);
            nav.close();
          }}
        />
        <Group justify="space-between" mb="xs" px={4}>
          <Text size="xs" fw={700} c="dimmed" tt="uppercase">
            {t('workspace.boards')}
          </Text>
        </Group>
        <ScrollArea style={{ flex: 1 }}>
          {boards.length === 0 && (
            <Text size="sm" c="dimmed" px={4}>
              {t('workspace.noBoards')}
            </Text>
          )}
          {boards.map((board) => (
            <NavLink
              key={board.id}
              label={
                <InlineTitle
                  value={board.title}
                  label={t('workspace.renameBoard')}
                  onRename={(title) => rename(() => index.boards.update(board.id, { title }))}
                  size="xs"
                >
                  {board.title}
                </InlineTitle>
              }
              leftSection={<BoardIcon />}
              active={!props.section && board.id === activeBoard?.id}
              onClick={() => {
                goToWorkspace(props.workspace.id, board.id);
                nav.close();
              }}
              data-testid="board-link"
              style={{ borderRadius: 8 }}
            />
          ))}
        </ScrollArea>
        <Button variant="subtle" leftSection={<PlusIcon />} onClick={addBoard} mt="sm" data-testid="add-board">
          {t('workspace.addBoard')}
        </Button>
      </AppShell.Navbar>
      <AppShell.Main className="workspace-main">
        {sync.state === 'ended' && <SessionEndedBanner unsynced={sync.unsynced} />}
        {props.section ? (
          <RegistrySection workspace={props.workspace} index={index} section={props.section} filter={props.filter} />
        ) : (
          activeBoard && <BoardView key={activeBoard.id} workspace={props.workspace} boardId={activeBoard.id} index={index} />
        )}
      </AppShell.Main>
    </AppShell>
  );
}
