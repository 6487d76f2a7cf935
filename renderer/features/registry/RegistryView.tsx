import { memo, useCallback, useDeferredValue, useEffect, useMemo, useRef, useState } from 'react';
import { Button, Checkbox, Group, Menu, SegmentedControl, Select, Stack, Text, TextInput, UnstyledButton } from '@mantine/core';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useTranslation } from 'react-i18next';
import type { Id } from '../../../shared/ids';
import type { RegistryRouteFilter } from '../../../shared/links';
import type { Problem, WorkspaceIndex } from '../../../shared/model';
import { problemStatuses } from '../../../shared/model';
import { PlusIcon } from '../../ui/icons';
import { notifyError } from '../../ui/notify';
import { BulkEditBar } from './BulkEditBar';
import { ImportDialog } from './ImportDialog';
import { ProblemDrawer } from './ProblemDrawer';
import { filterFromRoute, filterProblems, isSystemic, registryColumns, sortProblems, type RegistryColumn, type RegistryFilter, type RegistrySort } from './registry-query';
import { useRegistry, type RegistryData } from './use-registry';
import './registry.css';

const ROW_HEIGHT = 40;
const COLUMN_WIDTH: Record<RegistryColumn, string> = {
  title: 'minmax(260px, 3fr)',
  territory: 'minmax(140px, 1.2fr)',
  category: 'minmax(120px, 1fr)',
  kind: '118px',
  status: '120px',
  signals: '90px',
  lastSignal: '120px',
  owner: 'minmax(120px, 1fr)',
  projects: '86px',
  createdAt: '110px',
};
const DEFAULT_COLUMNS: RegistryColumn[] = ['title', 'territory', 'category', 'kind', 'status', 'signals', 'lastSignal', 'projects'];
const COLUMNS_KEY = 'stratboard.registry.columns';

function loadColumns(): RegistryColumn[] {
  try {
    const stored = JSON.parse(window.localStorage.getItem(COLUMNS_KEY) ?? 'null') as unknown;
    if (Array.isArray(stored)) {
      const valid = registryColumns.filter((column) => stored.includes(column));
      if (valid.includes('title')) return valid;
    }
  } catch {
    // A damaged preference falls back to the default columns.
  }
  return DEFAULT_COLUMNS;
}

