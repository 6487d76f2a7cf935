import { memo, useEffect, useMemo, useState } from 'react';
import { Alert, Badge, Button, Checkbox, Collapse, Group, Paper, Progress, Select, Slider, Stack, Text, TextInput, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useTranslation } from 'react-i18next';
import { mergeCandidates, renameCandidate, splitCandidate, type CandidateProblem } from '../../../shared/cluster';
import type { Id } from '../../../shared/ids';
import { evaluateSystemicRule, ProblemRegistry, type Appeal, type SystemicRule, type WorkspaceIndex } from '../../../shared/model';
import { useHost } from '../../app/host-context';
import { notifyError } from '../../ui/notify';
import { runClustering } from './cluster-protocol';
import { readDatasetAppeals, useRegistryWorkspace } from './use-appeals';
import { useLiveRecords } from './live-records';
import { RegistrySettingsDialog } from './RegistrySettingsDialog';
import { useRegistry } from './use-registry';
import './registry.css';

const SHOWN_STEP = 100;

type Run = { state: 'idle' } | { state: 'running'; percent: number } | { state: 'done' } | { state: 'error' };

/** Groups a dataset's appeals into candidate problems (in a worker) and lets the user accept, merge, split and rename them. */
export function CandidatesView(props: { index: WorkspaceIndex; onOpenRegistry: () => void }) {
  const { t } = useTranslation();
  const host = useHost();
  const workspace = useRegistryWorkspace();
  const data = useRegistry(props.index);
  const registry = useMemo(() => new ProblemRegistry(props.index), [props.index]);
  const datasets = useLiveRecords(props.index.datasets);
  const sortedDatasets = useMemo(() => [...datasets].sort((a, b) => b.importedAt.localeCompare(a.importedAt)), [datasets]);
  const [datasetId, setDatasetId] = useState<Id | null>(null);
  const activeDataset = sortedDatasets.find((d) => d.id === datasetId) ?? sortedDatasets[0];
  const [settingsOpen, setSettingsOpen] = useState(false);
  const settings = registry.settings();
  const [threshold, setThreshold] = useState(settings.similarityThreshold);
  const [run, setRun] = useState<Run>({ state: 'idle' });
  const [candidates, setCandidates] = useState<CandidateProblem[]>([]);
  const [appeals, setAppeals] = useState<ReadonlyMap<Id, Appeal>>(new Map());
  const [checked, setChecked] = useState<ReadonlySet<string>>(new Set());
  const [shown, setShown] = useState(SHOWN_STEP);
  const rule = settings.systemicRule;

  useEffect(() => {
    setCandidates([]);
    setRun({ state: 'idle' });
  }, [activeDataset?.id]);

  const group = async () => {
    if (!activeDataset) return;
    setRun({ state: 'running', percent: 0 });
    try {
      const rows = await readDatasetAppeals(host, workspace, activeDataset, (done, total) => setRun({ state: 'running', percent: Math.round((done / total) * 20) }));
      setAppeals(new Map(rows.map((appeal) => [appeal.id, appeal])));
      if (threshold !== settings.similarityThreshold) registry.updateSettings({ similarityThreshold: threshold });
      const result = await runClustering(
        { datasetId: activeDataset.id, appeals: rows, threshold, groupByCategory: settings.groupByCategory },
        (done, total) => setRun({ state: 'running', percent: 20 + Math.round((done / Math.max(1, total)) * 80) }),
      );
      setCandidates(result);
      setChecked(new Set());
      setShown(SHOWN_STEP);
      setRun({ state: 'done' });
    } catch (error) {
      console.error('clustering', error);
      setRun({ state: 'error' });
    }
  };

  const accept = (list: CandidateProblem[]) => {
    try {
      const created = registry.acceptCandidates(list);
      const ids = new Set(list.map((c) => c.id));
      setCandidates((current) => current.filter((c) => !ids.has(c.id)));
      setChecked((current) => new Set([...current].filter((id) => !ids.has(id))));
      notifications.show({ color: 'teal', message: t('registry.candidates.accepted', { count: created.length }) });
    } catch (error) {
      notifyError(t, error, 'acceptCandidates');
    }
  };

  const merge = () => {
    const picked = candidates.filter((c) => checked.has(c.id));
    if (picked.length < 2) return;
    const merged = mergeCandidates(picked);
    const index = candidates.findIndex((c) => c.id === picked[0]!.id);
    setCandidates((current) => {
      const rest = current.filter((c) => !checked.has(c.id));
      rest.splice(Math.min(index, rest.length), 0, merged);
      return rest;
    });
    setChecked(new Set());
  };

  const replace = (id: string, next: CandidateProblem[]) =>
    setCandidates((current) => current.flatMap((c) => (c.id === id ? next : [c])));

  const territoryLabel = (candidate: CandidateProblem) =>
    candidate.territoryId ? data.context.territoryName(candidate.territoryId) || candidate.territoryName : candidate.territoryName || t('registry.coverage.noTerritory');

  return (
    <Stack p="md" gap="sm" className="registry-page" data-testid="candidates-view">
      <RegistrySettingsDialog opened={settingsOpen} onClose={() => setSettingsOpen(false)} registry={registry} index={props.index} />
      <Title order={3}>{t('registry.candidates.title')}</Title>
      {sortedDatasets.length === 0 ? (
        <Alert color="gray">{t('registry.candidates.noDatasets')}</Alert>
      ) : (
        <Paper withBorder p="sm" radius="md">
          <Group align="flex-end" gap="md" wrap="wrap">
            <Select
              label={t('registry.candidates.dataset')}
              data={sortedDatasets.map((d) => ({ value: d.id, label: `${d.title} (${d.rowCount})` }))}
              value={activeDataset?.id ?? null}
              onChange={setDatasetId}
              w={{ base: '100%', sm: 340 }}
              data-testid="candidates-dataset"
            />
            <Stack gap={2} w={{ base: '100%', sm: 260 }}>
              <Text size="sm" fw={500}>
                {t('registry.candidates.threshold')}: {threshold.toFixed(2)}
              </Text>
              <Slider
                min={0.05}
                max={0.95}
                step={0.05}
                value={threshold}
                onChange={setThreshold}
                label={(value) => value.toFixed(2)}
                aria-label={t('registry.candidates.threshold')}
                data-testid="candidates-threshold"
              />
              <Text size="xs" c="dimmed">
                {t('registry.candidates.thresholdHint')}
              </Text>
            </Stack>
            <Button onClick={() => void group()} loading={run.state === 'running'} data-testid="candidates-run">
              {t('registry.candidates.run')}
            </Button>
          </Group>
          <Text size="xs" c="dimmed" mt="xs" data-testid="candidates-rule">
            {t('registry.candidates.rule')}:{' '}
            {[
              rule.signalsInWeeks.enabled && t('registry.candidates.ruleSignals', { min: rule.signalsInWeeks.minSignals, weeks: rule.signalsInWeeks.weeks }),
              rule.recurrence.enabled && t('registry.candidates.ruleRecurrence', { min: rule.recurrence.minMonths, months: rule.recurrence.months }),
            ]
              .filter(Boolean)
              .join('; ')}{' '}
            <Button variant="subtle" size="compact-xs" onClick={() => setSettingsOpen(true)} data-testid="registry-settings-open">
              {t('registry.settings.open')}
            </Button>
          </Text>
        </Paper>
      )}
      {run.state === 'running' && (
        <Stack gap={4} data-testid="candidates-progress">
          <Text size="sm">{t('registry.candidates.running', { percent: run.percent })}</Text>
          <Progress value={run.percent} animated />
        </Stack>
      )}
      {run.state === 'error' && <Alert color="red">{t('registry.errors.workerFailed')}</Alert>}
      {run.state === 'done' && (
        <Group gap="xs" wrap="wrap">
          <Text size="sm" fw={600} data-testid="candidates-count">
            {t('registry.candidates.found', { count: candidates.length })}
          </Text>
          <Button size="xs" onClick={() => accept(candidates.slice(0, shown))} disabled={candidates.length === 0} data-testid="candidates-accept-all">
            {t('registry.candidates.acceptAll')}
          </Button>
          <Button size="xs" variant="light" onClick={merge} disabled={checked.size < 2} data-testid="candidates-merge">
            {t('registry.candidates.merge')}
          </Button>
          <Button size="xs" variant="subtle" onClick={props.onOpenRegistry}>
            {t('registry.nav.registry')}
          </Button>
        </Group>
      )}
      {run.state === 'idle' && sortedDatasets.length > 0 && <Text c="dimmed">{t('registry.candidates.empty')}</Text>}
      <Stack gap="xs">
        {candidates.slice(0, shown).map((candidate) => (
          <CandidateCard
            key={candidate.id}
            candidate={candidate}
            rule={rule}
            territory={territoryLabel(candidate)}
            category={candidate.category ? data.categoryLabel(data.categoryById.get(candidate.category), candidate.category) : ''}
            appeals={appeals}
            checked={checked.has(candidate.id)}
            onCheck={(value) =>
              setChecked((current) => {
                const next = new Set(current);
                if (value) next.add(candidate.id);
                else next.delete(candidate.id);
                return next;
              })
            }
            onAccept={() => accept([candidate])}
            onDiscard={() => replace(candidate.id, [])}
            onChange={(next) => replace(candidate.id, next)}
          />
        ))}
      </Stack>
      {candidates.length > shown && (
        <Button variant="subtle" onClick={() => setShown((n) => n + SHOWN_STEP)}>
          {t('registry.card.appealsMore', { count: candidates.length - shown })}
        </Button>
      )}
    </Stack>
  );
}

