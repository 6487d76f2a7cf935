import { useCallback, useState, useSyncExternalStore } from 'react';
import { Button, Menu, Stack } from '@mantine/core';
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
    else notifications.show({ color: 'yellow', message: t('summary.makeRecord.selectFirst') });
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

  const somethingSelected = selectedIds.length > 0;

  // A narrow column at the bottom-left, so the session bar (bottom-centre) and the
  // minimap (bottom-right) keep their places; the registry actions appear with a selection.
  return (
    <>
      <Stack gap={4} className="board-toolbar" role="toolbar" aria-label={t('summary.bar.label')} data-testid="session-output-bar">
        {canEdit && somethingSelected && (
          <>
            <Button variant="light" color="pink" justify="flex-start" onClick={() => startRecord('problem')} data-testid="make-problem">
              {t('summary.bar.makeProblem')}
            </Button>
            <Button variant="light" color="green" justify="flex-start" onClick={() => startRecord('project')} data-testid="make-project">
              {t('summary.bar.makeProject')}
            </Button>
          </>
        )}
        {canEdit &&
          (offerTemplates ? (
            <Button onClick={() => setPicker(true)} title={t('summary.bar.templatesHint')} data-testid="open-templates" justify="flex-start">
              {t('summary.bar.startFromTemplate')}
            </Button>
          ) : (
            <Menu position="right-end" withinPortal>
              <Menu.Target>
                <Button variant="subtle" justify="flex-start" title={t('summary.bar.templatesHint')} data-testid="open-templates">
                  {t('summary.bar.templates')}
                </Button>
              </Menu.Target>
              <Menu.Dropdown>
                <Menu.Item onClick={() => setPicker(true)} data-testid="choose-template">
                  {t('summary.bar.chooseTemplate')}
                </Menu.Item>
                <Menu.Item onClick={() => setSavingTemplate(true)} data-testid="save-template">
                  {t('summary.bar.saveTemplate')}
                </Menu.Item>
              </Menu.Dropdown>
            </Menu>
          ))}
        <Menu position="right-end" withinPortal>
          <Menu.Target>
            <Button loading={exporting !== null} justify="flex-start" data-testid="export-summary">
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
      </Stack>
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
