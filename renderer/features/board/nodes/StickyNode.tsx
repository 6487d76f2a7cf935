import { memo, useMemo } from 'react';
import { NodeResizer, type NodeProps } from '@xyflow/react';
import { useTranslation } from 'react-i18next';
import { fitFontSize } from '../../../../shared/model';
import { useBoardNode, useBoardUi, useCanEdit, useIsEditing } from '../board-context';
import { countRender } from '../render-counts';
import { ConnectHandles, NodeBadgeSlot, NodeColorToolbar, STICKY_EDGE, STICKY_FILL, TextEditor } from './node-parts';

// Padding around a sticky's text (px): 12 each side, 26 at the bottom for the author line.
const TEXT_INSET = { x: 24, y: 38 };

export const StickyNode = memo(function StickyNode({ id, selected }: NodeProps) {
  countRender(id);
  const { t } = useTranslation();
  const { board, editing, safely } = useBoardUi();
  const sticky = useBoardNode(id);
  const isEditing = useIsEditing(id);
  const canEdit = useCanEdit(id);
  const fontSize = useMemo(
    () => (sticky ? fitFontSize(sticky.text, sticky.width - TEXT_INSET.x, sticky.height - TEXT_INSET.y) : 18),
    [sticky],
  );
  if (!sticky) return null;

  const showChrome = selected && !isEditing && canEdit;
  return (
    <>
      <NodeResizer
        isVisible={showChrome}
        minWidth={100}
        minHeight={70}
        color={STICKY_EDGE[sticky.color]}
        onResizeEnd={(_event, box) => safely(() => board.resizeNode(id, box))}
      />
      <NodeColorToolbar id={id} color={sticky.color} visible={showChrome} />
      <ConnectHandles connectable={canEdit} />
      <div
        className={`sticky${selected ? ' is-selected' : ''}`}
        style={{ background: STICKY_FILL[sticky.color], borderBottomColor: STICKY_EDGE[sticky.color], fontSize }}
        data-testid="sticky"
        data-color={sticky.color}
        onDoubleClick={(event) => {
          event.stopPropagation();
          if (canEdit) editing.set(id);
        }}
      >
        {isEditing ? (
          <TextEditor
            value={sticky.text}
            className="sticky-editor"
            maxLength={10_000}
            onDone={(text) => {
              if (text !== null && text !== sticky.text) safely(() => board.nodes.update(id, { text }));
              editing.set(null);
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
        <NodeBadgeSlot node={sticky} />
      </div>
    </>
  );
});
