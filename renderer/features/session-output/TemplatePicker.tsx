import { Badge, Button, Card, Group, Modal, ScrollArea, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { TemplateStage } from '../../../shared/model';
import type { WorkspaceIndex } from '../../../shared/model';
import { builtinTemplates } from '../../../shared/templates/builtin';
import type { TemplateContent } from '../../../shared/templates/apply';
import { useRecordList } from '../../ui/use-record';

export interface PickedTemplate {
  name: string;
  content: TemplateContent;
}

function TemplateCard(props: { name: string; description: string; frames: number; agenda: TemplateStage[]; onApply: () => void; testId: string }) {
  const { t } = useTranslation();
  return (
    <Card withBorder radius="md" padding="md" data-testid={props.testId}>
      <Stack gap={6} h="100%">
        <Group justify="space-between" wrap="nowrap" align="flex-start">
          <Text fw={650}>{props.name}</Text>
          <Badge variant="light" color="gray" style={{ flexShrink: 0, textTransform: 'none' }}>
            {t('summary.templates.frames', { count: props.frames })}
          </Badge>
        </Group>
        {props.description && (
          <Text size="sm" c="dimmed">
            {props.description}
          </Text>
        )}
        {props.agenda.length > 0 && (
          <Text size="xs" c="dimmed">
            {t('summary.templates.agenda', { stages: props.agenda.map((stage) => `${stage.title} (${stage.minutes})`).join(' → ') })}
          </Text>
        )}
        <Group justify="flex-end" mt="auto">
          <Button size="xs" onClick={props.onApply} data-testid="template-apply">
            {t('summary.templates.apply')}
          </Button>
        </Group>
      </Stack>
    </Card>
  );
}

/** The built-in session formats and the workspace's saved templates, to put on the board. */
export function TemplatePicker(props: { opened: boolean; index: WorkspaceIndex; onClose: () => void; onPick: (picked: PickedTemplate) => void }) {
  const { t } = useTranslation();
  const saved = useRecordList(props.index.templates, (collection) => collection.list().sort((a, b) => a.title.localeCompare(b.title, 'ru')));
  const frames = (content: TemplateContent) => content.nodes.filter((node) => node.type === 'frame').length;
  return (
    <Modal opened={props.opened} onClose={props.onClose} title={t('summary.templates.title')} size="xl">
      <ScrollArea.Autosize mah="70vh" data-testid="template-picker">
        <Title order={5} mb="xs">
          {t('summary.templates.builtin')}
        </Title>
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
          {builtinTemplates.map((template) => {
            const name = t(`summary.templates.names.${template.builtinId}`);
            return (
              <TemplateCard
                key={template.builtinId}
                testId={`template-${template.builtinId}`}
                name={name}
                description={t(`summary.templates.descriptions.${template.builtinId}`)}
                frames={frames(template)}
                agenda={template.agenda}
                onApply={() => props.onPick({ name, content: template })}
              />
            );
          })}
        </SimpleGrid>
        <Title order={5} mt="lg" mb="xs">
          {t('summary.templates.saved')}
        </Title>
        {saved.length === 0 ? (
          <Text size="sm" c="dimmed">
            {t('summary.templates.savedEmpty')}
          </Text>
        ) : (
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
            {saved.map((template) => (
              <TemplateCard
                key={template.id}
                testId="template-saved"
                name={template.title}
                description={template.description}
                frames={frames(template)}
                agenda={template.agenda}
                onApply={() => props.onPick({ name: template.title, content: template })}
              />
            ))}
          </SimpleGrid>
        )}
      </ScrollArea.Autosize>
    </Modal>
  );
}
