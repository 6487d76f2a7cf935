import { useCallback, useEffect, useState } from 'react';
import { Alert, Button, Group, Modal, PasswordInput, Radio, Stack, Text, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useTranslation } from 'react-i18next';
import type { Publishing, ServerConnection, WorkspaceRef } from '../../../shared/host';
import { normalizeServerUrl } from '../../../shared/links';
import { errorKey } from '../../i18n';
import { notifyError } from '../../ui/notify';
import { useBusyAction } from '../../ui/use-busy-action';
import { InviteDialog } from './InviteDialog';
import type { PublicationState } from './use-publication';

/**
 * The header button of a local workspace file in the desktop app: «Опубликовать на сервере»
 * until it is published, then «Пригласить».
 */
export function PublishButton(props: { workspace: WorkspaceRef; publication: PublicationState & { publishing: Publishing } }) {
  const { t } = useTranslation();
  const [opened, setOpened] = useState(false);
  const { publication, publishing, refresh } = props.publication;
  return (
    <>
      <Button variant="light" onClick={() => setOpened(true)} data-testid={publication ? 'invite-open' : 'publish-open'} visibleFrom="sm">
        {t(publication ? 'sharing.invite.open' : 'sharing.publish.open')}
      </Button>
      {opened && !publication && (
        <PublishDialog
          workspace={props.workspace}
          publishing={publishing}
          onPublished={refresh}
          onClose={() => setOpened(false)}
        />
      )}
      {opened && publication && (
        <InviteDialog
          workspace={props.workspace}
          serverLabel={publication.serverUrl}
          onUnpublish={async () => {
            await publishing.unpublish(props.workspace.id);
            notifications.show({ color: 'gray', message: t('sharing.publish.unpublished') });
            setOpened(false);
            refresh();
          }}
          onClose={() => setOpened(false)}
        />
      )}
    </>
  );
}

function PublishDialog(props: { workspace: WorkspaceRef; publishing: Publishing; onPublished: () => void; onClose: () => void }) {
  const { t } = useTranslation();
  const { publishing, workspace } = props;
  const [servers, setServers] = useState<ServerConnection[] | null>(null);
  const [chosen, setChosen] = useState<string | null>(null);
  const [adding, setAdding] = useState(false);
  const [busy, run] = useBusyAction();

  const load = useCallback(() => {
    publishing.listServers().then(
      (found) => {
        setServers(found);
        setAdding(found.length === 0);
        setChosen((current) => (found.some((server) => server.id === current) ? current : (found[0]?.id ?? null)));
      },
      (error: unknown) => notifyError(t, error, 'listServers'),
    );
  }, [publishing, t]);
  useEffect(load, [load]);

  const publish = () =>
    run(async () => {
      if (!chosen) return;
      await publishing.publish(workspace.id, chosen);
      notifications.show({ color: 'teal', message: t('sharing.publish.published') });
      props.onPublished();
    }, 'publish');

  const remove = async (id: string) => {
    try {
      await publishing.removeServer(id);
      load();
    } catch (error) {
      notifyError(t, error, 'removeServer');
    }
  };

  return (
    <Modal opened onClose={props.onClose} title={t('sharing.publish.title')} size="lg" centered>
      <Stack>
        <Text size="sm">{t('sharing.publish.intro')}</Text>
        {servers && servers.length > 0 && (
          <Radio.Group label={t('sharing.publish.server')} value={chosen} onChange={setChosen}>
            <Stack gap="xs" mt="xs">
              {servers.map((server) => (
                <Group key={server.id} justify="space-between" wrap="nowrap">
                  <Radio value={server.id} label={`${server.label} (${server.url})`} data-testid="publish-server" />
                  <Button variant="subtle" color="red" size="xs" onClick={() => void remove(server.id)} title={t('sharing.publish.removeServerHint')}>
                    {t('sharing.publish.removeServer')}
                  </Button>
                </Group>
              ))}
            </Stack>
          </Radio.Group>
        )}
        {servers?.length === 0 && <Text size="sm" c="dimmed">{t('sharing.publish.noServers')}</Text>}
        {adding ? (
          <ServerForm
            publishing={publishing}
            onSaved={(server) => {
              setChosen(server.id);
              load();
            }}
          />
        ) : (
          <Button variant="subtle" onClick={() => setAdding(true)} data-testid="publish-add-server" style={{ alignSelf: 'flex-start' }}>
            {t('sharing.publish.addServer')}
          </Button>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={props.onClose}>
            {t('sharing.publish.cancel')}
          </Button>
          <Button onClick={() => void publish()} loading={busy} disabled={!chosen} data-testid="publish-confirm">
            {t('sharing.publish.publish')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

/** A new server connection: the address is checked here, the admin key by the server, before anything is saved. */
function ServerForm(props: { publishing: Publishing; onSaved: (server: ServerConnection) => void }) {
  const { t } = useTranslation();
  const [url, setUrl] = useState('');
  const [adminKey, setAdminKey] = useState('');
  const [label, setLabel] = useState('');
  const [touched, setTouched] = useState(false);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<unknown>(null);
  const urlError = touched && url.trim() !== '' && !normalizeServerUrl(url) ? t('sharing.publish.urlInvalid') : null;

  const save = async () => {
    setTouched(true);
    if (!normalizeServerUrl(url) || !adminKey) return;
    setBusy(true);
    setFailure(null);
    try {
      const server = await props.publishing.saveServer({ url, adminKey, ...(label.trim() ? { label } : {}) });
      notifications.show({ color: 'teal', message: t('sharing.publish.serverSaved') });
      setAdminKey('');
      props.onSaved(server);
    } catch (error) {
      setFailure(error);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Stack gap="xs" p="sm" style={{ border: '1px solid var(--mantine-color-gray-3)', borderRadius: 8 }}>
      <TextInput
        label={t('sharing.publish.url')}
        placeholder={t('sharing.publish.urlPlaceholder')}
        value={url}
        onChange={(event) => setUrl(event.currentTarget.value)}
        onBlur={() => setTouched(true)}
        error={urlError}
        required
        data-testid="server-url"
      />
      <PasswordInput
        label={t('sharing.publish.adminKey')}
        description={t('sharing.publish.adminKeyHint')}
        value={adminKey}
        onChange={(event) => setAdminKey(event.currentTarget.value)}
        required
        autoComplete="off"
        data-testid="server-admin-key"
      />
      <TextInput label={t('sharing.publish.label')} value={label} onChange={(event) => setLabel(event.currentTarget.value)} maxLength={200} />
      {failure !== null && <ServerFailure error={failure} />}
      <Group justify="flex-end">
        <Button onClick={() => void save()} loading={busy} disabled={!url.trim() || !adminKey} data-testid="server-save">
          {t('sharing.publish.saveServer')}
        </Button>
      </Group>
    </Stack>
  );
}

function ServerFailure(props: { error: unknown }) {
  const { t } = useTranslation();
  return (
    <Alert color="red" data-testid="server-error">
      <Text size="sm">{t(errorKey(props.error))}</Text>
    </Alert>
  );
}
