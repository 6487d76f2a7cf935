import { memo, useEffect, useRef } from 'react';
import { NodeResizer, NodeToolbar, Position, type NodeProps } from '@xyflow/react';
import { ActionIcon, Group, Tooltip } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { stickyColors, type StickyColor } from '../../../shared/model';
import { TrashIcon } from '../../ui/icons';
import { useRecord } from '../../ui/use-record';
import { useBoardUi } from './board-context';

export const STICKY_FILL: Record<StickyColor, string> = {
  yellow: '#fff3bf',
  orange: '#ffe8cc',
  pink: '#ffdeeb',
  violet: '#e5dbff',
  blue: '#d0ebff',
  teal: '#c3fae8',
  green: '#d3f9d8',
  gray: '#e9ecef',
};

const STICKY_EDGE: Record<StickyColor, string> = {
  yellow: '#fcc419',
  orange: '#ff922b',
  pink: '#f06595',
  violet: '#845ef7',
  blue: '#339af0',
  teal: '#20c997',
  green: '#51cf66',
  gray: '#adb5bd',
};

export const StickyNode = memo(function StickyNode({ id, selected }: NodeProps) {
  const { t } = useTranslation();
  const { board, editingId, setEditingId } = useBoardUi();
  const sticky = useRecord(board.nodes, id);
  const editing = editingId === id;
  const textarea = useRef<HTMLTextAreaElement>(null);

  useEffect(() => {
    if (editing && textarea.current) {
      textarea.current.focus();
      textarea.current.select();
    }
  }, [editing]);

  if (!sticky) return null;

  const commit = () => {
    const text = textarea.current?.value ?? sticky.text;
    if (text !== sticky.text) board.nodes.update(id, { text: text.slice(0, 10_000) });
    setEditingId(null);
  };

  return (
    <>
      <NodeResizer
        isVisible={selected && !editing}
        minWidth={100}
        minHeight={70}
        color={STICKY_EDGE[sticky.color]}
        onResizeEnd={(_event, box) =>
          board.nodes.update(id, {
            x: Math.round(box.x),
            y: Math.round(box.y),
            width: Math.round(box.width),
            height: Math.round(box.height),
          })
        }
      />
      <NodeToolbar isVisible={selected && !editing} position={Position.Top} offset={10}>
        <Group gap={4} className="node-toolbar" data-testid="sticky-toolbar">
          {stickyColors.map((color) => (
            <Tooltip key={color} label={t(`board.colors.${color}`)} openDelay={300}>
              <button
                type="button"
                className="color-dot"
                aria-label={t(`board.colors.${color}`)}
                aria-pressed={sticky.color === color}
                data-color={color}
                style={{ background: STICKY_FILL[color], borderColor: STICKY_EDGE[color] }}
                onClick={() => board.nodes.update(id, { color })}
              />
            </Tooltip>
          ))}
          <Tooltip label={t('common.delete')} openDelay={300}>
            <ActionIcon variant="subtle" color="red" aria-label={t('common.delete')} onClick={() => board.deleteNodes([id])}>
              <TrashIcon />
            </ActionIcon>
          </Tooltip>
        </Group>
      </NodeToolbar>
      <div
        className={`sticky${selected ? ' is-selected' : ''}`}
        style={{ background: STICKY_FILL[sticky.color], borderBottomColor: STICKY_EDGE[sticky.color] }}
        data-testid="sticky"
        data-color={sticky.color}
        onDoubleClick={(event) => {
          event.stopPropagation();
          setEditingId(id);
        }}
      >
        {editing ? (
          <textarea
            ref={textarea}
            className="sticky-editor nodrag nowheel nopan"
            defaultValue={sticky.text}
            maxLength={10_000}
            aria-label={t('board.editHint')}
            title={t('board.editHint')}
            onBlur={commit}
            onKeyDown={(event) => {
              event.stopPropagation();
              if (event.key === 'Escape' || (event.key === 'Enter' && (event.ctrlKey || event.metaKey))) {
                event.preventDefault();
                commit();
              }
            }}
          />
        ) : (
          <div className={`sticky-text${sticky.text ? '' : ' is-empty'}`} data-testid="sticky-text">
            {sticky.text || t('board.stickyPlaceholder')}
          </div>
        )}
        {sticky.authorName && (
          <div className="sticky-author" title={sticky.authorName}>
            <span className="author-dot" style={{ background: sticky.authorColor ?? '#868e96' }} />
            {sticky.authorName}
          </div>
        )}
      </div>
    </>
  );
});
