import { Alert, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';

/** Shown to participants when the facilitator stops the live session; the board stays readable. */
export function SessionEndedBanner(props: { unsynced: number }) {
  const { t } = useTranslation();
  return (
    <Alert color="gray" variant="filled" title={t('sharing.ended.title')} data-testid="session-ended" className="session-ended">
      <Text size="sm">{t('sharing.ended.body')}</Text>
      {props.unsynced > 0 && <Text size="sm">{t('sharing.ended.unsynced', { count: props.unsynced })}</Text>}
    </Alert>
  );
}
