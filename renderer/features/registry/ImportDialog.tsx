import { useEffect, useRef, useState, type DragEvent } from 'react';
import { Alert, Badge, Button, Group, List, Modal, Progress, ScrollArea, Select, SimpleGrid, Stack, Table, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useTranslation } from 'react-i18next';
import type { Id } from '../../../shared/ids';
import { appealFields, remapColumn, type AppealField, type ColumnMapping, type ImportReport } from '../../../shared/import';
import type { Appeal, Dataset, WorkspaceIndex } from '../../../shared/model';
import { useHost } from '../../app/host-context';
import { ImportFailure, ImportWorker, type ImportWorkerResponse } from './import-protocol';
import { useRegistryWorkspace } from './use-appeals';
import { fixAppealTerritory, writeDataset } from './write-dataset';

const MAX_FILE_MB = 200;

type TableInfo = Extract<ImportWorkerResponse, { type: 'table' }>;
type Step =
  | { kind: 'pick'; error?: { code: string; params: Record<string, string | number> } }
  | { kind: 'reading' }
  | { kind: 'mapping'; table: TableInfo; mapping: ColumnMapping }
  | { kind: 'importing'; phase: 'parse' | 'write'; done: number; total: number }
  | { kind: 'report'; report: ImportReport; dataset: Dataset; appeals: Appeal[] };

/** Appeals import: pick a file → map columns (guessed) → preview → progress → report. */
export function ImportDialog(props: { index: WorkspaceIndex; opened: boolean; onClose: () => void; onOpenCandidates: () => void }) {
  const { t } = useTranslation();
  return (
    <Modal opened={props.opened} onClose={props.onClose} title={t('registry.import.title')} size="xl" data-testid="import-dialog">
      {props.opened && <ImportFlow {...props} />}
    </Modal>
  );
}

