import { memo, useEffect, useRef } from 'react';
import { Handle, NodeToolbar, Position } from '@xyflow/react';
import { ActionIcon, Group, Tooltip } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Id } from '../../../../shared/ids';
import { stickyColors, type BoardNode, type StickyColor } from '../../../../shared/model';
import { STICKY_EDGE, STICKY_FILL } from '../../../../shared/model/sticky-palette';
import { TrashIcon } from '../../../ui/icons';
import { useBoardUi } from '../board-context';

export { STICKY_EDGE, STICKY_FILL };

const sides = [Position.Top, Position.Right, Position.Bottom, Position.Left] as const;

/** Connector ends on every side; any of them can start or end a connector (loose mode). */
export const ConnectHandles = memo(function ConnectHandles({ connectable }: { connectable: boolean }) {
  return (
    <>
      {sides.map((side) => (
        <Handle key={side} id={side} type="source" position={side} className="connect-handle" isConnectable={connectable} />
      ))}
    </>
  );
});

/** The in-place text editor of stickies, text blocks, frame titles and connector labels. */
export function TextEditor(props: { value: string; className: string; maxLength: number; onDone: (text: string | null) => void; singleLine?: boolean }) {
  const { t } = useTranslation();
  const ref = useRef<HTMLTextAreaElement>(null);
  const done = useRef(false);
  useEffect(() => {
    ref.current?.focus();
    ref.current?.select();
  }, []);
  const finish = (text: string | null) => {
    if (done.current) return;
    done.current = true;
    props.onDone(text);
  };
  return (
    <textarea
      ref={ref}
      className={`${props.className} nodrag nowheel nopan`}
      defaultValue={props.value}
      maxLength={props.maxLength}
      rows={props.singleLine ? 1 : undefined}
      aria-label={t('board.editHint')}
      title={t('board.editHint')}
      onBlur={(event) => finish(event.currentTarget.value)}
      onKeyDown={(event) => {
        event.stopPropagation();
        const submit = event.key === 'Enter' && (props.singleLine || event.ctrlKey || event.metaKey);
        if (event.key === 'Escape' || submit) {
          event.preventDefault();
          finish(event.currentTarget.value);
        }
      }}
    />
  );
}

/**
 * Colour dots and delete above a selected node (xyflow shows it only while this node alone is
 * selected). Mounted only while it may show: a NodeToolbar follows the viewport, so one per
 * node in view re-rendered on every pan step.
 */
export function NodeColorToolbar(props: { id: Id; color: StickyColor; visible: boolean }) {
  const { t } = useTranslation();
  const { board, safely } = useBoardUi();
  if (!props.visible) return null;
  return (
    <NodeToolbar position={Position.Top} offset={10}>
      <Group gap={4} className="node-toolbar" data-testid="sticky-toolbar">
        {stickyColors.map((color) => (
          <Tooltip key={color} label={t(`board.colors.${color}`)} openDelay={300}>
            <button
              type="button"
              className="color-dot"
              aria-label={t(`board.colors.${color}`)}
              aria-pressed={props.color === color}
              data-color={color}
              style={{ background: STICKY_FILL[color], borderColor: STICKY_EDGE[color] }}
              onClick={() => safely(() => board.nodes.update(props.id, { color }))}
            />
          </Tooltip>
        ))}
        <Tooltip label={t('common.delete')} openDelay={300}>
          <ActionIcon variant="subtle" color="red" aria-label={t('common.delete')} onClick={() => safely(() => board.deleteNodes([props.id]))}>
            <TrashIcon />
          </ActionIcon>
        </Tooltip>
      </Group>
    </NodeToolbar>
  );
}

/** Delete above a selected node that has no colours (text blocks, reference cards); mounted like NodeColorToolbar. */
export function NodeDeleteToolbar(props: { id: Id; visible: boolean }) {
  const { t } = useTranslation();
  const { board, safely } = useBoardUi();
  if (!props.visible) return null;
  return (
    <NodeToolbar position={Position.Top} offset={10}>
      <div className="node-toolbar">
        <ActionIcon variant="subtle" color="red" aria-label={t('common.delete')} onClick={() => safely(() => board.deleteNodes([props.id]))}>
          <TrashIcon />
        </ActionIcon>
      </div>
    </NodeToolbar>
  );
}

/** Other features' badges (votes, locks) in the node's corner. */
export function NodeBadgeSlot({ node }: { node: BoardNode }) {
  const { extensions } = useBoardUi();
  const Badges = extensions.NodeBadges;
  return Badges ? (
    <div className="node-badges">
      <Badges node={node} />
    </div>
  ) : null;
}
