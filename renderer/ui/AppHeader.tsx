import { ActionIcon, Group, Text, Tooltip } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { SettingsButton } from '../features/settings/SettingsDialog';

export function Logo() {
  const { t } = useTranslation();
  return (
    <Group gap={8} wrap="nowrap">
      <svg width="26" height="26" viewBox="0 0 26 26" aria-hidden>
        <rect x="1" y="1" width="11" height="11" rx="2" fill="#fab005" />
        <rect x="14" y="1" width="11" height="11" rx="2" fill="#4c6ef5" />
        <rect x="1" y="14" width="11" height="11" rx="2" fill="#12b886" />
        <rect x="14" y="14" width="11" height="11" rx="2" fill="#f06595" />
      </svg>
      <Text fw={700} size="lg" data-testid="app-name">
        {t('app.name')}
      </Text>
    </Group>
  );
}

export function AppHeader(props: { left?: ReactNode; right?: ReactNode }) {
  return (
    <Group h="100%" px="md" justify="space-between" wrap="nowrap" className="app-header">
      <Group gap="md" wrap="nowrap" style={{ minWidth: 0 }}>
        {props.left ?? <Logo />}
      </Group>
      <Group gap="xs" wrap="nowrap">
        {props.right}
        <SettingsButton />
      </Group>
    </Group>
  );
}

export function IconButton(props: { label: string; onClick: () => void; children: ReactNode; disabled?: boolean; testId?: string }) {
  return (
    <Tooltip label={props.label} withArrow openDelay={300}>
      <ActionIcon
        variant="subtle"
        color="gray"
        size="lg"
        aria-label={props.label}
        onClick={props.onClick}
        disabled={props.disabled}
        data-testid={props.testId}
      >
        {props.children}
      </ActionIcon>
    </Tooltip>
  );
}