export function RegistryView(props: { index: WorkspaceIndex; routeFilter?: RegistryRouteFilter; onOpenMap: (problemId: Id) => void; onOpenCandidates: () => void }) {
  const { t } = useTranslation();
  const data = useRegistry(props.index);
  const [filter, setFilter] = useState<RegistryFilter>(() => filterFromRoute(props.routeFilter));
  const routeKey = JSON.stringify(props.routeFilter ?? {});
  useEffect(() => setFilter(filterFromRoute(JSON.parse(routeKey) as RegistryRouteFilter)), [routeKey]);
  const [searchText, setSearchText] = useState(filter.text ?? '');
  useEffect(() => setSearchText(filter.text ?? ''), [filter.text]);
  const deferredText = useDeferredValue(searchText);
  const [sort, setSort] = useState<RegistrySort>({ column: 'signals', direction: 'desc' });
  const [columns, setColumns] = useState<RegistryColumn[]>(loadColumns);
  const [selected, setSelected] = useState<ReadonlySet<Id>>(new Set());
  const [openId, setOpenId] = useState<Id | null>(null);
  const [importing, setImporting] = useState(false);

  const rows = useMemo(
    () => sortProblems(filterProblems(data.problems, { ...filter, text: deferredText }, data.context), sort, data.context, data.label),
    [data.problems, data.context, data.label, filter, deferredText, sort],
  );

  const toggleColumn = (column: RegistryColumn) => {
    const next = columns.includes(column) ? columns.filter((c) => c !== column) : registryColumns.filter((c) => c === column || columns.includes(c));
    setColumns(next);
    window.localStorage.setItem(COLUMNS_KEY, JSON.stringify(next));
  };

  const toggleSort = (column: RegistryColumn) =>
    setSort((current) =>
      current.column === column
        ? { column, direction: current.direction === 'asc' ? 'desc' : 'asc' }
        : { column, direction: column === 'signals' || column === 'projects' || column === 'lastSignal' ? 'desc' : 'asc' },
    );

  const toggleRow = useCallback((id: Id) => {
    setSelected((current) => {
      const next = new Set(current);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  }, []);

  const allShownSelected = rows.length > 0 && rows.every((row) => selected.has(row.id));
  const addProblem = () => {
    try {
      const problem = props.index.problems.create({
        title: t('registry.table.newProblemTitle'),
        category: data.categories[0]?.id ?? 'other',
        kind: 'unclassified',
        status: 'new',
        createdAt: new Date().toISOString(),
      });
      setOpenId(problem.id);
    } catch (error) {
      notifyError(t, error, 'addProblem');
    }
  };

  const gridTemplate = `40px ${columns.map((column) => COLUMN_WIDTH[column]).join(' ')}`;
  const hasFilter = Boolean(filter.territoryId || filter.category || filter.status || filter.systemic || searchText);

  return (
    <Stack gap={0} className="registry-view" data-testid="registry-view">
      <Group gap="xs" p="sm" className="registry-toolbar" wrap="wrap">
        <TextInput
          placeholder={t('registry.table.search')}
          aria-label={t('registry.table.search')}
          value={searchText}
          onChange={(event) => setSearchText(event.currentTarget.value)}
          w={{ base: '100%', sm: 280 }}
          data-testid="registry-search"
        />
        <Select
          placeholder={t('registry.table.allTerritories')}
          aria-label={t('registry.columns.territory')}
          data={data.territories.map((territory) => ({ value: territory.id, label: territory.name })).sort((a, b) => a.label.localeCompare(b.label, 'ru'))}
          value={filter.territoryId ?? null}
          onChange={(value) => setFilter((f) => ({ ...f, territoryId: value ?? undefined }))}
          clearable
          searchable
          w={{ base: '48%', sm: 200 }}
          data-testid="filter-territory"
        />
        <Select
          placeholder={t('registry.table.allCategories')}
          aria-label={t('registry.columns.category')}
          data={data.categories.map((category) => ({ value: category.id, label: data.categoryLabel(category) }))}
          value={filter.category ?? null}
          onChange={(value) => setFilter((f) => ({ ...f, category: value ?? undefined }))}
          clearable
          w={{ base: '48%', sm: 170 }}
          data-testid="filter-category"
        />
        <Select
          placeholder={t('registry.table.allStatuses')}
          aria-label={t('registry.columns.status')}
          data={problemStatuses.map((status) => ({ value: status, label: t(`registry.statuses.${status}`) }))}
          value={filter.status ?? null}
          onChange={(value) => setFilter((f) => ({ ...f, status: value ?? undefined }))}
          clearable
          w={{ base: '48%', sm: 150 }}
          data-testid="filter-status"
        />
        <SegmentedControl
          size="xs"
          value={filter.systemic ?? 'all'}
          onChange={(value) => setFilter((f) => ({ ...f, systemic: value === 'all' ? undefined : (value as 'yes' | 'no') }))}
          data={[
            { value: 'all', label: t('registry.table.allKinds') },
            { value: 'yes', label: t('registry.table.systemicOnly') },
            { value: 'no', label: t('registry.table.situationalOnly') },
          ]}
          data-testid="filter-systemic"
        />
        {hasFilter && (
          <Button
            variant="subtle"
            size="xs"
            onClick={() => {
              setFilter({});
              setSearchText('');
            }}
          >
            {t('registry.table.resetFilters')}
          </Button>
        )}
        <Group gap="xs" ml="auto" wrap="nowrap">
          <Menu closeOnItemClick={false} position="bottom-end">
            <Menu.Target>
              <Button variant="default" size="xs" data-testid="choose-columns">
                {t('registry.table.columns')}
              </Button>
            </Menu.Target>
            <Menu.Dropdown>
              {registryColumns
                .filter((column) => column !== 'title')
                .map((column) => (
                  <Menu.Item key={column} onClick={() => toggleColumn(column)}>
                    <Checkbox label={t(`registry.columns.${column}`)} checked={columns.includes(column)} readOnly size="xs" />
                  </Menu.Item>
                ))}
            </Menu.Dropdown>
          </Menu>
          <Button variant="default" size="xs" leftSection={<PlusIcon />} onClick={addProblem} data-testid="add-problem">
            {t('registry.table.addProblem')}
          </Button>
          <Button variant="light" size="xs" onClick={props.onOpenCandidates} data-testid="open-candidates">
            {t('registry.table.candidates')}
          </Button>
          <Button size="xs" onClick={() => setImporting(true)} data-testid="open-import">
            {t('registry.table.import')}
          </Button>
        </Group>
      </Group>
      {selected.size > 0 && <BulkEditBar data={data} selected={selected} onClear={() => setSelected(new Set())} />}
      <Text size="xs" c="dimmed" px="sm" pb={4} data-testid="registry-count">
        {t('registry.table.shown', { shown: rows.length, total: data.problems.length })}
      </Text>
      <div className="registry-table" role="grid" aria-rowcount={rows.length + 1}>
        <div className="registry-row registry-head" role="row" style={{ gridTemplateColumns: gridTemplate }}>
          <div role="columnheader" className="registry-cell">
            <Checkbox
              size="xs"
              aria-label={t('registry.table.selectAll')}
              checked={allShownSelected}
              indeterminate={!allShownSelected && rows.some((row) => selected.has(row.id))}
              onChange={() => setSelected(allShownSelected ? new Set() : new Set(rows.map((row) => row.id)))}
              data-testid="select-all"
            />
          </div>
          {columns.map((column) => (
            <div
              key={column}
              role="columnheader"
              className="registry-cell"
              aria-sort={sort.column === column ? (sort.direction === 'asc' ? 'ascending' : 'descending') : 'none'}
            >
              <UnstyledButton
                onClick={() => toggleSort(column)}
                className="registry-sort"
                aria-label={t('registry.table.sortBy', { column: t(`registry.columns.${column}`) })}
                data-testid={`sort-${column}`}
              >
                {t(`registry.columns.${column}`)}
                {sort.column === column ? (sort.direction === 'asc' ? ' ↑' : ' ↓') : ''}
              </UnstyledButton>
            </div>
          ))}
        </div>
        <RegistryBody rows={rows} columns={columns} gridTemplate={gridTemplate} data={data} selected={selected} onToggle={toggleRow} onOpen={setOpenId} />
        {rows.length === 0 && (
          <Text c="dimmed" p="xl" ta="center" data-testid="registry-empty">
            {data.problems.length === 0 ? t('registry.table.empty') : t('registry.table.nothingFound')}
          </Text>
        )}
      </div>
      <ProblemDrawer data={data} problemId={openId} onClose={() => setOpenId(null)} onOpenMap={props.onOpenMap} />
      <ImportDialog index={props.index} opened={importing} onClose={() => setImporting(false)} onOpenCandidates={props.onOpenCandidates} />
    </Stack>
  );
}

function RegistryBody(props: {
  rows: Problem[];
  columns: RegistryColumn[];
  gridTemplate: string;
  data: RegistryData;
  selected: ReadonlySet<Id>;
  onToggle: (id: Id) => void;
  onOpen: (id: Id) => void;
}) {
  const scroller = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: props.rows.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
    getItemKey: (index) => props.rows[index]!.id,
  });
  return (
    <div ref={scroller} className="registry-scroll" data-testid="registry-scroll">
      <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
        {virtualizer.getVirtualItems().map((item) => {
          const problem = props.rows[item.index]!;
          return (
            <RegistryRow
              key={item.key}
              problem={problem}
              top={item.start}
              rowIndex={item.index}
              columns={props.columns}
              gridTemplate={props.gridTemplate}
              data={props.data}
              selected={props.selected.has(problem.id)}
              onToggle={props.onToggle}
              onOpen={props.onOpen}
            />
          );
        })}
      </div>
    </div>
  );
}

