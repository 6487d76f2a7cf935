import { useEffect, useState } from 'react';
import { Button, Group, Modal, MultiSelect, Select, Stack, Textarea, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useTranslation } from 'react-i18next';
import type { Id } from '../../../shared/ids';
import { ProblemRegistry } from '../../../shared/model';
import { notifyError } from '../../ui/notify';
import { OwnerSelect } from './OwnerSelect';
import type { RegistryData } from './use-registry';

/** A project card made from selected problems: title, goal, territory, head, and the problems it answers prefilled. */
export function CreateProjectDialog(props: { data: RegistryData; opened: boolean; problemIds: Id[]; onClose: () => void; onCreated: (projectId: Id) => void }) {
  const { t } = useTranslation();
  const { data } = props;
  const [title, setTitle] = useState('');
  const [goal, setGoal] = useState('');
  const [territoryId, setTerritoryId] = useState<Id | null>(null);
  const [headId, setHeadId] = useState<Id | null>(null);
  const [problemIds, setProblemIds] = useState<Id[]>([]);

  useEffect(() => {
    if (!props.opened) return;
    const problems = props.problemIds.map((id) => data.index.problems.get(id)).filter((p) => p !== undefined);
    const territories = new Set(problems.map((p) => p.territoryId));
    setTitle(problems.length === 1 ? problems[0]!.title : '');
    setGoal('');
    setTerritoryId(territories.size === 1 ? ([...territories][0] ?? null) : null);
    setHeadId(null);
    setProblemIds(problems.map((p) => p.id));
    // Prefilled when the dialog opens only: a remote edit must not reset what the user typed.
  }, [props.opened]);

  const problemOptions = [...new Set([...problemIds, ...props.problemIds])]
    .map((id) => data.index.problems.get(id))
    .filter((p) => p !== undefined)
    .map((p) => ({ value: p.id, label: p.title }));

  const submit = () => {
    if (!title.trim()) return;
    try {
      const project = new ProblemRegistry(data.index).createProjectFromProblems(
        { title: title.trim(), goal, ...(territoryId ? { territoryId } : {}), ...(headId ? { headId } : {}) },
        problemIds,
      );
      notifications.show({ color: 'teal', message: t('registry.map.projectCreated') });
      props.onCreated(project.id);
    } catch (error) {
      notifyError(t, error, 'createProject');
    }
  };

  return (
    <Modal opened={props.opened} onClose={props.onClose} title={t('registry.map.createProjectTitle')} size="lg" data-testid="create-project-dialog">
      <Stack gap="sm">
        <TextInput label={t('registry.map.projectTitle')} value={title} onChange={(e) => setTitle(e.currentTarget.value)} required data-autofocus data-testid="project-title" />
        <Textarea label={t('registry.map.goal')} value={goal} onChange={(e) => setGoal(e.currentTarget.value)} autosize minRows={2} data-testid="project-goal" />
        <Group grow align="flex-start">
          <Select
            label={t('registry.map.territory')}
            data={data.territories.map((territory) => ({ value: territory.id, label: territory.name }))}
            value={territoryId}
            onChange={setTerritoryId}
            searchable
            clearable
            data-testid="project-territory"
          />
          <OwnerSelect index={data.index} people={data.people} label={t('registry.map.head')} value={headId} onChange={setHeadId} testId="project-head" />
        </Group>
        <div data-testid="project-problems">
          <MultiSelect label={t('registry.map.linkedProblems')} data={problemOptions} value={problemIds} onChange={setProblemIds} />
        </div>
        <Group justify="flex-end">
          <Button variant="default" onClick={props.onClose}>
            {t('common.cancel')}
          </Button>
          <Button onClick={submit} disabled={!title.trim()} data-testid="project-create">
            {t('common.create')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
