import { useState } from 'react';
import { Button, Checkbox, Group, Modal, Stack, Text, Textarea, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';

/** Asks for the template's name (and whether to keep the agenda) before saving the board as a template. */
export function SaveTemplateDialog(props: {
  opened: boolean;
  defaultName: string;
  hasAgenda: boolean;
  onClose: () => void;
  onSave: (input: { title: string; description: string; keepAgenda: boolean }) => void;
}) {
  const { t } = useTranslation();
  const [title, setTitle] = useState(props.defaultName);
  const [description, setDescription] = useState('');
  const [keepAgenda, setKeepAgenda] = useState(true);
  const blank = title.trim().length === 0;
  return (
    <Modal opened={props.opened} onClose={props.onClose} title={t('summary.saveTemplate.title')}>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          if (!blank) props.onSave({ title: title.trim(), description: description.trim(), keepAgenda: props.hasAgenda && keepAgenda });
        }}
      >
        <Stack>
          <TextInput
            data-autofocus
            label={t('summary.saveTemplate.nameLabel')}
            placeholder={t('summary.saveTemplate.namePlaceholder')}
            value={title}
            onChange={(event) => setTitle(event.currentTarget.value)}
            maxLength={200}
            required
            data-testid="template-name"
          />
          <Textarea label={t('summary.saveTemplate.descriptionLabel')} value={description} onChange={(event) => setDescription(event.currentTarget.value)} maxLength={2000} autosize minRows={2} />
          {props.hasAgenda && <Checkbox label={t('summary.saveTemplate.keepAgenda')} checked={keepAgenda} onChange={(event) => setKeepAgenda(event.currentTarget.checked)} />}
          <Text size="xs" c="dimmed">
            {t('summary.saveTemplate.hint')}
          </Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={props.onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" disabled={blank} data-testid="template-save">
              {t('common.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
