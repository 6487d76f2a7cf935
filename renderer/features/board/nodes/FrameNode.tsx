import { memo } from 'react';
import { NodeResizer, type NodeProps } from '@xyflow/react';
import { useTranslation } from 'react-i18next';
import { useBoardNode, useBoardUi, useCanEdit, useIsEditing } from '../board-context';
import { countRender } from '../render-counts';
import { ConnectHandles, NodeBadgeSlot, NodeColorToolbar, STICKY_EDGE, STICKY_FILL, TextEditor } from './node-parts';

/** A titled cluster: whatever sits inside it (by geometry) moves with it. */
export const FrameNode = memo(function FrameNode({ id, selected }: NodeProps) {
  countRender(id);
  const { t } = useTranslation();
  const { board, editing, safely } = useBoardUi();
  const frame = useBoardNode(id);
  const isEditing = useIsEditing(id);
  const canEdit = useCanEdit(id);
  if (!frame) return null;
  const showChrome = selected && !isEditing && canEdit;
  return (
    <>
      <NodeResizer
        isVisible={showChrome}
        minWidth={160}
        minHeight={120}
        color={STICKY_EDGE[frame.color]}
        onResizeEnd={(_event, box) => safely(() => board.resizeNode(id, box))}
      />
      <NodeColorToolbar id={id} color={frame.color} visible={showChrome} />
      <ConnectHandles connectable={canEdit} />
      <div
        className={`frame${selected ? ' is-selected' : ''}`}
        style={{ borderColor: STICKY_EDGE[frame.color], background: `${STICKY_FILL[frame.color]}66` }}
        data-testid="frame"
      >
        <div
          className="frame-title"
          style={{ background: STICKY_FILL[frame.color] }}
          data-testid="frame-title"
          onDoubleClick={(event) => {
            event.stopPropagation();
            if (canEdit) editing.set(id);
          }}
        >
          {isEditing ? (
            <TextEditor
              value={frame.text}
              className="frame-title-editor"
              maxLength={500}
              singleLine
              onDone={(text) => {
                if (text !== null && text.trim() !== frame.text) safely(() => board.nodes.update(id, { text: text.trim() }));
                editing.set(null);
              }}
            />
          ) : (
            <span className={frame.text ? undefined : 'is-empty'}>{frame.text || t('canvas.frameUntitled')}</span>
          )}
        </div>
        <NodeBadgeSlot node={frame} />
      </div>
    </>
  );
});