const CandidateCard = memo(function CandidateCard(props: {
  candidate: CandidateProblem;
  rule: SystemicRule;
  territory: string;
  category: string;
  appeals: ReadonlyMap<Id, Appeal>;
  checked: boolean;
  onCheck: (checked: boolean) => void;
  onAccept: () => void;
  onDiscard: () => void;
  onChange: (next: CandidateProblem[]) => void;
}) {
  const { t } = useTranslation();
  const { candidate } = props;
  const [open, setOpen] = useState(false);
  const [title, setTitle] = useState(candidate.title);
  const [splitIds, setSplitIds] = useState<ReadonlySet<Id>>(new Set());
  const verdict = useMemo(() => evaluateSystemicRule(candidate.signalDays, props.rule), [candidate.signalDays, props.rule]);
  const central = props.appeals.get(candidate.centralAppealId);

  return (
    <Paper withBorder p="sm" radius="md" data-testid="candidate" data-candidate-id={candidate.id}>
      <Group justify="space-between" align="flex-start" wrap="nowrap">
        <Group gap="sm" align="flex-start" wrap="nowrap" style={{ flex: 1, minWidth: 0 }}>
          <Checkbox mt={8} checked={props.checked} onChange={(e) => props.onCheck(e.currentTarget.checked)} aria-label={candidate.title} data-testid="candidate-check" />
          <Stack gap={4} style={{ flex: 1, minWidth: 0 }}>
            <TextInput
              size="sm"
              value={title}
              aria-label={t('registry.candidates.rename')}
              onChange={(e) => setTitle(e.currentTarget.value)}
              onBlur={() => title.trim() && title !== candidate.title && props.onChange([renameCandidate(candidate, title)])}
              data-testid="candidate-title"
            />
            <Group gap={6}>
              <Badge variant="light">{props.territory}</Badge>
              {props.category && <Badge variant="outline" color="gray">{props.category}</Badge>}
              <Badge variant="light" color="blue" data-testid="candidate-size">
                {t('registry.candidates.appeals', { count: candidate.members.length })}
              </Badge>
              <Badge color={verdict.kind === 'systemic' ? 'grape' : 'gray'} variant={verdict.kind === 'systemic' ? 'filled' : 'light'} data-testid="candidate-verdict">
                {t(`registry.kinds.${verdict.kind}`)}
              </Badge>
            </Group>
            <Text size="xs" c="dimmed" data-testid="candidate-reason">
              {t(verdict.reason.key, verdict.reason.params)}
            </Text>
            {central && (
              <Text size="sm" lineClamp={2} c="dark.6">
                «{central.text}»
              </Text>
            )}
          </Stack>
        </Group>
        <Stack gap={4}>
          <Button size="xs" onClick={props.onAccept} data-testid="candidate-accept">
            {t('registry.candidates.accept')}
          </Button>
          <Button size="xs" variant="subtle" color="gray" onClick={props.onDiscard}>
            {t('registry.candidates.reject')}
          </Button>
          <Button size="xs" variant="subtle" onClick={() => setOpen((o) => !o)} data-testid="candidate-expand">
            {t('registry.card.appeals')}
          </Button>
        </Stack>
      </Group>
      <Collapse expanded={open}>
        <Stack gap={4} mt="xs" pl={34}>
          {candidate.members.slice(0, 200).map((member) => {
            const appeal = props.appeals.get(member.appealId);
            return (
              <Checkbox
                key={member.appealId}
                size="xs"
                checked={splitIds.has(member.appealId)}
                onChange={(e) => {
                  const next = new Set(splitIds);
                  if (e.currentTarget.checked) next.add(member.appealId);
                  else next.delete(member.appealId);
                  setSplitIds(next);
                }}
                label={`${member.receivedAt ?? ''} ${appeal?.text ?? ''}`.trim()}
                data-testid="candidate-appeal"
              />
            );
          })}
          {splitIds.size > 0 && splitIds.size < candidate.members.length && (
            <Button
              size="xs"
              variant="light"
              w="fit-content"
              onClick={() => {
                const texts = new Map(candidate.members.map((m) => [m.appealId, props.appeals.get(m.appealId)?.text ?? '']));
                props.onChange(splitCandidate(candidate, [...splitIds], texts));
                setSplitIds(new Set());
              }}
              data-testid="candidate-split"
            >
              {t('registry.candidates.split')}
            </Button>
          )}
        </Stack>
      </Collapse>
    </Paper>
  );
});
