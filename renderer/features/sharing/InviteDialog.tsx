import { useCallback, useEffect, useState } from 'react';
import { Badge, Box, Button, Code, CopyButton, Divider, Group, Modal, SegmentedControl, Select, Stack, Text, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useTranslation } from 'react-i18next';
import type { Invite, Invites, WorkspaceRef } from '../../../shared/host';
import type { Role } from '../../../shared/roles';
import { useHost } from '../../app/host-context';
import { notifyError } from '../../ui/notify';
import { useBusyAction } from '../../ui/use-busy-action';
import { QrCode } from './QrCode';

const DAY = 24 * 3600;
const expiries = [
  { seconds: DAY, key: 'expiry1d' },
  { seconds: 7 * DAY, key: 'expiry7d' },
  { seconds: 30 * DAY, key: 'expiry30d' },
  { seconds: 90 * DAY, key: 'expiry90d' },
] as const;

const roleKeys = { facilitator: 'roleFacilitator', editor: 'roleEditor', viewer: 'roleViewer' } as const satisfies Record<Role, string>;

/** The browser edition's «Пригласить» for a facilitator who came with a token; hidden for everyone else. */
export function InviteButton(props: { workspace: WorkspaceRef }) {
  const { t } = useTranslation();
  const host = useHost();
  const [available, setAvailable] = useState(false);
  const [opened, setOpened] = useState(false);
  useEffect(() => {
    let live = true;
    host.invites?.available(props.workspace).then(
      (yes) => live && setAvailable(yes),
      () => live && setAvailable(false),
    );
    return () => {
      live = false;
    };
  }, [host, props.workspace]);
  if (!available) return null;
  return (
    <>
      <Button variant="light" onClick={() => setOpened(true)} data-testid="invite-open" visibleFrom="sm">
        {t('sharing.invite.open')}
      </Button>
      {opened && <InviteDialog workspace={props.workspace} onClose={() => setOpened(false)} />}
    </>
  );
}

