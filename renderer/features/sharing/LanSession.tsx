import { useCallback, useEffect, useState } from 'react';
import { Alert, Box, Button, Code, CopyButton, Group, Loader, Modal, SegmentedControl, Select, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useTranslation } from 'react-i18next';
import type { LanAddress, LanHosting, LanSessionInfo, WorkspaceRef } from '../../../shared/host';
import { notifyError } from '../../ui/notify';
import { useBusyAction } from '../../ui/use-busy-action';
import { QrCode } from './QrCode';

type ParticipantRole = 'editor' | 'viewer';

/** The header button: opens the dialog, and says when a session is running. */
export function LanSessionButton(props: { workspace: WorkspaceRef; lanHosting: LanHosting }) {
  const { t } = useTranslation();
  const [opened, setOpened] = useState(false);
  const [session, setSession] = useState<LanSessionInfo | null>(null);
  useEffect(() => {
    void props.lanHosting.current(props.workspace.id).then(setSession, () => setSession(null));
  }, [props.lanHosting, props.workspace.id]);
  return (
    <>
      <Button
        variant={session ? 'filled' : 'light'}
        color={session ? 'green' : undefined}
        onClick={() => setOpened(true)}
        data-testid="lan-session-open"
        visibleFrom="sm"
      >
        {t(session ? 'sharing.lan.running' : 'sharing.lan.open')}
      </Button>
      {opened && (
        <LanSessionDialog
          workspace={props.workspace}
          lanHosting={props.lanHosting}
          session={session}
          onSession={setSession}
          onClose={() => setOpened(false)}
        />
      )}
    </>
  );
}

function LanSessionDialog(props: {
  workspace: WorkspaceRef;
  lanHosting: LanHosting;
  session: LanSessionInfo | null;
  onSession: (session: LanSessionInfo | null) => void;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const { lanHosting, workspace, session } = props;
  const [addresses, setAddresses] = useState<LanAddress[] | null>(null);
  const [address, setAddress] = useState<string | null>(null);
  const [role, setRole] = useState<ParticipantRole>('editor');
  const [link, setLink] = useState<string | null>(null);
  const [busy, run] = useBusyAction();

  const findAddresses = useCallback(() => {
    setAddresses(null);
    lanHosting.addresses().then(
      (found) => {
        setAddresses(found);
        setAddress((chosen) => (found.some((entry) => entry.address === chosen) ? chosen : (found[0]?.address ?? null)));
      },
      (error: unknown) => notifyError(t, error, 'lanAddresses'),
    );
  }, [lanHosting, t]);
  useEffect(findAddresses, [findAddresses]);

  useEffect(() => {
    setLink(null);
    if (!session) return;
    let live = true;
    lanHosting.joinLink(workspace.id, role).then(
      (value) => live && setLink(value),
      (error: unknown) => notifyError(t, error, 'lanJoinLink'),
    );
    return () => {
      live = false;
    };
  }, [lanHosting, workspace.id, session, role, t]);

  const start = () => run(async () => props.onSession(await lanHosting.start(workspace.id, address!)), 'lanStart');
  const stop = () =>
    run(async () => {
      await lanHosting.stop(workspace.id);
      props.onSession(null);
      notifications.show({ color: 'gray', message: t('sharing.lan.stopped') });
    }, 'lanStop');

  return (
    <Modal opened onClose={props.onClose} title={t('sharing.lan.title')} size={session ? 'xl' : 'md'} centered>
      {!session && (
        <Stack>
          <Text size="sm">{t('sharing.lan.intro')}</Text>
          {addresses === null && <Loader size="sm" />}
          {addresses?.length === 0 && (
            <Alert color="orange" data-testid="lan-no-network">
              <Text size="sm">{t('sharing.lan.noNetwork')}</Text>
              <Button variant="subtle" size="xs" mt="xs" onClick={findAddresses}>
                {t('sharing.lan.retry')}
              </Button>
            </Alert>
          )}
          {addresses && addresses.length > 1 && (
            <Select
              label={t('sharing.lan.network')}
              data={addresses.map((entry) => ({ value: entry.address, label: `${entry.address} (${entry.name})` }))}
              value={address}
              onChange={setAddress}
              allowDeselect={false}
              data-testid="lan-address"
            />
          )}
          <Group justify="flex-end">
            <Button onClick={() => void start()} loading={busy} disabled={!address} data-testid="lan-session-start">
              {t('sharing.lan.start')}
            </Button>
          </Group>
        </Stack>
      )}
      {session && (
        <Stack align="center" gap="md">
          <SegmentedControl
            value={role}
            onChange={(value) => setRole(value as ParticipantRole)}
            data={[
              { value: 'editor', label: t('sharing.lan.roleEditor') },
              { value: 'viewer', label: t('sharing.lan.roleViewer') },
            ]}
            aria-label={t('sharing.lan.role')}
            data-testid="lan-role"
          />
          <Text size="lg">{t('sharing.lan.scan')}</Text>
          {/* Big enough to scan from the back of the hall when projected. */}
          <Box>{link ? <QrCode value={link} size={420} alt={t('sharing.lan.qrAlt')} testId="lan-qr" /> : <Loader />}</Box>
          {link && (
            <Code fz={22} p="sm" data-testid="lan-link" style={{ wordBreak: 'break-all', textAlign: 'center' }}>
              {link}
            </Code>
          )}
          <Group>
            <CopyButton value={link ?? ''}>
              {({ copied, copy }) => (
                <Button variant="light" onClick={copy} disabled={!link}>
                  {t(copied ? 'sharing.lan.copied' : 'sharing.lan.copy')}
                </Button>
              )}
            </CopyButton>
            <Button color="red" onClick={() => void stop()} loading={busy} data-testid="lan-session-stop">
              {t('sharing.lan.stop')}
            </Button>
          </Group>
        </Stack>
      )}
    </Modal>
  );
}
