import { useMemo, useState } from 'react';
import { SegmentedControl, Stack, Table, Text, Title, UnstyledButton } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { RegistryRouteFilter } from '../../../shared/links';
import { computeCoverage, type CoverageRow, type WorkspaceIndex } from '../../../shared/model';
import { CoverageChart, type CoverageBar } from './CoverageChart';
import { useRegistry } from './use-registry';
import './registry.css';

type Grouping = 'territory' | 'category';

/** Counts of problems, systemic, covered and uncovered by territory or category; every figure opens the filtered registry. */
export function CoverageView(props: { index: WorkspaceIndex; onOpenRegistry: (filter: RegistryRouteFilter) => void }) {
  const { t } = useTranslation();
  const data = useRegistry(props.index);
  const [grouping, setGrouping] = useState<Grouping>('territory');
  const coverage = useMemo(
    () => computeCoverage(data.problems, data.links, data.territories, { rollUpToDistrict: true }),
    [data.problems, data.links, data.territories],
  );
  const rows = grouping === 'territory' ? coverage.byTerritory : coverage.byCategory;
  const nameOf = (row: CoverageRow) =>
    grouping === 'territory'
      ? row.territoryId
        ? data.context.territoryName(row.territoryId) || row.territoryId
        : t('registry.coverage.noTerritory')
      : data.categoryLabel(data.categoryById.get(row.category ?? ''), row.category);
  const filterOf = (row: CoverageRow): RegistryRouteFilter =>
    grouping === 'territory' ? (row.territoryId ? { territory: row.territoryId } : {}) : { category: row.category };
  const sorted = [...rows].sort((a, b) => b.systemicUncovered - a.systemicUncovered || b.problems - a.problems || nameOf(a).localeCompare(nameOf(b), 'ru'));
  const bars: CoverageBar[] = sorted.map((row) => ({
    key: row.territoryId ?? row.category ?? '',
    label: nameOf(row),
    covered: row.covered,
    uncovered: row.uncovered,
    systemicUncovered: row.systemicUncovered,
    onClick: () => props.onOpenRegistry(filterOf(row)),
  }));

  const cell = (row: CoverageRow | null, value: number, extra: RegistryRouteFilter, testId: string) => (
    <Table.Td ta="right">
      <UnstyledButton
        className="coverage-link"
        onClick={() => props.onOpenRegistry({ ...(row ? filterOf(row) : {}), ...extra })}
        title={t('registry.coverage.openRegistry')}
        data-testid={testId}
      >
        {value}
      </UnstyledButton>
    </Table.Td>
  );

  return (
    <Stack p="md" gap="md" className="registry-page" data-testid="coverage-view">
      <Title order={3}>{t('registry.coverage.title')}</Title>
      <SegmentedControl
        w="fit-content"
        value={grouping}
        onChange={(value) => setGrouping(value as Grouping)}
        data={[
          { value: 'territory', label: t('registry.coverage.byTerritory') },
          { value: 'category', label: t('registry.coverage.byCategory') },
        ]}
        data-testid="coverage-grouping"
      />
      {coverage.total.problems === 0 ? (
        <Text c="dimmed">{t('registry.coverage.empty')}</Text>
      ) : (
        <>
          <CoverageChart bars={bars} title={t('registry.coverage.chart')} />
          <Table.ScrollContainer minWidth={560}>
            <Table striped highlightOnHover data-testid="coverage-table">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('registry.coverage.group')}</Table.Th>
                  <Table.Th ta="right">{t('registry.coverage.problems')}</Table.Th>
                  <Table.Th ta="right">{t('registry.coverage.systemic')}</Table.Th>
                  <Table.Th ta="right">{t('registry.coverage.covered')}</Table.Th>
                  <Table.Th ta="right">{t('registry.coverage.uncovered')}</Table.Th>
                  <Table.Th ta="right">{t('registry.coverage.uncoveredSystemic')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {sorted.map((row) => (
                  <Table.Tr key={row.territoryId ?? row.category ?? ''} data-testid="coverage-row" data-key={row.territoryId ?? row.category ?? ''}>
                    <Table.Td>{nameOf(row)}</Table.Td>
                    {cell(row, row.problems, {}, 'coverage-problems')}
                    {cell(row, row.systemic, { systemic: 'yes' }, 'coverage-systemic')}
                    <Table.Td ta="right" data-testid="coverage-covered">
                      {row.covered}
                    </Table.Td>
                    <Table.Td ta="right" data-testid="coverage-uncovered">
                      {row.uncovered}
                    </Table.Td>
                    <Table.Td ta="right" c={row.systemicUncovered > 0 ? 'red' : undefined} fw={row.systemicUncovered > 0 ? 700 : undefined} data-testid="coverage-systemic-uncovered">
                      {row.systemicUncovered}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
              <Table.Tfoot>
                <Table.Tr data-testid="coverage-total">
                  <Table.Th>{t('registry.coverage.total')}</Table.Th>
                  {cell(null, coverage.total.problems, {}, 'coverage-total-problems')}
                  {cell(null, coverage.total.systemic, { systemic: 'yes' }, 'coverage-total-systemic')}
                  <Table.Th ta="right" data-testid="coverage-total-covered">
                    {coverage.total.covered}
                  </Table.Th>
                  <Table.Th ta="right" data-testid="coverage-total-uncovered">
                    {coverage.total.uncovered}
                  </Table.Th>
                  <Table.Th ta="right" data-testid="coverage-total-systemic-uncovered">
                    {coverage.total.systemicUncovered}
                  </Table.Th>
                </Table.Tr>
              </Table.Tfoot>
            </Table>
          </Table.ScrollContainer>
        </>
      )}
    </Stack>
  );
}
