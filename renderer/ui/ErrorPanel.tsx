import { Alert, Button, Center, Stack } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { goHome } from '../app/routing';
import { errorKey } from '../i18n';

export function ErrorPanel(props: { error: unknown }) {
  const { t } = useTranslation();
  return (
    <Center h="100%" p="xl">
      <Stack maw={520}>
        <Alert color="red" title={t('errors.title')} data-testid="error-panel">
          {t(errorKey(props.error))}
        </Alert>
        <Button variant="default" onClick={goHome}>
          {t('workspace.toHome')}
        </Button>
      </Stack>
    </Center>
  );
}
