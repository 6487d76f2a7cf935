import { Badge, Box, Tooltip } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { HostErrorCode } from '../../../shared/host';
import { errorKey } from '../../i18n';
import type { WorkspaceSyncStatus } from '../workspace/use-connected-doc';

const colors = { online: 'teal', connecting: 'yellow', syncing: 'blue', offline: 'red', ended: 'gray' } as const;

/** Always in the header: online, syncing, offline with N unsynced changes, or session ended; `problem` says why it is offline. */
export function ConnectionBadge(props: { status: WorkspaceSyncStatus; isFile: boolean; problem?: HostErrorCode | undefined }) {
  const { t } = useTranslation();
  const { state, unsynced } = props.status;
  const label = (() => {
    switch (state) {
      case 'online':
        return t(props.isFile ? 'connection.local' : 'connection.online');
      case 'connecting':
        return t('connection.connecting');
      case 'syncing':
        return unsynced > 0 ? t('sharing.connection.syncingCount', { count: unsynced }) : t('sharing.connection.syncing');
      case 'offline':
        if (props.isFile) return t('errors.saveFailed');
        return unsynced > 0 ? t('sharing.connection.offlineUnsynced', { count: unsynced }) : t('connection.offline');
      case 'ended':
        return t('sharing.connection.ended');
    }
  })();
  const color = colors[state];
  const why = props.problem && state === 'offline' ? t(errorKey({ code: props.problem })) : undefined;
  return (
    <>
      <Tooltip label={why} disabled={!why} multiline w={320}>
      <Badge
        variant="dot"
        color={color}
        size="lg"
        style={{ flexShrink: 0, textTransform: 'none' }}
        data-testid="connection-state"
        data-state={state}
        data-unsynced={unsynced}
        data-problem={props.problem}
        visibleFrom="sm"
      >
        {label}
      </Badge>
      </Tooltip>
      <Tooltip label={why ? `${label}. ${why}` : label} events={{ hover: true, focus: true, touch: true }}>
        <Box hiddenFrom="sm" className="connection-dot" bg={`${color}.6`} aria-label={label} role="status" />
      </Tooltip>
    </>
  );
}
