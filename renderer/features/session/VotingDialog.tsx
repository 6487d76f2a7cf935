import { useState } from 'react';
import { Button, Checkbox, Group, Modal, NumberInput, SegmentedControl, Stack, Text, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Id } from '../../../shared/ids';
import type { VotingRoundSettings } from '../../../shared/model';

/** A facilitator sets up a voting round: votes per person, scope, anonymity, several votes per object. */
export function VotingDialog(props: {
  opened: boolean;
  onClose(): void;
  selectedFrameIds: Id[];
  onStart(settings: VotingRoundSettings): void;
}) {
  const { t } = useTranslation();
  const [title, setTitle] = useState('');
  const [votes, setVotes] = useState<number>(3);
  const [scope, setScope] = useState<'board' | 'frames'>('board');
  const [anonymous, setAnonymous] = useState(true);
  const [allowMultiple, setAllowMultiple] = useState(false);
  const framesMissing = scope === 'frames' && props.selectedFrameIds.length === 0;

  return (
    <Modal opened={props.opened} onClose={props.onClose} title={t('session.voting.title')} data-testid="voting-dialog">
      <form
        onSubmit={(event) => {
          event.preventDefault();
          if (framesMissing) return;
          props.onStart({
            title: title.trim(),
            votesPerPerson: votes,
            scope: scope === 'board' ? { kind: 'board' } : { kind: 'frames', frameIds: props.selectedFrameIds },
            anonymous,
            allowMultiple,
          });
        }}
      >
        <Stack>
          <TextInput label={t('session.voting.roundTitle')} value={title} maxLength={200} onChange={(event) => setTitle(event.currentTarget.value)} />
          <NumberInput
            label={t('session.voting.votesPerPerson')}
            value={votes}
            min={1}
            max={50}
            clampBehavior="strict"
            allowDecimal={false}
            onChange={(value) => setVotes(typeof value === 'number' && value >= 1 ? value : 1)}
            data-testid="votes-per-person"
          />
          <Stack gap={4}>
            <Text size="sm" fw={500}>
              {t('session.voting.scope')}
            </Text>
            <SegmentedControl
              value={scope}
              onChange={(value) => setScope(value as 'board' | 'frames')}
              data={[
                { value: 'board', label: t('session.voting.scopeBoard') },
                { value: 'frames', label: t('session.voting.scopeFrames') },
              ]}
            />
            {scope === 'frames' && (
              <Text size="xs" c={framesMissing ? 'red' : 'dimmed'}>
                {framesMissing
                  ? t('session.voting.noFramesSelected')
                  : t('session.voting.framesSelected', { count: props.selectedFrameIds.length })}
              </Text>
            )}
          </Stack>
          <Checkbox
            label={t('session.voting.anonymous')}
            description={t('session.voting.anonymousHint')}
            checked={anonymous}
            onChange={(event) => setAnonymous(event.currentTarget.checked)}
            data-testid="voting-anonymous"
          />
          <Checkbox
            label={t('session.voting.allowMultiple')}
            checked={allowMultiple}
            onChange={(event) => setAllowMultiple(event.currentTarget.checked)}
            data-testid="voting-allow-multiple"
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={props.onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" disabled={framesMissing} data-testid="start-voting">
              {t('session.voting.start')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
