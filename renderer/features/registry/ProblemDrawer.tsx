import { useEffect, useState } from 'react';
import { Anchor, Badge, Button, Divider, Drawer, Group, Loader, SegmentedControl, Select, Stack, Text, Textarea, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Id } from '../../../shared/ids';
import { ProblemRegistry, problemStatuses, type Problem } from '../../../shared/model';
import { notifyError } from '../../ui/notify';
import { useRecord } from '../../ui/use-record';
import { OwnerSelect } from './OwnerSelect';
import { useLinkedAppeals } from './use-appeals';
import { kindReason } from './kind-reason';
import type { RegistryData } from './use-registry';

const APPEALS_SHOWN = 50;

/** The card of one problem: every field editable, its appeals and the projects that answer it. */
export function ProblemDrawer(props: { data: RegistryData; problemId: Id | null; onClose: () => void; onOpenMap: (problemId: Id) => void }) {
  const { t } = useTranslation();
  return (
    <Drawer
      opened={props.problemId !== null}
      onClose={props.onClose}
      position="right"
      size="lg"
      title={t('registry.card.title')}
      data-testid="problem-drawer"
    >
      {props.problemId && <ProblemCard key={props.problemId} {...props} problemId={props.problemId} />}
    </Drawer>
  );
}

function ProblemCard(props: { data: RegistryData; problemId: Id; onClose: () => void; onOpenMap: (problemId: Id) => void }) {
  const { t } = useTranslation();
  const { data } = props;
  const problem = useRecord(data.index.problems, props.problemId);
  const [title, setTitle] = useState(problem?.title ?? '');
  const [description, setDescription] = useState(problem?.description ?? '');
  useEffect(() => setTitle(problem?.title ?? ''), [problem?.title]);
  useEffect(() => setDescription(problem?.description ?? ''), [problem?.description]);
  const appeals = useLinkedAppeals(data.index, problem?.appeals ?? [], APPEALS_SHOWN);
  if (!problem) return null;
  const registry = new ProblemRegistry(data.index);

  const update = (patch: Partial<Omit<Problem, 'id'>>) => {
    try {
      data.index.problems.update(problem.id, patch);
    } catch (error) {
      notifyError(t, error, 'updateProblem');
    }
  };
  const projectIds = data.projectsByProblem.get(problem.id) ?? [];
  const appealTotal = problem.appeals.reduce((sum, link) => sum + link.appealIds.length, 0);

  return (
    <Stack gap="sm" data-testid="problem-card">
      <TextInput
        label={t('registry.card.name')}
        value={title}
        onChange={(event) => setTitle(event.currentTarget.value)}
        onBlur={() => title.trim() && title !== problem.title && update({ title: title.trim() })}
        onKeyDown={(event) => event.key === 'Enter' && event.currentTarget.blur()}
        data-testid="card-title"
      />
      <Textarea
        label={t('registry.card.description')}
        autosize
        minRows={2}
        maxRows={8}
        value={description}
        onChange={(event) => setDescription(event.currentTarget.value)}
        onBlur={() => description !== problem.description && update({ description })}
        data-testid="card-description"
      />
      <Group grow align="flex-start">
        <Select
          label={t('registry.card.territory')}
          placeholder={t('registry.card.noTerritory')}
          data={data.territories.map((territory) => ({ value: territory.id, label: territory.name })).sort((a, b) => a.label.localeCompare(b.label, 'ru'))}
          value={problem.territoryId ?? null}
          onChange={(value) => update({ territoryId: value ?? undefined })}
          searchable
          clearable
          data-testid="card-territory"
        />
        <Select
          label={t('registry.card.category')}
          data={data.categories.map((category) => ({ value: category.id, label: data.categoryLabel(category) }))}
          value={problem.category}
          onChange={(value) => value && update({ category: value })}
          data-testid="card-category"
        />
      </Group>
      <Group grow align="flex-start">
        <Select
          label={t('registry.card.status')}
          data={problemStatuses.map((status) => ({ value: status, label: t(`registry.statuses.${status}`) }))}
          value={problem.status}
          onChange={(value) => value && update({ status: value as Problem['status'] })}
          data-testid="card-status"
        />
        <OwnerSelect
          index={data.index}
          people={data.people}
          label={t('registry.card.owner')}
          value={problem.ownerId ?? null}
          onChange={(id) => update({ ownerId: id ?? undefined })}
          testId="card-owner"
        />
      </Group>
      <Stack gap={4}>
        <Text size="sm" fw={500}>
          {t('registry.card.kind')}
        </Text>
        <SegmentedControl
          value={problem.kind}
          onChange={(value) => {
            try {
              registry.setKind(problem.id, value as Problem['kind']);
            } catch (error) {
              notifyError(t, error, 'setKind');
            }
          }}
          data={(['systemic', 'situational', 'unclassified'] as const).map((kind) => ({ value: kind, label: t(`registry.kinds.${kind}`) }))}
          data-testid="card-kind"
        />
        <Text size="xs" c="dimmed" data-testid="card-kind-reason">
          {t('registry.card.rule')}: {kindReason(t, problem)}
        </Text>
      </Stack>
      <Divider />
      <Group gap="xs">
        <Text size="sm" fw={600}>
          {t('registry.card.signals')}
        </Text>
        <Badge variant="light">{t('registry.card.signalsTotal', { count: problem.signalCount })}</Badge>
        {problem.sources.map((source) => (
          <Badge key={source.source} variant="outline" color="gray">
            {t(`registry.sources.${source.source}`)}: {source.count}
          </Badge>
        ))}
      </Group>
      {problem.firstSignalAt && (
        <Text size="xs" c="dimmed">
          {t('registry.card.period', { from: problem.firstSignalAt, to: problem.lastSignalAt ?? problem.firstSignalAt })}
        </Text>
      )}
      <Divider />
      <Group justify="space-between">
        <Text size="sm" fw={600}>
          {t('registry.card.projects')}
        </Text>
        <Anchor size="sm" onClick={() => props.onOpenMap(problem.id)} data-testid="card-open-map">
          {t('registry.card.onMap')}
        </Anchor>
      </Group>
      {projectIds.length === 0 ? (
        <Text size="sm" c={problem.kind === 'systemic' ? 'red' : 'dimmed'} data-testid="card-no-projects">
          {t('registry.card.noProjects')}
        </Text>
      ) : (
        <Stack gap={4} data-testid="card-projects">
          {projectIds.map((id) => {
            const project = data.projects.find((p) => p.id === id);
            return project ? (
              <Group key={id} gap="xs">
                <Text size="sm">{project.title}</Text>
                <Badge size="xs" variant="light" color="teal">
                  {t(`registry.projectStatuses.${project.status}`)}
                </Badge>
              </Group>
            ) : null;
          })}
        </Stack>
      )}
      <Divider />
      <Text size="sm" fw={600}>
        {t('registry.card.appeals')} {appealTotal > 0 && <Text span c="dimmed">({t('registry.card.appealsCount', { count: appealTotal })})</Text>}
      </Text>
      {appealTotal === 0 ? (
        <Text size="sm" c="dimmed">
          {t('registry.card.noAppeals')}
        </Text>
      ) : appeals.status === 'loading' ? (
        <Group gap="xs">
          <Loader size="xs" />
          <Text size="sm" c="dimmed">
            {t('registry.card.appealsLoading')}
          </Text>
        </Group>
      ) : (
        <Stack gap={6} data-testid="card-appeals">
          {appeals.appeals.map((appeal) => (
            <div key={appeal.id} className="appeal-item">
              <Text size="xs" c="dimmed">
                {[appeal.receivedAt, appeal.territoryName, appeal.sourceName].filter(Boolean).join(' · ')}
              </Text>
              <Text size="sm" lineClamp={3}>
                {appeal.text}
              </Text>
            </div>
          ))}
          {appealTotal > appeals.appeals.length && (
            <Text size="xs" c="dimmed">
              {t('registry.card.appealsMore', { count: appealTotal - appeals.appeals.length })}
            </Text>
          )}
        </Stack>
      )}
      <Divider />
      <Button
        variant="subtle"
        color="red"
        onClick={() => {
          data.index.deleteProblem(problem.id);
          props.onClose();
        }}
        data-testid="card-delete"
      >
        {t('registry.card.delete')}
      </Button>
    </Stack>
  );
}
