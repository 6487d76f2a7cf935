import { useMemo, useState } from 'react';
import { Button, Group, Modal, Select, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Id } from '../../../shared/ids';
import type { WorkspaceIndex } from '../../../shared/model';
import { useRecordList } from '../../ui/use-record';

type Ref = { kind: 'problem' | 'project'; id: Id };

/** Picks a problem or project from the registry to show on the board as a card. */
export function ReferencePicker(props: { opened: boolean; index: WorkspaceIndex; onClose: () => void; onPick: (ref: Ref) => void }) {
  const { t } = useTranslation();
  const [value, setValue] = useState<string | null>(null);
  const problems = useRecordList(props.index.problems, (c) => c.list());
  const projects = useRecordList(props.index.projects, (c) => c.list());
  const data = useMemo(
    () => [
      { group: t('canvas.reference.problem'), items: problems.map((p) => ({ value: `problem:${p.id}`, label: p.title })) },
      { group: t('canvas.reference.project'), items: projects.map((p) => ({ value: `project:${p.id}`, label: p.title })) },
    ].filter((group) => group.items.length > 0),
    [problems, projects, t],
  );
  const pick = () => {
    const [kind, id] = (value ?? '').split(':');
    if ((kind === 'problem' || kind === 'project') && id) props.onPick({ kind, id });
    setValue(null);
  };
  return (
    <Modal opened={props.opened} onClose={props.onClose} title={t('canvas.reference.pickTitle')}>
      {data.length === 0 ? (
        <Text c="dimmed">{t('canvas.reference.pickEmpty')}</Text>
      ) : (
        <>
          <Select
            data-autofocus
            searchable
            label={t('canvas.reference.pickLabel')}
            placeholder={t('canvas.reference.pickPlaceholder')}
            data={data}
            value={value}
            onChange={setValue}
            comboboxProps={{ withinPortal: false }}
            data-testid="reference-select"
          />
          <Group justify="flex-end" mt="md">
            <Button onClick={pick} disabled={!value} data-testid="reference-add">
              {t('canvas.reference.add')}
            </Button>
          </Group>
        </>
      )}
    </Modal>
  );
}
