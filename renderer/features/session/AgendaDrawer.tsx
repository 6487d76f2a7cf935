import { ActionIcon, Badge, Button, Drawer, Group, NumberInput, Paper, Stack, Switch, Text, TextInput, Tooltip } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import {
  actualDurationMs,
  DEFAULT_STAGE_KEYS,
  DEFAULT_STAGE_MINUTES,
  MINUTE_MS,
  stageStatus,
  type Agenda,
  type AgendaStage,
  type SessionDoc,
} from '../../../shared/model';
import { TrashIcon } from '../../ui/icons';
import { LockIcon, NextIcon, UnlockIcon } from './icons';

function clockTime(ms: number, locale: string): string {
  return new Date(ms).toLocaleTimeString(locale, { hour: '2-digit', minute: '2-digit' });
}

/** The agenda: everyone sees stages with planned and actual times; a facilitator edits it (unless locked) and moves the session. */
export function AgendaDrawer(props: {
  opened: boolean;
  onClose(): void;
  session: SessionDoc;
  agenda: Agenda;
  facilitator: boolean;
  safely(action: () => void): void;
}) {
  const { t, i18n } = useTranslation();
  const { session, agenda, facilitator, safely } = props;
  const editable = facilitator && !agenda.locked;

  const useDefaults = () =>
    safely(() =>
      session.setAgenda(
        DEFAULT_STAGE_KEYS.map((key) => ({
          title: t(`session.defaultStages.${key}`),
          durationMs: DEFAULT_STAGE_MINUTES[key] * MINUTE_MS,
        })),
      ),
    );

  return (
    <Drawer
      opened={props.opened}
      onClose={props.onClose}
      position="right"
      size="md"
      title={
        <Group gap="xs">
          <Text fw={700}>{t('session.agenda')}</Text>
          {agenda.locked && (
            <Badge color="gray" leftSection={<LockIcon />} data-testid="agenda-locked">
              {t('session.agendaLocked')}
            </Badge>
          )}
        </Group>
      }
      data-testid="agenda-drawer"
    >
      <Stack gap="sm">
        {agenda.stages.length === 0 && <Text c="dimmed">{t('session.agendaHint')}</Text>}
        {agenda.stages.map((stage, index) => (
          <StageRow
            key={stage.id}
            stage={stage}
            index={index}
            last={index === agenda.stages.length - 1}
            status={stageStatus(stage, agenda.currentStageId)}
            editable={editable}
            facilitator={facilitator}
            locale={i18n.language}
            session={session}
            safely={safely}
          />
        ))}
        {editable && (
          <Group>
            <Button
              variant="light"
              onClick={() => safely(() => session.addStage({ title: t('session.newStageTitle'), durationMs: 10 * MINUTE_MS }))}
              data-testid="add-stage"
            >
              {t('session.addStage')}
            </Button>
            {agenda.stages.length === 0 && (
              <Button variant="subtle" onClick={useDefaults} data-testid="default-agenda">
                {t('session.useDefaults')}
              </Button>
            )}
          </Group>
        )}
        {facilitator && (
          <Button
            variant="subtle"
            color="gray"
            leftSection={agenda.locked ? <UnlockIcon /> : <LockIcon />}
            onClick={() => safely(() => session.setAgendaLocked(!agenda.locked))}
            data-testid="toggle-agenda-lock"
          >
            {agenda.locked ? t('session.unlockAgenda') : t('session.lockAgenda')}
          </Button>
        )}
      </Stack>
    </Drawer>
  );
}

