import { useState } from 'react';
import { Button, Group, Modal, Stack, Text, Textarea, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { RecordDraft, RecordKind } from '../../../shared/from-board/make-record';

/** The prefilled form for «Сделать проблемой / проектом»: the user checks the title and text, then creates. */
export function MakeRecordDialog(props: { kind: RecordKind; draft: RecordDraft; onClose: () => void; onCreate: (draft: RecordDraft) => void }) {
  const { t } = useTranslation();
  const [title, setTitle] = useState(props.draft.title);
  const [description, setDescription] = useState(props.draft.description);
  const blank = title.trim().length === 0;
  return (
    <Modal opened onClose={props.onClose} title={t(props.kind === 'problem' ? 'summary.makeRecord.problemTitle' : 'summary.makeRecord.projectTitle')} size="lg">
      <form
        onSubmit={(event) => {
          event.preventDefault();
          if (!blank) props.onCreate({ ...props.draft, title: title.trim(), description: description.trim() });
        }}
      >
        <Stack>
          <TextInput
            data-autofocus
            label={t('summary.makeRecord.titleLabel')}
            value={title}
            onChange={(event) => setTitle(event.currentTarget.value)}
            error={blank ? t('summary.makeRecord.titleRequired') : undefined}
            maxLength={500}
            required
            data-testid="record-title"
          />
          <Textarea
            label={t(props.kind === 'problem' ? 'summary.makeRecord.descriptionLabel' : 'summary.makeRecord.goalLabel')}
            value={description}
            onChange={(event) => setDescription(event.currentTarget.value)}
            autosize
            minRows={3}
            maxRows={12}
            maxLength={20_000}
            data-testid="record-description"
          />
          <Text size="sm" c="dimmed" data-testid="record-source">
            {[
              t('summary.makeRecord.source', { count: props.draft.nodeIds.length }),
              props.draft.authors.length > 0 ? t('summary.makeRecord.authors', { names: props.draft.authors.join(', ') }) : null,
              t('summary.makeRecord.votes', { count: props.draft.votes }),
            ]
              .filter(Boolean)
              .join(' · ')}
          </Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={props.onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" disabled={blank} data-testid="record-create">
              {t('summary.makeRecord.create')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
