import { useCallback, useState, useSyncExternalStore } from 'react';
import { Button, Group, Menu, Tooltip } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useStore } from '@xyflow/react';
import { useTranslation } from 'react-i18next';
import { createRecordFromBoard, draftFromSelection, type RecordDraft, type RecordKind } from '../../../shared/from-board/make-record';
import { roleOf, type ExportKind, type Locale } from '../../../shared/host';
import { applyTemplate, saveBoardAsTemplate, EmptyTemplateError } from '../../../shared/templates/apply';
import { useHost } from '../../app/host-context';
import { notifyError } from '../../ui/notify';
import { useBoardUi } from '../board/board-context';
import { MakeRecordDialog } from './MakeRecordDialog';
import { SaveTemplateDialog } from './SaveTemplateDialog';
import { presentNames, useSessionOutputScope, type SessionOutputScope } from './session-output-context';
import { readSessionForSummary, setAgendaFromTemplate } from './session-data';
import { TemplatePicker, type PickedTemplate } from './TemplatePicker';

// Ids of the selected nodes as one string, so the bar re-renders only when the selection changes.
const selectedIdsKey = (state: { nodes: Array<{ id: string; selected?: boolean }> }) =>
  state.nodes
    .filter((node) => node.selected)
    .map((node) => node.id)
    .join(',');

/** Templates, «Сделать проблемой / проектом» and «Экспорт итогов» on the board; nothing when the board is shown alone. */
export function SessionOutputBar() {
  const scope = useSessionOutputScope();
  return scope ? <SessionOutputTools scope={scope} /> : null;
}

