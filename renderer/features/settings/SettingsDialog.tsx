import { useState } from 'react';
import { Button, CheckIcon, ColorSwatch, Group, Modal, SegmentedControl, Stack, Text, TextInput } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { useTranslation } from 'react-i18next';
import type { Locale } from '../../../shared/host';
import { usePreferences } from '../../app/preferences';
import { IconButton } from '../../ui/AppHeader';
import { GearIcon } from '../../ui/icons';
import { notifyError } from '../../ui/notify';

const PROFILE_COLORS = ['#e8590c', '#2f9e44', '#1971c2', '#9c36b5', '#c2255c', '#0c8599', '#5f3dc4', '#495057'];

export function SettingsButton() {
  const { t } = useTranslation();
  const [opened, { open, close }] = useDisclosure(false);
  return (
    <>
      <IconButton label={t('settings.title')} onClick={open} testId="open-settings">
        <GearIcon />
      </IconButton>
      {opened && <SettingsDialog onClose={close} />}
    </>
  );
}

function SettingsDialog(props: { onClose: () => void }) {
  const { t } = useTranslation();
  const { settings, profile, updateSettings, updateProfile } = usePreferences();
  const [displayName, setDisplayName] = useState(profile.displayName);
  const [color, setColor] = useState(profile.color);

  const changeLocale = (locale: string) => {
    void updateSettings({ locale: locale as Locale }).catch((error) => notifyError(t, error, 'updateSettings'));
  };

  const saveProfile = async () => {
    try {
      await updateProfile({ displayName: displayName.trim() || profile.displayName, color });
      notifications.show({ color: 'teal', message: t('settings.saved') });
      props.onClose();
    } catch (error) {
      notifyError(t, error, 'updateProfile');
    }
  };

  return (
    <Modal opened onClose={props.onClose} title={t('settings.title')} centered>
      <Stack gap="lg">
        <Stack gap={6}>
          <Text fw={600} size="sm">
            {t('settings.language')}
          </Text>
          <SegmentedControl
            value={settings.locale}
            onChange={changeLocale}
            data={[
              { value: 'ru', label: t('languages.ru') },
              { value: 'en', label: t('languages.en') },
            ]}
            data-testid="locale-switch"
          />
        </Stack>
        <Stack gap={6}>
          <Text fw={600} size="sm">
            {t('settings.profile')}
          </Text>
          <TextInput
            label={t('settings.displayName')}
            description={t('settings.displayNameHint')}
            value={displayName}
            maxLength={80}
            onChange={(event) => setDisplayName(event.currentTarget.value)}
            data-testid="display-name-input"
          />
          <Text size="sm" mt="xs">
            {t('settings.color')}
          </Text>
          <Group gap="xs">
            {PROFILE_COLORS.map((swatch) => (
              <ColorSwatch
                key={swatch}
                component="button"
                type="button"
                color={swatch}
                onClick={() => setColor(swatch)}
                aria-pressed={swatch === color}
                style={{ cursor: 'pointer', color: '#fff' }}
              >
                {swatch === color && <CheckIcon style={{ width: 12, height: 12 }} />}
              </ColorSwatch>
            ))}
          </Group>
        </Stack>
        <Group justify="flex-end">
          <Button variant="default" onClick={props.onClose}>
            {t('common.cancel')}
          </Button>
          <Button onClick={() => void saveProfile()} data-testid="save-settings">
            {t('common.save')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
