import { Kbd, Modal, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { shortcutHelp } from './shortcuts';

const groups = ['create', 'edit', 'view'] as const;

/** The help panel ("?" or Shift+/): every board shortcut. */
export function ShortcutHelp(props: { opened: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  return (
    <Modal opened={props.opened} onClose={props.onClose} title={t('canvas.help.title')} size="xl" data-testid="shortcut-help">
      <Text size="sm" c="dimmed" mb="md">
        {t('canvas.help.note')}
      </Text>
      <SimpleGrid cols={{ base: 1, sm: 3 }}>
        {groups.map((group) => (
          <Stack key={group} gap="xs">
            <Title order={5}>{t(`canvas.help.groups.${group}`)}</Title>
            <Table verticalSpacing={4} fz="sm">
              <Table.Tbody>
                {shortcutHelp
                  .filter((entry) => entry.group === group)
                  .map((entry) => (
                    <Table.Tr key={entry.label}>
                      <Table.Td style={{ whiteSpace: 'nowrap' }}>
                        {entry.keys.map((key, i) =>
                          key.startsWith('mouse.') ? (
                            <Text key={key} span size="xs" c="dimmed">
                              {t(`canvas.help.${key}`)}
                            </Text>
                          ) : (
                            <span key={key}>
                              {i > 0 && entry.keys.length > 1 && !['←', '↑', '→', '↓'].includes(key) ? ' + ' : ' '}
                              <Kbd size="xs">{key}</Kbd>
                            </span>
                          ),
                        )}
                      </Table.Td>
                      <Table.Td>{t(`canvas.help.keys.${entry.label}`)}</Table.Td>
                    </Table.Tr>
                  ))}
              </Table.Tbody>
            </Table>
          </Stack>
        ))}
      </SimpleGrid>
    </Modal>
  );
}
