import { useEffect, useState } from 'react';
import { ActionIcon, Badge, Button, CloseButton, Divider, Group, Paper, ScrollArea, Stack, Text, Tooltip } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { Panel, useStore } from '@xyflow/react';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { Awareness } from 'y-protocols/awareness';
import type { Profile } from '../../../shared/host';
import type { Id } from '../../../shared/ids';
import {
  extendTimer,
  MINUTE_MS,
  nextStageId,
  pauseTimer,
  rankingPlaces,
  resetTimer,
  startTimer,
  type RoundWithResults,
  type SessionDoc,
  type VoteResult,
} from '../../../shared/model';
import { canEdit, canFacilitate, type Role } from '../../../shared/roles';
import { useBoardUi } from '../board/board-context';
import { AgendaDrawer } from './AgendaDrawer';
import { useAttention, useClockOffset, usePublishClock } from './attention';
import { AgendaIcon, EyeIcon, FollowIcon, GatherIcon, LockIcon, NextIcon, PauseIcon, PlayIcon, ResetIcon, UnlockIcon, VoteIcon } from './icons';
import { TimerDisplay } from './TimerDisplay';
import type { SessionSnapshot } from './use-session';
import { VotingDialog } from './VotingDialog';
import './session.css';

const FALLBACK_TIMER_MS = 5 * MINUTE_MS;

/** A click on a board object during an open round: one vote, or a translated reason why not. */
export function castVote(session: SessionDoc, live: SessionSnapshot, profile: Profile, nodeId: Id, t: TFunction): void {
  const round = live.openRound;
  if (!round) return;
  const outcome = session.vote(round.id, { id: profile.id, name: profile.displayName }, nodeId);
  // A second click on the same sticky (double click) is not an error worth a message.
  if (!outcome.ok && outcome.reason !== 'already-voted') {
    notifications.show({ id: `vote-${outcome.reason}`, color: 'orange', message: t(`session.voting.refused.${outcome.reason}`) });
  }
}

function nodeLabel(session: SessionDoc, nodeId: Id, t: TFunction): string {
  const node = session.board.nodes.get(nodeId);
  if (!node) return t('session.voting.deletedNode');
  return node.text.trim().split('\n')[0]?.slice(0, 120) || t('session.voting.untitledNode');
}

