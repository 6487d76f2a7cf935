import { memo } from 'react';
import { NodeResizer, type NodeProps } from '@xyflow/react';
import { useTranslation } from 'react-i18next';
import { useBoardNode, useBoardUi, useCanEdit, useIsEditing } from '../board-context';
import { countRender } from '../render-counts';
import { ConnectHandles, NodeBadgeSlot, NodeDeleteToolbar, TextEditor } from './node-parts';

/** A free text block: a heading or a note without a sticky's paper. */
export const TextNode = memo(function TextNode({ id, selected }: NodeProps) {
  countRender(id);
  const { t } = useTranslation();
  const { board, editing, safely } = useBoardUi();
  const block = useBoardNode(id);
  const isEditing = useIsEditing(id);
  const canEdit = useCanEdit(id);
  if (!block) return null;
  const showChrome = selected && !isEditing && canEdit;
  return (
    <>
      <NodeResizer isVisible={showChrome} minWidth={60} minHeight={30} onResizeEnd={(_event, box) => safely(() => board.resizeNode(id, box))} />
      <NodeDeleteToolbar id={id} visible={showChrome} />
      <ConnectHandles connectable={canEdit} />
      <div
        className={`text-block${selected ? ' is-selected' : ''}`}
        data-testid="text-block"
        onDoubleClick={(event) => {
          event.stopPropagation();
          if (canEdit) editing.set(id);
        }}
      >
        {isEditing ? (
          <TextEditor
            value={block.text}
            className="text-block-editor"
            maxLength={10_000}
            onDone={(text) => {
              if (text !== null && text !== block.text) safely(() => board.nodes.update(id, { text }));
              editing.set(null);
            }}
          />
        ) : (
          <div className={`text-block-text${block.text ? '' : ' is-empty'}`} data-testid="text-block-text">
            {block.text || t('canvas.textPlaceholder')}
          </div>
        )}
        <NodeBadgeSlot node={block} />
      </div>
    </>
  );
});