function ImportFlow(props: { index: WorkspaceIndex; onClose: () => void; onOpenCandidates: () => void }) {
  const { t } = useTranslation();
  const host = useHost();
  const workspace = useRegistryWorkspace();
  const [step, setStep] = useState<Step>({ kind: 'pick' });
  const [fileName, setFileName] = useState('');
  const [over, setOver] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const worker = useRef<ImportWorker | null>(null);

  useEffect(() => () => worker.current?.terminate(), []);

  const fail = (error: unknown) => {
    if (error instanceof ImportFailure) setStep({ kind: 'pick', error: { code: error.code, params: error.params } });
    else setStep({ kind: 'pick', error: { code: 'internal', params: {} } });
    console.error('import', error);
  };

  const readFile = async (file: File) => {
    if (file.size > MAX_FILE_MB * 1024 * 1024) {
      setStep({ kind: 'pick', error: { code: 'too-big', params: { mb: MAX_FILE_MB } } });
      return;
    }
    setFileName(file.name);
    setStep({ kind: 'reading' });
    worker.current?.terminate();
    worker.current = new ImportWorker();
    try {
      const table = await worker.current.read(await file.arrayBuffer());
      setStep({ kind: 'mapping', table, mapping: table.mapping });
    } catch (error) {
      fail(error);
    }
  };

  const runImport = async (mapping: ColumnMapping) => {
    if (!worker.current) return;
    setStep({ kind: 'importing', phase: 'parse', done: 0, total: 1 });
    try {
      const { appeals, report } = await worker.current.import(mapping, props.index.territories.list(), props.index.categories.list(), (done, total) =>
        setStep({ kind: 'importing', phase: 'parse', done, total }),
      );
      const dataset = await writeDataset(
        host,
        workspace,
        props.index,
        { title: t('registry.import.datasetTitle', { file: fileName, date: new Date().toLocaleDateString() }).slice(0, 500), sourceFileName: fileName.slice(0, 300), appeals },
        (done, total) => setStep({ kind: 'importing', phase: 'write', done, total }),
      );
      setStep({ kind: 'report', report, dataset, appeals });
    } catch (error) {
      fail(error);
    }
  };

  if (step.kind === 'pick' || step.kind === 'reading') {
    const onDrop = (event: DragEvent) => {
      event.preventDefault();
      setOver(false);
      const file = event.dataTransfer.files[0];
      if (file) void readFile(file);
    };
    return (
      <Stack>
        {step.kind === 'pick' && step.error && (
          <Alert color="red" title={t('errors.title')} data-testid="import-error">
            {importErrorText(t, step.error.code, step.error.params)}
          </Alert>
        )}
        <div
          className={`drop-zone${over ? ' is-over' : ''}`}
          role="button"
          tabIndex={0}
          onClick={() => input.current?.click()}
          onKeyDown={(event) => (event.key === 'Enter' || event.key === ' ') && input.current?.click()}
          onDragOver={(event) => {
            event.preventDefault();
            setOver(true);
          }}
          onDragLeave={() => setOver(false)}
          onDrop={onDrop}
          data-testid="import-drop"
        >
          <Text fw={600}>{step.kind === 'reading' ? t('registry.import.reading') : t('registry.import.drop')}</Text>
          <Text size="sm" c="dimmed">
            {t('registry.import.dropHint')}
          </Text>
          {step.kind === 'reading' && <Progress value={100} animated mt="md" />}
        </div>
        <input
          ref={input}
          type="file"
          accept=".csv,.txt,.tsv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
          hidden
          onChange={(event) => {
            const file = event.currentTarget.files?.[0];
            event.currentTarget.value = '';
            if (file) void readFile(file);
          }}
          data-testid="import-file"
        />
      </Stack>
    );
  }

  if (step.kind === 'mapping') {
    const { table, mapping } = step;
    const columns = table.headers.map((header, i) => ({ value: String(i), label: header || `#${i + 1}` }));
    const fieldOf = new Map<number, AppealField>(Object.entries(mapping).map(([field, column]) => [column, field as AppealField]));
    return (
      <Stack gap="sm" data-testid="import-mapping">
        <Group gap="xs">
          <Text fw={600}>{t('registry.import.mapping')}</Text>
          <Badge variant="light">{fileName}</Badge>
          <Badge variant="outline" color="gray">
            {[table.format.toUpperCase(), table.encoding, table.delimiter && `«${table.delimiter === '\t' ? 'Tab' : table.delimiter}»`].filter(Boolean).join(' · ')}
          </Badge>
          <Text size="sm" c="dimmed" data-testid="import-row-count">
            {t('registry.import.rowsInFile', { count: table.rowCount })}
          </Text>
        </Group>
        <Text size="sm" c="dimmed">
          {t('registry.import.mappingHint')}
        </Text>
        <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="xs">
          {appealFields.map((field) => (
            <Select
              key={field}
              size="xs"
              label={t(`registry.import.fields.${field}`)}
              data={[{ value: '', label: t('registry.import.notMapped') }, ...columns]}
              value={mapping[field] === undefined ? '' : String(mapping[field])}
              onChange={(value) =>
                setStep({ ...step, mapping: remapColumn(mapping, field, value === null || value === '' ? undefined : Number(value)) })
              }
              error={field === 'text' && mapping.text === undefined ? t('registry.errors.noTextColumn') : undefined}
              data-testid={`map-field-${field}`}
            />
          ))}
        </SimpleGrid>
        <Text fw={600} size="sm">
          {t('registry.import.preview')}
        </Text>
        <ScrollArea type="auto" mah={260}>
          <Table withTableBorder striped fz="xs" data-testid="import-preview">
            <Table.Thead>
              <Table.Tr>
                {table.headers.map((header, i) => (
                  <Table.Th key={i}>
                    {header}
                    {fieldOf.has(i) && (
                      <Badge size="xs" ml={4} variant="light">
                        {t(`registry.import.fields.${fieldOf.get(i)!}`)}
                      </Badge>
                    )}
                  </Table.Th>
                ))}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {table.preview.map((row, r) => (
                <Table.Tr key={r}>
                  {table.headers.map((_, i) => (
                    <Table.Td key={i} style={{ maxWidth: 260, whiteSpace: 'nowrap', overflow: 'hidden', textOverflow: 'ellipsis' }}>
                      {row[i] ?? ''}
                    </Table.Td>
                  ))}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </ScrollArea>
        <Group justify="flex-end">
          <Button variant="default" onClick={() => setStep({ kind: 'pick' })}>
            {t('common.back')}
          </Button>
          <Button onClick={() => void runImport(mapping)} disabled={mapping.text === undefined} data-testid="import-start">
            {t('registry.import.start')}
          </Button>
        </Group>
      </Stack>
    );
  }

  if (step.kind === 'importing') {
    const share = step.total > 0 ? step.done / step.total : 0;
    const percent = Math.round((step.phase === 'parse' ? share * 0.5 : 0.5 + share * 0.5) * 100);
    return (
      <Stack data-testid="import-progress">
        <Text>{t('registry.import.running')}</Text>
        <Progress value={percent} animated aria-label={t('registry.import.running')} />
        <Text size="sm" c="dimmed">
          {t('registry.import.progress', { done: step.done, total: step.total })}
        </Text>
      </Stack>
    );
  }

  return <ImportReportView index={props.index} report={step.report} appeals={step.appeals} onClose={props.onClose} onOpenCandidates={props.onOpenCandidates} onAnother={() => setStep({ kind: 'pick' })} />;
}

function importErrorText(t: ReturnType<typeof useTranslation>['t'], code: string, params: Record<string, string | number>): string {
  if (code === 'too-big') return t('registry.errors.tooBig', params);
  const key = `registry.importError.${code}`;
  return t(key, { ...params, defaultValue: t('registry.errors.badFile') });
}

function ImportReportView(props: {
  index: WorkspaceIndex;
  report: ImportReport;
  appeals: Appeal[];
  onClose: () => void;
  onOpenCandidates: () => void;
  onAnother: () => void;
}) {
  const { t } = useTranslation();
  const workspace = useRegistryWorkspace();
  const { report } = props;
  const [added, setAdded] = useState(false);

  const addTerritories = () => {
    const byRow = new Map<number, Id>(props.appeals.map((appeal) => [appeal.row, appeal.id]));
    let count = 0;
    for (const group of report.unresolvedTerritories) {
      if (group.partial) continue;
      const existing = props.index.territories.list().find((territory) => territory.name.toLowerCase() === group.name.toLowerCase());
      const territory =
        existing ??
        props.index.territories.create({ name: group.name.slice(0, 500), kind: /район|р-н|округ/i.test(group.name) ? 'district' : 'settlement' });
      if (!existing) count++;
      fixAppealTerritory(
        workspace,
        group.rows.map((row) => byRow.get(row)).filter((id): id is Id => id !== undefined),
        territory.id,
      );
    }
    setAdded(true);
    notifications.show({ color: 'teal', message: t('registry.import.territoriesAdded', { count }) });
  };

  const stat = (label: string, value: number, testId: string, color?: string) => (
    <Stack gap={0} align="center">
      <Text size="xl" fw={700} c={color} data-testid={testId}>
        {value}
      </Text>
      <Text size="xs" c="dimmed" ta="center">
        {label}
      </Text>
    </Stack>
  );
  const unresolvedRows = report.unresolvedTerritories.reduce((sum, group) => sum + group.rows.length, 0);

  return (
    <Stack data-testid="import-report">
      <Text fw={600}>{t('registry.import.report')}</Text>
      <SimpleGrid cols={{ base: 2, sm: 5 }}>
        {stat(t('registry.import.rowsRead'), report.rowsRead, 'report-read')}
        {stat(t('registry.import.imported'), report.imported, 'report-imported', 'teal')}
        {stat(t('registry.import.skipped'), report.skipped.length, 'report-skipped', report.skipped.length ? 'orange' : undefined)}
        {stat(t('registry.import.duplicates'), report.duplicates.length, 'report-duplicates')}
        {stat(t('registry.import.unresolved'), unresolvedRows, 'report-unresolved', unresolvedRows ? 'red' : undefined)}
      </SimpleGrid>
      {report.skipped.length > 0 && (
        <Stack gap={4}>
          <Text size="sm" fw={600}>
            {t('registry.import.skippedRows')}
          </Text>
          <ScrollArea.Autosize mah={140}>
            <List size="sm" data-testid="report-skipped-list">
              {report.skipped.slice(0, 200).map((skip) => (
                <List.Item key={skip.row}>
                  {t('registry.import.row', { row: skip.row })}: {t(`registry.skipReason.${skip.reason}`, { value: skip.value ?? '' })}
                </List.Item>
              ))}
            </List>
          </ScrollArea.Autosize>
        </Stack>
      )}
      {report.unresolvedTerritories.length > 0 && (
        <Alert color="orange" title={t('registry.import.unresolved')} data-testid="report-unresolved-list">
          <Text size="sm">{t('registry.import.unresolvedHint')}</Text>
          <List size="sm" mt={4}>
            {report.unresolvedTerritories.slice(0, 30).map((group) => (
              <List.Item key={group.name}>
                {group.name} — {group.rows.length}
              </List.Item>
            ))}
          </List>
          {!added && report.unresolvedTerritories.some((group) => !group.partial) && (
            <Button size="xs" mt="xs" variant="light" onClick={addTerritories} data-testid="report-add-territories">
              {t('registry.import.addTerritories')}
            </Button>
          )}
        </Alert>
      )}
      <Group justify="flex-end">
        <Button variant="default" onClick={props.onAnother}>
          {t('registry.import.another')}
        </Button>
        <Button
          onClick={() => {
            props.onClose();
            props.onOpenCandidates();
          }}
          data-testid="report-to-candidates"
        >
          {t('registry.import.toCandidates')}
        </Button>
      </Group>
    </Stack>
  );
}
