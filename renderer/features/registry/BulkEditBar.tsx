import { useState } from 'react';
import { Button, Group, Select, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useTranslation } from 'react-i18next';
import type { Id } from '../../../shared/ids';
import { problemStatuses, type Problem } from '../../../shared/model';
import { notifyError } from '../../ui/notify';
import { OwnerSelect } from './OwnerSelect';
import type { RegistryData } from './use-registry';

const KEEP = '';

/** Edits status, category, kind and owner of all selected problems in one transaction (one undo step, one sync update). */
export function BulkEditBar(props: { data: RegistryData; selected: ReadonlySet<Id>; onClear: () => void }) {
  const { t } = useTranslation();
  const { data } = props;
  const [status, setStatus] = useState<string>(KEEP);
  const [category, setCategory] = useState<string>(KEEP);
  const [kind, setKind] = useState<string>(KEEP);
  const [ownerId, setOwnerId] = useState<Id | null>(null);
  const keep = { value: KEEP, label: t('registry.bulk.keep') };

  const apply = () => {
    const patch: Partial<Pick<Problem, 'status' | 'category' | 'kind' | 'ownerId' | 'kindDecision'>> = {};
    if (status) patch.status = status as Problem['status'];
    if (category) patch.category = category;
    if (kind) {
      patch.kind = kind as Problem['kind'];
      patch.kindDecision = { by: 'user', at: new Date().toISOString() };
    }
    if (ownerId) patch.ownerId = ownerId;
    if (Object.keys(patch).length === 0) return;
    try {
      const ids = [...props.selected];
      data.index.doc.transact(() => {
        for (const id of ids) if (data.index.problems.has(id)) data.index.problems.update(id, patch);
      });
      notifications.show({ color: 'teal', message: t('registry.bulk.applied', { count: ids.length }) });
      setStatus(KEEP);
      setCategory(KEEP);
      setKind(KEEP);
      setOwnerId(null);
    } catch (error) {
      notifyError(t, error, 'bulkEdit');
    }
  };

  return (
    <Group gap="xs" px="sm" py={6} className="bulk-bar" data-testid="bulk-bar" wrap="wrap">
      <Text size="sm" fw={600} data-testid="bulk-count">
        {t('registry.bulk.selected', { count: props.selected.size })}
      </Text>
      <Select
        size="xs"
        w={150}
        aria-label={t('registry.bulk.status')}
        placeholder={t('registry.bulk.status')}
        data={[keep, ...problemStatuses.map((value) => ({ value, label: t(`registry.statuses.${value}`) }))]}
        value={status}
        onChange={(value) => setStatus(value ?? KEEP)}
        data-testid="bulk-status"
      />
      <Select
        size="xs"
        w={170}
        aria-label={t('registry.bulk.category')}
        data={[keep, ...data.categories.map((c) => ({ value: c.id, label: data.categoryLabel(c) }))]}
        value={category}
        onChange={(value) => setCategory(value ?? KEEP)}
        data-testid="bulk-category"
      />
      <Select
        size="xs"
        w={150}
        aria-label={t('registry.bulk.kind')}
        data={[keep, ...(['systemic', 'situational'] as const).map((value) => ({ value, label: t(`registry.kinds.${value}`) }))]}
        value={kind}
        onChange={(value) => setKind(value ?? KEEP)}
        data-testid="bulk-kind"
      />
      <OwnerSelect index={data.index} people={data.people} value={ownerId} onChange={setOwnerId} placeholder={t('registry.bulk.owner')} size="xs" w={190} testId="bulk-owner" />
      <Button size="xs" onClick={apply} data-testid="bulk-apply">
        {t('registry.bulk.apply')}
      </Button>
      <Button size="xs" variant="subtle" onClick={props.onClear}>
        {t('registry.bulk.clear')}
      </Button>
    </Group>
  );
}