/** Issues invite links of a role and expiry, shows the newest as a QR code, and lists (and, where possible, revokes) the issued ones. */
export function InviteDialog(props: { workspace: WorkspaceRef; serverLabel?: string; onUnpublish?: () => Promise<void>; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const invites = useHost().invites as Invites;
  const { workspace } = props;
  const [role, setRole] = useState<Role>('editor');
  const [ttlSeconds, setTtlSeconds] = useState<number>(7 * DAY);
  const [name, setName] = useState('');
  const [created, setCreated] = useState<Invite | null>(null);
  const [issued, setIssued] = useState<Invite[]>([]);
  const [busy, run] = useBusyAction();

  const load = useCallback(() => {
    invites.list(workspace).then(setIssued, (error: unknown) => notifyError(t, error, 'listInvites'));
  }, [invites, workspace, t]);
  useEffect(load, [load]);

  const create = () =>
    run(async () => {
      const invite = await invites.create(workspace, { role, ttlSeconds, ...(name.trim() ? { name: name.trim() } : {}) });
      setCreated(invite);
      setName('');
      load();
    }, 'createInvite');
  const revoke = (tokenId: string) =>
    run(async () => {
      await invites.revoke(workspace, tokenId);
      notifications.show({ color: 'gray', message: t('sharing.invite.revokedDone') });
      if (created?.tokenId === tokenId) setCreated(null);
      load();
    }, 'revokeInvite');

  const dateFormat = new Intl.DateTimeFormat(i18n.language, { dateStyle: 'medium', timeStyle: 'short' });
  const now = Date.now() / 1000;

  return (
    <Modal opened onClose={props.onClose} title={t('sharing.invite.title')} size="xl" centered>
      <Stack>
        {props.serverLabel && (
          <Text size="sm" c="dimmed" data-testid="publication-server">
            {t('sharing.publish.on', { server: props.serverLabel })}
          </Text>
        )}
        <SegmentedControl
          value={role}
          onChange={(value) => setRole(value as Role)}
          data={(['facilitator', 'editor', 'viewer'] as const).map((value) => ({ value, label: t(`sharing.invite.${roleKeys[value]}`) }))}
          aria-label={t('sharing.invite.role')}
          data-testid="invite-role"
        />
        <Text size="xs" c="dimmed">
          {t('sharing.invite.roleHint')}
        </Text>
        <Group grow align="flex-end">
          <Select
            label={t('sharing.invite.expiry')}
            data={expiries.map((entry) => ({ value: String(entry.seconds), label: t(`sharing.invite.${entry.key}`) }))}
            value={String(ttlSeconds)}
            onChange={(value) => value && setTtlSeconds(Number(value))}
            allowDeselect={false}
            data-testid="invite-expiry"
          />
          <TextInput
            label={t('sharing.invite.name')}
            placeholder={t('sharing.invite.namePlaceholder')}
            value={name}
            onChange={(event) => setName(event.currentTarget.value)}
            maxLength={200}
            data-testid="invite-name"
          />
        </Group>
        <Group justify="flex-end">
          <Button onClick={() => void create()} loading={busy} data-testid="invite-create">
            {t('sharing.invite.create')}
          </Button>
        </Group>
        {created && (
          <Stack align="center" gap="sm">
            <Box>
              <QrCode value={created.link} size={260} alt={t('sharing.invite.qrAlt')} testId="invite-qr" />
            </Box>
            <Code p="sm" data-testid="invite-link" style={{ wordBreak: 'break-all', maxWidth: '100%' }}>
              {created.link}
            </Code>
            <CopyButton value={created.link}>
              {({ copied, copy }) => (
                <Button variant="light" onClick={copy}>
                  {t(copied ? 'sharing.invite.copied' : 'sharing.invite.copy')}
                </Button>
              )}
            </CopyButton>
          </Stack>
        )}
        <Divider label={t('sharing.invite.issued')} labelPosition="left" />
        {issued.length === 0 && (
          <Text size="sm" c="dimmed">
            {t('sharing.invite.none')}
          </Text>
        )}
        <Stack gap={6} data-testid="invite-list">
          {issued.map((invite) => {
            const expired = invite.expiresAt <= now;
            return (
              <Group key={invite.tokenId} justify="space-between" wrap="nowrap" data-testid="invite-row" data-revoked={invite.revoked}>
                <Group gap="xs" wrap="nowrap" style={{ minWidth: 0 }}>
                  <Text size="sm" fw={500} truncate>
                    {invite.name ?? t('sharing.invite.unnamed')}
                  </Text>
                  <Badge variant="light">{t(`sharing.invite.${roleKeys[invite.role]}`)}</Badge>
                  <Text size="xs" c="dimmed">
                    {invite.revoked
                      ? t('sharing.invite.revoked')
                      : expired
                        ? t('sharing.invite.expired')
                        : t('sharing.invite.until', { date: dateFormat.format(invite.expiresAt * 1000) })}
                  </Text>
                </Group>
                {invites.canRevoke && !invite.revoked && !expired && (
                  <Button variant="subtle" color="red" size="xs" onClick={() => void revoke(invite.tokenId)} data-testid="invite-revoke">
                    {t('sharing.invite.revoke')}
                  </Button>
                )}
              </Group>
            );
          })}
        </Stack>
        {!invites.canRevoke && issued.length > 0 && (
          <Text size="xs" c="dimmed">
            {t('sharing.invite.noRevokeHere')}
          </Text>
        )}
        {props.onUnpublish && (
          <Group justify="flex-start">
            <Button variant="subtle" color="red" onClick={() => void run(props.onUnpublish!, 'unpublish')} data-testid="unpublish">
              {t('sharing.publish.unpublish')}
            </Button>
          </Group>
        )}
      </Stack>
    </Modal>
  );
}
