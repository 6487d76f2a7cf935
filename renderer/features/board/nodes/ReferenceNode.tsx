import { memo, useCallback, useSyncExternalStore } from 'react';
import type { NodeProps } from '@xyflow/react';
import { Anchor } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Id } from '../../../../shared/ids';
import type { BoardNode, Problem, ProjectCard, WorkspaceIndex } from '../../../../shared/model';
import { useBoardNode, useBoardUi, useCanEdit } from '../board-context';
import { countRender } from '../render-counts';
import { ConnectHandles, NodeBadgeSlot, NodeDeleteToolbar } from './node-parts';

/** Fired on window when a reference card's link is clicked; the registry opens the record. */
export const OPEN_RECORD_EVENT = 'stratboard:open-record';
export type OpenRecordDetail = { kind: 'problem' | 'project'; id: Id };

type Referenced = { record: Problem | ProjectCard; territory?: string } | null;

function readReferenced(index: WorkspaceIndex | null, ref: BoardNode['ref']): Referenced {
  if (!index || !ref) return null;
  const record = ref.kind === 'problem' ? index.problems.get(ref.id) : index.projects.get(ref.id);
  if (!record) return null;
  const territory = record.territoryId ? index.territories.get(record.territoryId)?.name : undefined;
  return { record, territory };
}

/** The registry record a card shows, live: it follows renames and status changes. */
function useReferenced(index: WorkspaceIndex | null, ref: BoardNode['ref']): Referenced {
  const key = ref ? `${ref.kind}:${ref.id}` : '';
  const subscribe = useCallback(
    (onChange: () => void) => {
      if (!index || !ref) return () => {};
      const collection = ref.kind === 'problem' ? index.problems : index.projects;
      const stops = [collection.observe((ids) => ids.has(ref.id) && onChange()), index.territories.observe(onChange)];
      return () => stops.forEach((stop) => stop());
    },
    [index, key],
  );
  const snapshot = useCallback(() => {
    const value = readReferenced(index, ref);
    return value ? `${JSON.stringify(value.record)}|${value.territory ?? ''}` : '';
  }, [index, key]);
  const serialized = useSyncExternalStore(subscribe, snapshot);
  return serialized ? readReferenced(index, ref) : null;
}

/** A card on the board that shows a problem or project from the workspace registry. */
export const ReferenceNode = memo(function ReferenceNode({ id, selected }: NodeProps) {
  countRender(id);
  const { t } = useTranslation();
  const { index } = useBoardUi();
  const card = useBoardNode(id);
  const canEdit = useCanEdit(id);
  const referenced = useReferenced(index, card?.ref);
  if (!card) return null;
  const kind = card.ref?.kind ?? 'problem';
  const open = () => {
    if (!card.ref) return;
    window.dispatchEvent(new CustomEvent<OpenRecordDetail>(OPEN_RECORD_EVENT, { detail: { kind: card.ref.kind, id: card.ref.id } }));
  };
  return (
    <>
      <NodeDeleteToolbar id={id} visible={selected && canEdit} />
      <ConnectHandles connectable={canEdit} />
      <div className={`reference-card is-${kind}${selected ? ' is-selected' : ''}`} data-testid="reference-card" data-kind={kind}>
        <div className="reference-kind">{t(`canvas.reference.${kind}`)}</div>
        {referenced ? (
          <>
            <div className="reference-title" data-testid="reference-title">
              {referenced.record.title}
            </div>
            <div className="reference-meta">
              <span className="reference-status" data-status={referenced.record.status}>
                {t(`canvas.reference.status.${referenced.record.status}`)}
              </span>
              {referenced.territory && <span> · {referenced.territory}</span>}
            </div>
            <Anchor component="button" size="sm" className="nodrag" onClick={open} data-testid="reference-open">
              {t('canvas.reference.open')}
            </Anchor>
          </>
        ) : (
          <div className="reference-missing">{t('canvas.reference.missing')}</div>
        )}
        <NodeBadgeSlot node={card} />
      </div>
    </>
  );
});
