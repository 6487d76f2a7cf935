import { useCallback, useEffect, useState } from 'react';
import {
  ActionIcon,
  AppShell,
  Badge,
  Button,
  Card,
  Container,
  Divider,
  Group,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
  Title,
  Tooltip,
  UnstyledButton,
} from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { RecentWorkspace, WorkspaceRef } from '../../../shared/host';
import { useHost } from '../../app/host-context';
import { goToWorkspace } from '../../app/routing';
import { AppHeader } from '../../ui/AppHeader';
import { CloseIcon, FileIcon, LinkIcon, PlusIcon, ServerIcon } from '../../ui/icons';
import { notifyError } from '../../ui/notify';
import { rememberWorkspace } from '../workspace/open-workspaces';

export function HomeScreen() {
  const { t, i18n } = useTranslation();
  const host = useHost();
  const [recent, setRecent] = useState<RecentWorkspace[] | null>(null);
  const [name, setName] = useState('');
  const [link, setLink] = useState('');
  const [busy, setBusy] = useState<'create' | 'open' | 'join' | null>(null);

  const refresh = useCallback(() => {
    host.listRecent().then(setRecent, (error) => notifyError(t, error, 'listRecent'));
  }, [host, t]);
  useEffect(refresh, [refresh]);

  const enter = (ref: WorkspaceRef | null) => {
    if (!ref) return;
    rememberWorkspace(ref);
    goToWorkspace(ref.id);
  };

  const run = async (kind: 'create' | 'open' | 'join', action: () => Promise<WorkspaceRef | null>) => {
    setBusy(kind);
    try {
      enter(await action());
    } catch (error) {
      notifyError(t, error, kind);
    } finally {
      setBusy(null);
    }
  };

  const create = () =>
    run('create', () =>
      host.createWorkspace({
        name: name.trim() || t('home.defaultName'),
        firstBoardTitle: t('home.firstBoardTitle'),
      }),
    );

  const dateFormat = new Intl.DateTimeFormat(i18n.language, { dateStyle: 'medium', timeStyle: 'short' });

  return (
    <AppShell header={{ height: 56 }} padding="md">
      <AppShell.Header>
        <AppHeader />
      </AppShell.Header>
      <AppShell.Main className="home-main">
        <Container size="lg" py="xl">
          <Stack gap={4} mb="xl">
            <Title order={1} data-testid="home-title">
              {t('app.name')}
            </Title>
            <Text c="dimmed" size="lg">
              {t('app.tagline')}
            </Text>
          </Stack>
          <SimpleGrid cols={{ base: 1, md: 2 }} spacing="xl">
            <Stack gap="lg">
              <Card withBorder padding="lg" radius="lg" shadow="xs">
                <Title order={3} mb={4}>
                  {t('home.create')}
                </Title>
                <Text size="sm" c="dimmed" mb="md">
                  {t('home.createHint')}
                </Text>
                <form
                  onSubmit={(event) => {
                    event.preventDefault();
                    void create();
                  }}
                >
                  <Group align="flex-end" wrap="nowrap">
                    <TextInput
                      style={{ flex: 1 }}
                      label={t('home.nameLabel')}
                      placeholder={t('home.namePlaceholder')}
                      value={name}
                      maxLength={200}
                      onChange={(event) => setName(event.currentTarget.value)}
                      data-testid="workspace-name-input"
                    />
                    <Button type="submit" leftSection={<PlusIcon />} loading={busy === 'create'} data-testid="create-workspace">
                      {t('common.create')}
                    </Button>
                  </Group>
                </form>
                {host.kind === 'desktop' && (
                  <>
                    <Divider my="md" />
                    <Button
                      variant="light"
                      leftSection={<FileIcon />}
                      loading={busy === 'open'}
                      onClick={() => void run('open', () => host.openWorkspaceFile())}
                      data-testid="open-file"
                    >
                      {t('home.openFile')}
                    </Button>
                  </>
                )}
              </Card>
              <Card withBorder padding="lg" radius="lg" shadow="xs">
                <Title order={3} mb="md">
                  {t('home.join')}
                </Title>
                <form
                  onSubmit={(event) => {
                    event.preventDefault();
                    void run('join', () => host.joinByLink(link));
                  }}
                >
                  <Group align="flex-end" wrap="nowrap">
                    <TextInput
                      style={{ flex: 1 }}
                      placeholder={t('home.joinPlaceholder')}
                      leftSection={<LinkIcon />}
                      value={link}
                      onChange={(event) => setLink(event.currentTarget.value)}
                      data-testid="join-link-input"
                    />
                    <Button type="submit" variant="default" loading={busy === 'join'} disabled={!link.trim()}>
                      {t('home.joinAction')}
                    </Button>
                  </Group>
                </form>
              </Card>
            </Stack>
            <Stack gap="sm">
              <Title order={3}>{t('home.recent')}</Title>
              {recent?.length === 0 && (
                <Card withBorder radius="lg" padding="lg" className="empty-card">
                  <Text c="dimmed">{t('home.recentEmpty')}</Text>
                </Card>
              )}
              {recent?.map((entry) => (
                <Card key={entry.id} withBorder radius="lg" padding="md" className="recent-card" data-testid="recent-workspace">
                  <Group justify="space-between" wrap="nowrap">
                    <UnstyledButton
                      style={{ flex: 1, minWidth: 0 }}
                      onClick={() => void run('open', () => host.openWorkspace(entry.id))}
                    >
                      <Text fw={600} truncate>
                        {entry.name}
                      </Text>
                      <Group gap="xs" mt={4}>
                        <Badge
                          variant="light"
                          color={entry.location.kind === 'file' ? 'gray' : 'indigo'}
                          leftSection={entry.location.kind === 'file' ? <FileIcon /> : <ServerIcon />}
                        >
                          {entry.location.kind === 'file' ? t('home.localFile') : t('home.onServer')}
                        </Badge>
                        <Text size="xs" c="dimmed">
                          {t('home.openedAt', { when: dateFormat.format(new Date(entry.openedAt)) })}
                        </Text>
                      </Group>
                      {entry.location.kind === 'file' && (
                        <Text size="xs" c="dimmed" truncate mt={2}>
                          {entry.location.path}
                        </Text>
                      )}
                    </UnstyledButton>
                    <Tooltip label={t('home.forget')}>
                      <ActionIcon
                        variant="subtle"
                        color="gray"
                        aria-label={t('home.forget')}
                        onClick={() => void host.forgetRecent(entry.id).then(refresh)}
                      >
                        <CloseIcon />
                      </ActionIcon>
                    </Tooltip>
                  </Group>
                </Card>
              ))}
            </Stack>
          </SimpleGrid>
        </Container>
      </AppShell.Main>
    </AppShell>
  );
}
