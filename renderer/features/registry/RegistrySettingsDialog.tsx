import { useState } from 'react';
import { Button, Checkbox, Group, Modal, NumberInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useTranslation } from 'react-i18next';
import type { ProblemRegistry, SystemicRule, WorkspaceIndex } from '../../../shared/model';
import { notifyError } from '../../ui/notify';
import { useLiveRecords } from './live-records';

/**
 * The registry's configurable parts: the rule that proposes "systemic" (saved in the
 * index doc and re-applied to every problem a person has not decided) and the category list.
 */
export function RegistrySettingsDialog(props: { opened: boolean; onClose: () => void; registry: ProblemRegistry; index: WorkspaceIndex }) {
  const { t } = useTranslation();
  return (
    <Modal opened={props.opened} onClose={props.onClose} title={t('registry.settings.title')} size="lg">
      {props.opened && (
        <Stack gap="lg">
          <RuleEditor registry={props.registry} onSaved={props.onClose} />
          <CategoryEditor registry={props.registry} index={props.index} />
        </Stack>
      )}
    </Modal>
  );
}

function RuleEditor(props: { registry: ProblemRegistry; onSaved: () => void }) {
  const { t } = useTranslation();
  const [rule, setRule] = useState<SystemicRule>(() => props.registry.settings().systemicRule);
  const number = (value: string | number) => (typeof value === 'number' ? value : Number.parseInt(value, 10) || 1);

  const save = () => {
    try {
      props.registry.updateSettings({ systemicRule: rule });
      const changed = props.registry.reapplySystemicRule(rule);
      notifications.show({ color: 'teal', message: t('registry.settings.ruleSaved', { count: changed.length }) });
      props.onSaved();
    } catch (error) {
      notifyError(t, error, 'updateSystemicRule');
    }
  };

  return (
    <Stack gap="xs" data-testid="rule-editor">
      <Title order={5}>{t('registry.candidates.rule')}</Title>
      <Text size="sm" c="dimmed">
        {t('registry.settings.ruleHint')}
      </Text>
      <Group align="flex-end" gap="sm">
        <Checkbox
          label={t('registry.settings.signalsEnabled')}
          checked={rule.signalsInWeeks.enabled}
          onChange={(event) => setRule({ ...rule, signalsInWeeks: { ...rule.signalsInWeeks, enabled: event.currentTarget.checked } })}
        />
        <NumberInput
          label={t('registry.settings.minSignals')}
          min={1}
          max={100_000}
          w={150}
          value={rule.signalsInWeeks.minSignals}
          onChange={(value) => setRule({ ...rule, signalsInWeeks: { ...rule.signalsInWeeks, minSignals: number(value) } })}
          data-testid="rule-min-signals"
        />
        <NumberInput
          label={t('registry.settings.weeks')}
          min={1}
          max={520}
          w={150}
          value={rule.signalsInWeeks.weeks}
          onChange={(value) => setRule({ ...rule, signalsInWeeks: { ...rule.signalsInWeeks, weeks: number(value) } })}
          data-testid="rule-weeks"
        />
      </Group>
      <Group align="flex-end" gap="sm">
        <Checkbox
          label={t('registry.settings.recurrenceEnabled')}
          checked={rule.recurrence.enabled}
          onChange={(event) => setRule({ ...rule, recurrence: { ...rule.recurrence, enabled: event.currentTarget.checked } })}
        />
        <NumberInput
          label={t('registry.settings.minMonths')}
          min={1}
          max={120}
          w={150}
          value={rule.recurrence.minMonths}
          onChange={(value) => setRule({ ...rule, recurrence: { ...rule.recurrence, minMonths: number(value) } })}
        />
        <NumberInput
          label={t('registry.settings.months')}
          min={1}
          max={120}
          w={150}
          value={rule.recurrence.months}
          onChange={(value) => setRule({ ...rule, recurrence: { ...rule.recurrence, months: number(value) } })}
        />
      </Group>
      <Group>
        <Button onClick={save} data-testid="rule-save">
          {t('registry.settings.saveRule')}
        </Button>
      </Group>
    </Stack>
  );
}

function CategoryEditor(props: { registry: ProblemRegistry; index: WorkspaceIndex }) {
  const { t } = useTranslation();
  // Re-rendered on every change of the categories collection.
  useLiveRecords(props.index.categories);
  const categories = props.registry.categoryList({ includeArchived: true });
  const [label, setLabel] = useState('');

  const run = (action: string, change: () => void) => {
    try {
      change();
    } catch (error) {
      notifyError(t, error, action);
    }
  };

  return (
    <Stack gap="xs" data-testid="category-editor">
      <Title order={5}>{t('registry.settings.categories')}</Title>
      {categories.map((category) => (
        <Group key={category.id} gap="xs" wrap="nowrap">
          <TextInput
            aria-label={t('registry.settings.categoryName')}
            defaultValue={category.label}
            style={{ flex: 1 }}
            disabled={category.archived}
            onBlur={(event) => {
              const next = event.currentTarget.value.trim();
              if (next && next !== category.label) run('renameCategory', () => props.registry.renameCategory(category.id, next));
            }}
          />
          <Button
            variant="subtle"
            size="xs"
            onClick={() => run('archiveCategory', () => props.registry.archiveCategory(category.id, !category.archived))}
          >
            {category.archived ? t('registry.settings.restore') : t('registry.settings.archive')}
          </Button>
        </Group>
      ))}
      <Group gap="xs" wrap="nowrap">
        <TextInput
          placeholder={t('registry.settings.newCategory')}
          aria-label={t('registry.settings.newCategory')}
          value={label}
          onChange={(event) => setLabel(event.currentTarget.value)}
          style={{ flex: 1 }}
          data-testid="category-new"
        />
        <Button
          disabled={!label.trim()}
          onClick={() =>
            run('addCategory', () => {
              props.registry.addCategory(label.trim());
              setLabel('');
            })
          }
          data-testid="category-add"
        >
          {t('common.create')}
        </Button>
      </Group>
    </Stack>
  );
}