// Plain elements, not Mantine components: a fast scroll mounts a few rows every frame,
// and each Mantine checkbox or badge costs more than the whole row otherwise.
const RegistryRow = memo(function RegistryRow(props: {
  problem: Problem;
  top: number;
  rowIndex: number;
  columns: RegistryColumn[];
  gridTemplate: string;
  data: RegistryData;
  selected: boolean;
  onToggle: (id: Id) => void;
  onOpen: (id: Id) => void;
}) {
  const { t } = useTranslation();
  const { problem, data } = props;
  const uncoveredSystemic = isSystemic(problem) && (data.projectsByProblem.get(problem.id)?.length ?? 0) === 0;
  return (
    <div
      role="row"
      aria-rowindex={props.rowIndex + 2}
      aria-selected={props.selected}
      className={`registry-row${props.selected ? ' is-selected' : ''}`}
      style={{ gridTemplateColumns: props.gridTemplate, transform: `translateY(${props.top}px)` }}
      data-testid="registry-row"
      data-problem-id={problem.id}
    >
      <div role="gridcell" className="registry-cell">
        <input type="checkbox" className="registry-check" aria-label={t('registry.table.selectRow')} checked={props.selected} onChange={() => props.onToggle(problem.id)} />
      </div>
      {props.columns.map((column) => (
        <div key={column} role="gridcell" className={`registry-cell cell-${column}`}>
          {column === 'title' ? (
            <button type="button" className="registry-title" onClick={() => props.onOpen(problem.id)} data-testid="open-problem" title={problem.title}>
              {problem.title}
            </button>
          ) : column === 'kind' ? (
            <span className={`kind-badge kind-${problem.kind}${uncoveredSystemic ? ' is-uncovered' : ''}`} data-testid="problem-kind">
              {data.label('kind', problem)}
            </span>
          ) : column === 'signals' ? (
            problem.signalCount
          ) : column === 'projects' ? (
            (data.projectsByProblem.get(problem.id)?.length ?? 0)
          ) : column === 'lastSignal' ? (
            (problem.lastSignalAt ?? '')
          ) : column === 'createdAt' ? (
            problem.createdAt.slice(0, 10)
          ) : (
            data.label(column, problem)
          )}
        </div>
      ))}
    </div>
  );
});