function SessionOutputTools({ scope }: { scope: SessionOutputScope }) {
  const { t, i18n } = useTranslation();
  const host = useHost();
  const { board } = useBoardUi();
  const selectedKey = useStore(selectedIdsKey);
  const selectedIds = selectedKey ? selectedKey.split(',') : [];
  const role = roleOf(scope.workspace);
  const canEdit = role !== 'viewer';
  const [picker, setPicker] = useState(false);
  const subscribeToNodes = useCallback((onChange: () => void) => board.nodes.observe(onChange), [board]);
  const boardIsEmpty = useSyncExternalStore(subscribeToNodes, () => board.nodes.size === 0);
  // A new (or emptied) board offers the templates right on the toolbar, without blocking the canvas.
  const offerTemplates = canEdit && boardIsEmpty;
  const [savingTemplate, setSavingTemplate] = useState(false);
  const [making, setMaking] = useState<{ kind: RecordKind; draft: RecordDraft } | null>(null);
  const [exporting, setExporting] = useState<ExportKind | null>(null);
  const locale: Locale = i18n.language === 'en' ? 'en' : 'ru';

  const pickTemplate = ({ name, content }: PickedTemplate) => {
    setPicker(false);
    try {
      const applied = applyTemplate(board, content);
      notifications.show({ color: 'teal', message: t('summary.templates.applied', { name }) });
      if (applied.agenda.length > 0 && setAgendaFromTemplate(board.doc, board.origin, applied.agenda)) {
        notifications.show({ color: 'teal', message: t('summary.templates.agendaApplied') });
      }
    } catch (error) {
      notifyError(t, error, 'applyTemplate');
    }
  };

  const saveTemplate = (input: { title: string; description: string; keepAgenda: boolean }) => {
    setSavingTemplate(false);
    try {
      const agenda = input.keepAgenda
        ? readSessionForSummary(board.doc).agenda.map((stage) => ({ title: stage.title, minutes: Math.max(1, Math.round(stage.durationMs / 60_000)) }))
        : [];
      saveBoardAsTemplate(scope.index, board, { title: input.title, description: input.description, agenda });
      notifications.show({ color: 'teal', message: t('summary.saveTemplate.saved', { name: input.title }) });
    } catch (error) {
      if (error instanceof EmptyTemplateError) notifications.show({ color: 'yellow', message: t('summary.saveTemplate.empty') });
      else notifyError(t, error, 'saveTemplate');
    }
  };

  const startRecord = (kind: RecordKind) => {
    const draft = draftFromSelection(board.nodes.list(), selectedIds, readSessionForSummary(board.doc).votes);
    if (draft) setMaking({ kind, draft });
  };

  const createRecord = (draft: RecordDraft) => {
    if (!making) return;
    try {
      createRecordFromBoard(scope.index, board, scope.boardId, making.kind, draft);
      notifications.show({
        color: 'teal',
        message: t(making.kind === 'problem' ? 'summary.makeRecord.createdProblem' : 'summary.makeRecord.createdProject', { title: draft.title }),
      });
      setMaking(null);
    } catch (error) {
      notifyError(t, error, 'makeRecord');
    }
  };

  const exportSummary = async (kind: ExportKind) => {
    setExporting(kind);
    const progress = notifications.show({ loading: true, autoClose: false, message: t('summary.export.working') });
    try {
      const session = readSessionForSummary(board.doc);
      const title = scope.index.boards.get(scope.boardId)?.title ?? '';
      // docx, pdf-lib and the fonts load on the first export, not with the board
      const { exportSessionSummary } = await import('./export-summary');
      const saved = await exportSessionSummary({
        host,
        doc: board.doc,
        index: scope.index,
        boardId: scope.boardId,
        kind,
        locale,
        fileName: t('summary.export.fileName', { board: title }),
        presentNames: presentNames(scope.awareness),
        agenda: session.agenda,
        rounds: session.rounds,
      });
      notifications.hide(progress);
      if (saved) notifications.show({ color: 'teal', message: t('summary.export.saved', { name: saved }) });
    } catch (error) {
      notifications.hide(progress);
      notifyError(t, error, 'exportSummary');
    } finally {
      setExporting(null);
    }
  };

  const nothingSelected = selectedIds.length === 0;
  const recordButton = (kind: RecordKind) => (
    <Tooltip label={t('summary.bar.selectFirst')} disabled={!nothingSelected}>
      <Button variant="light" color={kind === 'problem' ? 'pink' : 'green'} disabled={nothingSelected} onClick={() => startRecord(kind)} data-testid={`make-${kind}`}>
        {t(kind === 'problem' ? 'summary.bar.makeProblem' : 'summary.bar.makeProject')}
      </Button>
    </Tooltip>
  );

  return (
    <>
      <Group gap={4} className="board-toolbar" wrap="nowrap" role="toolbar" aria-label={t('summary.bar.label')} data-testid="session-output-bar">
        {canEdit && (
          <>
            <Button
              variant={offerTemplates ? 'filled' : 'subtle'}
              onClick={() => setPicker(true)}
              title={t('summary.bar.templatesHint')}
              data-testid="open-templates"
              data-offered={offerTemplates || undefined}
            >
              {offerTemplates ? t('summary.bar.startFromTemplate') : t('summary.bar.templates')}
            </Button>
            <Button variant="subtle" onClick={() => setSavingTemplate(true)} data-testid="save-template" visibleFrom="sm">
              {t('summary.bar.saveTemplate')}
            </Button>
            {recordButton('problem')}
            {recordButton('project')}
          </>
        )}
        <Menu position="top-end" withinPortal>
          <Menu.Target>
            <Button loading={exporting !== null} data-testid="export-summary">
              {t('summary.bar.export')}
            </Button>
          </Menu.Target>
          <Menu.Dropdown>
            <Menu.Item onClick={() => void exportSummary('docx')} data-testid="export-docx">
              {t('summary.bar.exportDocx')}
            </Menu.Item>
            <Menu.Item onClick={() => void exportSummary('pdf')} data-testid="export-pdf">
              {t('summary.bar.exportPdf')}
            </Menu.Item>
          </Menu.Dropdown>
        </Menu>
      </Group>
      {canEdit && <TemplatePicker opened={picker} index={scope.index} onClose={() => setPicker(false)} onPick={pickTemplate} />}
      {savingTemplate && (
        <SaveTemplateDialog
          opened
          defaultName={scope.index.boards.get(scope.boardId)?.title ?? ''}
          hasAgenda={readSessionForSummary(board.doc).agenda.length > 0}
          onClose={() => setSavingTemplate(false)}
          onSave={saveTemplate}
        />
      )}
      {making && <MakeRecordDialog kind={making.kind} draft={making.draft} onClose={() => setMaking(null)} onCreate={createRecord} />}
    </>
  );
}
