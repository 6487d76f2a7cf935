import { memo } from 'react';
import { ActionIcon, Button, Divider, Group, Menu, Text, Tooltip } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { alignments, type Alignment, type BoardNode } from '../../../shared/model';
import { IconButton } from '../../ui/AppHeader';
import { FitIcon, PlusIcon, RedoIcon, TrashIcon, UndoIcon } from '../../ui/icons';
import { AlignIcon, CardIcon, DuplicateIcon, FrameIcon, GridIcon, HelpIcon, PasteIcon, SearchIcon, TextIcon } from './canvas-icons';

const alignLabel: Record<Alignment, string> = {
  left: 'canvas.selection.alignLeft',
  center: 'canvas.selection.alignCenter',
  right: 'canvas.selection.alignRight',
  top: 'canvas.selection.alignTop',
  middle: 'canvas.selection.alignMiddle',
  bottom: 'canvas.selection.alignBottom',
};

export interface BoardToolbarProps {
  readOnly: boolean;
  history: { canUndo: boolean; canRedo: boolean };
  selectedCount: number;
  stickyCount: number;
  hasIndex: boolean;
  onAdd(type: BoardNode['type']): void;
  onAddReference(): void;
  onUndo(): void;
  onRedo(): void;
  onAlign(alignment: Alignment): void;
  onGrid(): void;
  onDuplicate(): void;
  onCopy(): void;
  onPaste(): void;
  onDelete(): void;
  onFit(): void;
  onSearch(): void;
  onHelp(): void;
}

/** The board's toolbar: create, undo, selection tools, view. */
export const BoardToolbar = memo(function BoardToolbar(props: BoardToolbarProps) {
  const { t } = useTranslation();
  const none = props.selectedCount === 0 || props.readOnly;
  return (
    <Group gap={4} className="board-toolbar" wrap="nowrap">
      {!props.readOnly && (
        <>
          <Button
            leftSection={<PlusIcon />}
            onClick={() => props.onAdd('sticky')}
            title={t('board.addStickyHint')}
            data-testid="add-sticky"
            color="yellow"
            c="dark"
          >
            {t('board.addSticky')}
          </Button>
          <IconButton label={t('canvas.add.textHint')} onClick={() => props.onAdd('text')} testId="add-text">
            <TextIcon />
          </IconButton>
          <IconButton label={t('canvas.add.frameHint')} onClick={() => props.onAdd('frame')} testId="add-frame">
            <FrameIcon />
          </IconButton>
          {props.hasIndex && (
            <IconButton label={t('canvas.add.reference')} onClick={props.onAddReference} testId="add-reference">
              <CardIcon />
            </IconButton>
          )}
          <Divider orientation="vertical" mx={4} />
          <IconButton label={t('board.undo')} onClick={props.onUndo} disabled={!props.history.canUndo} testId="undo">
            <UndoIcon />
          </IconButton>
          <IconButton label={t('board.redo')} onClick={props.onRedo} disabled={!props.history.canRedo} testId="redo">
            <RedoIcon />
          </IconButton>
          <Divider orientation="vertical" mx={4} />
          <Menu position="bottom-start" withinPortal>
            <Menu.Target>
              <Tooltip label={t('canvas.selection.align')} withArrow openDelay={300}>
                <ActionIcon variant="subtle" color="gray" size="lg" aria-label={t('canvas.selection.align')} disabled={props.selectedCount < 2 || props.readOnly} data-testid="align">
                  <AlignIcon />
                </ActionIcon>
              </Tooltip>
            </Menu.Target>
            <Menu.Dropdown>
              {alignments.map((alignment) => (
                <Menu.Item key={alignment} onClick={() => props.onAlign(alignment)} data-testid={`align-${alignment}`}>
                  {t(alignLabel[alignment])}
                </Menu.Item>
              ))}
            </Menu.Dropdown>
          </Menu>
          <IconButton label={t('canvas.selection.grid')} onClick={props.onGrid} disabled={props.selectedCount < 2 || props.readOnly} testId="arrange-grid">
            <GridIcon />
          </IconButton>
          <IconButton label={t('canvas.selection.duplicate')} onClick={props.onDuplicate} disabled={none} testId="duplicate">
            <DuplicateIcon />
          </IconButton>
          <IconButton label={t('canvas.selection.paste')} onClick={props.onPaste} testId="paste">
            <PasteIcon />
          </IconButton>
          <IconButton label={t('canvas.selection.delete')} onClick={props.onDelete} disabled={none} testId="delete-selection">
            <TrashIcon />
          </IconButton>
          <Divider orientation="vertical" mx={4} />
        </>
      )}
      <IconButton label={t('board.fitView')} onClick={props.onFit} testId="fit-view">
        <FitIcon />
      </IconButton>
      <IconButton label={t('canvas.search.open')} onClick={props.onSearch} testId="open-search">
        <SearchIcon />
      </IconButton>
      <IconButton label={t('canvas.help.open')} onClick={props.onHelp} testId="open-help">
        <HelpIcon />
      </IconButton>
      <Text size="sm" c="dimmed" px="xs" data-testid="sticky-count" visibleFrom="sm">
        {props.selectedCount > 1 ? t('canvas.selection.selected', { count: props.selectedCount }) : t('board.stickyCount', { count: props.stickyCount })}
      </Text>
    </Group>
  );
});