/** Session controls and overlays on the board: agenda and timer bar, voting, private writing, attention, locks. */
export function SessionLayer(props: {
  session: SessionDoc;
  live: SessionSnapshot;
  role: Role;
  profile: Profile;
  awareness: Awareness;
}) {
  const { t } = useTranslation();
  const { safely } = useBoardUi();
  const { session, live, profile } = props;
  const facilitator = canFacilitate(props.role);
  const editor = canEdit(props.role);
  const [agendaOpen, setAgendaOpen] = useState(false);
  const [votingOpen, setVotingOpen] = useState(false);
  const [dismissedRound, setDismissedRound] = useState<Id | null>(null);
  const selectedIds = useStore((state) =>
    state.nodes
      .filter((node) => node.selected)
      .map((node) => node.id)
      .join(' '),
  )
    .split(' ')
    .filter(Boolean);
  const selectedFrameIds = selectedIds.filter((id) => session.board.nodes.get(id)?.type === 'frame');

  useEffect(() => props.awareness.setLocalStateField('member', { id: profile.id, role: props.role }), [props.awareness, profile.id, props.role]);
  const publishClock = usePublishClock(props.awareness, facilitator);
  const clockOffset = useClockOffset(props.awareness, live.timer?.clockOf, profile.id);
  const attention = useAttention(props.awareness, facilitator);

  const { agenda, timer } = live;
  const current = agenda.stages.find((stage) => stage.id === agenda.currentStageId) ?? null;
  const currentIndex = current ? agenda.stages.indexOf(current) : -1;
  const next = nextStageId(agenda.stages, agenda.currentStageId);
  const stageDuration = current?.durationMs ?? FALLBACK_TIMER_MS;
  const sessionEnded = !current && agenda.stages.some((stage) => stage.endedAt !== undefined);

  const changeTimer = (change: Parameters<SessionDoc['updateTimer']>[0]) =>
    safely(() => {
      session.updateTimer(change, stageDuration);
      publishClock();
    });

  const lastClosed = live.history.filter((entry) => entry.round.status === 'closed').at(-1) ?? null;
  const showRanking = lastClosed && lastClosed.round.id !== dismissedRound && !live.openRound;
  const lockedSelected = selectedIds.length > 0 && selectedIds.every((id) => session.board.nodes.get(id)?.locked);

  return (
    <>
      {/* A rail on the right: the bottom and top rows belong to the canvas and session-output toolbars. */}
      <Panel position="center-right">
        <Paper className="session-bar" shadow="md" radius="lg" p={6} withBorder data-testid="session-bar">
          <Stack gap={6} w={216}>
            <Group gap={4} wrap="nowrap" justify="space-between">
            <Tooltip label={t('session.agenda')} openDelay={300}>
              <Button variant="subtle" color="dark" leftSection={<AgendaIcon />} onClick={() => setAgendaOpen(true)} data-testid="open-agenda" maw={facilitator ? 170 : 204} px={6}>
                <Stack gap={0} align="flex-start">
                  {current && (
                    <Text size="10px" c="dimmed" lh={1.1}>
                      {t('session.stageOf', { n: currentIndex + 1, total: agenda.stages.length })}
                    </Text>
                  )}
                  <Text size="sm" fw={600} truncate lh={1.2} data-testid="current-stage">
                    {current ? current.title : sessionEnded ? t('session.ended') : t('session.noStage')}
                  </Text>
                </Stack>
              </Button>
            </Tooltip>
            {facilitator && (
              <Tooltip label={next ? (current ? t('session.nextStage') : t('session.startSession')) : t('session.finishSession')} openDelay={300}>
                <ActionIcon
                  variant="light"
                  size="lg"
                  aria-label={next ? (current ? t('session.nextStage') : t('session.startSession')) : t('session.finishSession')}
                  disabled={!current && !next}
                  onClick={() => safely(() => session.goToNextStage(Date.now()))}
                  data-testid="next-stage"
                >
                  <NextIcon />
                </ActionIcon>
              </Tooltip>
            )}
            </Group>
            {live.privateStage && (
              <Tooltip label={t('session.privateStage.mine')} openDelay={200}>
                <Badge color="grape" variant="light" leftSection={<EyeIcon />} data-testid="private-stage">
                  {t('session.privateStage.badge')}
                </Badge>
              </Tooltip>
            )}
            <Divider />
            <TimerDisplay timer={timer} clockOffsetMs={clockOffset} />
            {facilitator && (
              <Group gap={2} wrap="nowrap" justify="center">
                {timer?.running ? (
                  <ActionIcon variant="subtle" size="lg" aria-label={t('session.timer.pause')} onClick={() => changeTimer((value) => pauseTimer(value, Date.now()))} data-testid="timer-pause">
                    <PauseIcon />
                  </ActionIcon>
                ) : (
                  <ActionIcon
                    variant="subtle"
                    size="lg"
                    aria-label={t('session.timer.start')}
                    onClick={() => changeTimer((value) => startTimer(value, Date.now(), profile.id))}
                    data-testid="timer-start"
                  >
                    <PlayIcon />
                  </ActionIcon>
                )}
                <Tooltip label={t('session.timer.addMinuteHint')} openDelay={300}>
                  <Button variant="subtle" size="compact-sm" onClick={() => changeTimer((value) => extendTimer(value, Date.now(), MINUTE_MS, profile.id))} data-testid="timer-add-minute">
                    {t('session.timer.addMinute')}
                  </Button>
                </Tooltip>
                <ActionIcon variant="subtle" size="lg" aria-label={t('session.timer.reset')} onClick={() => changeTimer((value) => resetTimer(value, stageDuration))} data-testid="timer-reset">
                  <ResetIcon />
                </ActionIcon>
              </Group>
            )}
            <Divider />
            {live.openRound ? (
              <Stack gap={4} align="flex-start">
                <Badge color="indigo" variant="light" leftSection={<VoteIcon />}>
                  {t('session.voting.running')}
                </Badge>
                {editor ? (
                  <Text size="sm" data-testid="votes-remaining" data-remaining={live.myVotes?.remaining ?? 0}>
                    {t('session.voting.remaining', { count: live.myVotes?.remaining ?? 0 })}
                  </Text>
                ) : (
                  <Text size="sm" c="dimmed">
                    {t('session.voting.viewerCantVote')}
                  </Text>
                )}
                {facilitator && (
                  <Button size="compact-sm" color="indigo" onClick={() => safely(() => session.closeRound(live.openRound!.id, Date.now()))} data-testid="close-voting">
                    {t('session.voting.close')}
                  </Button>
                )}
              </Stack>
            ) : (
              <>
                {facilitator && (
                  <Button variant="subtle" size="compact-sm" leftSection={<VoteIcon />} onClick={() => setVotingOpen(true)} data-testid="open-voting">
                    {t('session.voting.openRound')}
                  </Button>
                )}
                {lastClosed && lastClosed.round.id === dismissedRound && (
                  <Button variant="subtle" size="compact-sm" onClick={() => setDismissedRound(null)} data-testid="show-results">
                    {t('session.voting.showResults')}
                  </Button>
                )}
              </>
            )}
            {(live.hiddenIds.length > 0 || (facilitator && live.privateStage)) && (
              <>
                <Divider />
                <Text size="sm" c="dimmed" data-testid="hidden-count" data-count={live.hiddenIds.length}>
                  {t('session.privateStage.hidden', { count: live.hiddenIds.length })}
                </Text>
                {facilitator && (
                  <Button
                    size="compact-sm"
                    color="grape"
                    leftSection={<EyeIcon />}
                    onClick={() =>
                      safely(() => {
                        const count = session.revealPrivate();
                        notifications.show({ color: 'grape', message: t('session.privateStage.revealed', { count }) });
                      })
                    }
                    data-testid="reveal-private"
                  >
                    {t('session.privateStage.reveal')}
                  </Button>
                )}
              </>
            )}
            {facilitator && (
              <>
                <Divider />
                <Tooltip label={attention.leading ? t('session.attention.stopFollow') : t('session.attention.followMeHint')} openDelay={300}>
                  <Button
                    variant={attention.leading ? 'filled' : 'subtle'}
                    size="compact-sm"
                    leftSection={<FollowIcon />}
                    onClick={() => attention.setLeading(!attention.leading)}
                    aria-pressed={attention.leading}
                    data-testid="follow-me"
                  >
                    {t('session.attention.followMe')}
                  </Button>
                </Tooltip>
                <Tooltip label={t('session.attention.bringHereHint')} openDelay={300}>
                  <ActionIcon variant="subtle" size="lg" aria-label={t('session.attention.bringHere')} onClick={attention.bringEveryoneHere} data-testid="bring-here">
                    <GatherIcon />
                  </ActionIcon>
                </Tooltip>
                {selectedIds.length > 0 && (
                  <Tooltip label={lockedSelected ? t('session.attention.unlockFrame') : t('session.attention.lockFrame')} openDelay={300}>
                    <ActionIcon
                      variant="subtle"
                      size="lg"
                      aria-label={lockedSelected ? t('session.attention.unlockFrame') : t('session.attention.lockFrame')}
                      onClick={() => safely(() => session.setLocked(selectedIds, !lockedSelected))}
                      data-testid="toggle-lock"
                    >
                      {lockedSelected ? <UnlockIcon /> : <LockIcon />}
                    </ActionIcon>
                  </Tooltip>
                )}
              </>
            )}
            {attention.following && (
              <>
                <Divider />
                <Badge color="teal" variant="light" leftSection={<FollowIcon />} data-testid="following">
                  {t('session.attention.following')}
                </Badge>
                <Button variant="subtle" size="compact-sm" onClick={attention.breakOut} data-testid="break-out">
                  {t('session.attention.breakOut')}
                </Button>
              </>
            )}
            {attention.brokeOut && (
              <>
                <Divider />
                <Button variant="light" color="teal" size="compact-sm" leftSection={<FollowIcon />} onClick={attention.followAgain} data-testid="follow-again">
                  {t('session.attention.followAgain')}
                </Button>
              </>
            )}
          </Stack>
        </Paper>
      </Panel>
      {showRanking && (
        <Panel position="top-center" className="ranking-panel">
          <RankingCard entry={lastClosed} number={live.history.indexOf(lastClosed) + 1} history={live.history} session={session} onClose={() => setDismissedRound(lastClosed.round.id)} />
        </Panel>
      )}
      <AgendaDrawer opened={agendaOpen} onClose={() => setAgendaOpen(false)} session={session} agenda={agenda} facilitator={facilitator} safely={safely} />
      {facilitator && (
        <VotingDialog
          opened={votingOpen}
          onClose={() => setVotingOpen(false)}
          selectedFrameIds={selectedFrameIds}
          onStart={(settings) =>
            safely(() => {
              session.startRound(settings, Date.now());
              setVotingOpen(false);
            })
          }
        />
      )}
    </>
  );
}

