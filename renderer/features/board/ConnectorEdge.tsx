import { memo } from 'react';
import { BaseEdge, EdgeLabelRenderer, getStraightPath, useInternalNode, type EdgeProps } from '@xyflow/react';
import { ActionIcon, Group, Tooltip } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { rectBoundaryPoint, type Point } from '../../../shared/model';
import { TrashIcon } from '../../ui/icons';
import { useBoardEdge, useBoardUi, useIsEditing } from './board-context';
import { TextEditor } from './nodes/node-parts';

type Box = { x: number; y: number; width: number; height: number };

function boxOf(node: ReturnType<typeof useInternalNode>): Box | null {
  if (!node) return null;
  const width = node.measured.width ?? node.width ?? 0;
  const height = node.measured.height ?? node.height ?? 0;
  return { ...node.internals.positionAbsolute, width, height };
}

function center(box: Box): Point {
  return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
}

/**
 * A connector between any two objects, drawn centre to centre and clipped at both
 * outlines ("floating"), so it needs no particular handle. Double-click edits the label.
 */
export const ConnectorEdge = memo(function ConnectorEdge({ id, source, target, selected, markerEnd }: EdgeProps) {
  const { t } = useTranslation();
  const { board, editing, safely, extensions } = useBoardUi();
  const edge = useBoardEdge(id);
  const isEditing = useIsEditing(id);
  const sourceBox = boxOf(useInternalNode(source));
  const targetBox = boxOf(useInternalNode(target));
  if (!edge || !sourceBox || !targetBox) return null;

  const from = rectBoundaryPoint(sourceBox, center(targetBox));
  const to = rectBoundaryPoint(targetBox, center(sourceBox));
  const [path, labelX, labelY] = getStraightPath({ sourceX: from.x, sourceY: from.y, targetX: to.x, targetY: to.y });
  const canEdit = !extensions.readOnly;

  return (
    <>
      <BaseEdge id={id} path={path} markerEnd={edge.arrow ? markerEnd : undefined} className={selected ? 'is-selected' : undefined} />
      <EdgeLabelRenderer>
        <div
          className="connector-label-anchor nodrag nopan"
          style={{ transform: `translate(-50%, -50%) translate(${labelX}px, ${labelY}px)` }}
          data-testid="connector"
          data-edge-id={id}
          onDoubleClick={() => canEdit && editing.set(id)}
        >
          {isEditing ? (
            <TextEditor
              value={edge.label ?? ''}
              className="connector-label-editor"
              maxLength={500}
              singleLine
              onDone={(text) => {
                const label = text?.trim() ?? edge.label ?? '';
                if (text !== null && label !== (edge.label ?? '')) safely(() => board.edges.update(id, { label: label || undefined }));
                editing.set(null);
              }}
            />
          ) : (
            (edge.label || selected) && (
              <div className={`connector-label${edge.label ? '' : ' is-empty'}`} data-testid="connector-label">
                {edge.label || t('canvas.connector.addLabel')}
              </div>
            )
          )}
          {selected && canEdit && !isEditing && (
            <Group gap={2} className="node-toolbar connector-toolbar" wrap="nowrap">
              <Tooltip label={t('canvas.connector.toggleArrow')} openDelay={300}>
                <ActionIcon
                  variant={edge.arrow ? 'light' : 'subtle'}
                  aria-label={t('canvas.connector.toggleArrow')}
                  aria-pressed={edge.arrow}
                  onClick={() => safely(() => board.edges.update(id, { arrow: !edge.arrow }))}
                  data-testid="connector-arrow"
                >
                  →
                </ActionIcon>
              </Tooltip>
              <Tooltip label={t('common.delete')} openDelay={300}>
                <ActionIcon variant="subtle" color="red" aria-label={t('common.delete')} onClick={() => safely(() => board.edges.delete(id))}>
                  <TrashIcon />
                </ActionIcon>
              </Tooltip>
            </Group>
          )}
        </div>
      </EdgeLabelRenderer>
    </>
  );
});