function StageRow(props: {
  stage: AgendaStage;
  index: number;
  last: boolean;
  status: 'done' | 'current' | 'upcoming';
  editable: boolean;
  facilitator: boolean;
  locale: string;
  session: SessionDoc;
  safely(action: () => void): void;
}) {
  const { t } = useTranslation();
  const { stage, session, safely } = props;
  const minutes = Math.round(stage.durationMs / MINUTE_MS);
  const actual =
    stage.startedAt === undefined
      ? null
      : stage.endedAt === undefined
        ? t('session.actualRunning', { from: clockTime(stage.startedAt, props.locale) })
        : t('session.actual', { from: clockTime(stage.startedAt, props.locale), to: clockTime(stage.endedAt, props.locale) });

  return (
    <Paper
      withBorder
      p="sm"
      radius="md"
      className={`agenda-stage is-${props.status}`}
      data-testid="agenda-stage"
      data-status={props.status}
    >
      <Group justify="space-between" wrap="nowrap" align="flex-start">
        <Stack gap={4} style={{ flex: 1 }}>
          {props.editable ? (
            <TextInput
              key={stage.title}
              defaultValue={stage.title}
              aria-label={t('session.stageTitle')}
              maxLength={200}
              onBlur={(event) => {
                const title = event.currentTarget.value.trim();
                if (title && title !== stage.title) safely(() => session.updateStage(stage.id, { title }));
              }}
              data-testid="stage-title-input"
            />
          ) : (
            <Text fw={600} data-testid="stage-title">
              {props.index + 1}. {stage.title}
            </Text>
          )}
          <Group gap="xs">
            {props.editable ? (
              <NumberInput
                key={minutes}
                defaultValue={minutes}
                min={1}
                max={600}
                w={110}
                size="xs"
                suffix={` ${t('session.minutes')}`}
                aria-label={t('session.minutesLabel')}
                onBlur={(event) => {
                  const value = Number.parseInt(event.currentTarget.value, 10);
                  if (Number.isFinite(value) && value >= 1 && value <= 600 && value !== minutes) {
                    safely(() => session.updateStage(stage.id, { durationMs: value * MINUTE_MS }));
                  }
                }}
              />
            ) : (
              <Text size="xs" c="dimmed">
                {t('session.planned', { minutes })}
              </Text>
            )}
            {actual && (
              <Text size="xs" c={props.status === 'current' ? 'indigo' : 'dimmed'} data-testid="stage-actual">
                {actual}
                {actualDurationMs(stage, Date.now()) !== undefined && stage.endedAt !== undefined
                  ? ` (${Math.round(actualDurationMs(stage, Date.now())! / MINUTE_MS)} ${t('session.minutes')})`
                  : ''}
              </Text>
            )}
          </Group>
          {props.editable ? (
            <Tooltip label={t('session.privateHint')} openDelay={300}>
              <Switch
                size="xs"
                label={t('session.private')}
                checked={stage.private}
                onChange={(event) => {
                  const checked = event.currentTarget.checked;
                  safely(() => session.updateStage(stage.id, { private: checked }));
                }}
                data-testid="stage-private"
              />
            </Tooltip>
          ) : (
            stage.private && (
              <Badge size="xs" variant="light" color="grape">
                {t('session.private')}
              </Badge>
            )
          )}
        </Stack>
        <Stack gap={2} align="flex-end">
          {props.facilitator && props.status !== 'current' && (
            <Tooltip label={t('session.goToStage')} openDelay={300}>
              <ActionIcon
                variant="light"
                aria-label={t('session.goToStage')}
                onClick={() => safely(() => session.goToStage(stage.id, Date.now()))}
                data-testid="go-to-stage"
              >
                <NextIcon />
              </ActionIcon>
            </Tooltip>
          )}
          {props.editable && (
            <Group gap={2}>
              <ActionIcon
                variant="subtle"
                size="sm"
                aria-label={t('session.moveUp')}
                disabled={props.index === 0}
                onClick={() => safely(() => session.moveStage(stage.id, -1))}
              >
                ↑
              </ActionIcon>
              <ActionIcon
                variant="subtle"
                size="sm"
                aria-label={t('session.moveDown')}
                disabled={props.last}
                onClick={() => safely(() => session.moveStage(stage.id, 1))}
              >
                ↓
              </ActionIcon>
              <ActionIcon variant="subtle" size="sm" color="red" aria-label={t('session.removeStage')} onClick={() => safely(() => session.removeStage(stage.id))}>
                <TrashIcon />
              </ActionIcon>
            </Group>
          )}
        </Stack>
      </Group>
    </Paper>
  );
}