function RankingCard(props: { entry: RoundWithResults; number: number; history: RoundWithResults[]; session: SessionDoc; onClose(): void }) {
  const { t } = useTranslation();
  const { entry, session } = props;
  const earlier = props.history.filter((other) => other.round.status === 'closed' && other !== entry);
  // equal votes share a place, as in the exported summary
  const places = rankingPlaces(entry.results.map((result) => result.votes));
  return (
    <Paper className="ranking-card" shadow="md" radius="lg" p="sm" withBorder data-testid="ranking">
      <Group justify="space-between" mb={6} wrap="nowrap">
        <Text fw={700}>
          {t('session.voting.results')}: {entry.round.title || t('session.voting.roundN', { n: props.number })}
        </Text>
        <CloseButton aria-label={t('common.close')} onClick={props.onClose} />
      </Group>
      <ScrollArea.Autosize mah={320}>
        <Stack gap={4}>
          {entry.results.length === 0 && <Text c="dimmed">{t('session.voting.noVotes')}</Text>}
          {entry.results.map((result, index) => (
            <RankingRow key={result.nodeId} place={places[index]!} result={result} label={nodeLabel(session, result.nodeId, t)} />
          ))}
        </Stack>
        {earlier.length > 0 && (
          <>
            <Text size="xs" fw={700} c="dimmed" tt="uppercase" mt="sm" mb={4}>
              {t('session.voting.history')}
            </Text>
            {earlier.map((other) => (
              <Text key={other.round.id} size="xs" c="dimmed" data-testid="round-history">
                {other.round.title || t('session.voting.roundN', { n: props.history.indexOf(other) + 1 })}:{' '}
                {other.results
                  .slice(0, 3)
                  .map((result) => `${nodeLabel(session, result.nodeId, t)} (${result.votes})`)
                  .join(', ') || t('session.voting.noVotes')}
              </Text>
            ))}
          </>
        )}
      </ScrollArea.Autosize>
    </Paper>
  );
}

function RankingRow(props: { place: number; result: VoteResult; label: string }) {
  const { t } = useTranslation();
  return (
    <Group gap="xs" wrap="nowrap" data-testid="ranking-row" title={props.result.voters?.join(', ')}>
      <Text fw={700} w={22} ta="right">
        {props.place}.
      </Text>
      <Text size="sm" style={{ flex: 1 }} truncate>
        {props.label}
      </Text>
      <Badge color="indigo" data-testid="ranking-votes">
        {t('session.voting.votes', { count: props.result.votes })}
      </Badge>
    </Group>
  );
}
