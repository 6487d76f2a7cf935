import { createContext, memo, useCallback, useContext, useEffect, useMemo, useRef, useSyncExternalStore } from 'react';
import { useTranslation } from 'react-i18next';
import type * as Y from 'yjs';
import type { DocConnection } from '../../../shared/host';
import type { Id } from '../../../shared/ids';
import { SessionDoc, type BoardNode, type WorkspaceIndex } from '../../../shared/model';
import { canEdit, canFacilitate, type Role } from '../../../shared/roles';
import { usePreferences } from '../../app/preferences';
import { BoardCanvas } from '../board/BoardCanvas';
import type { BoardExtensions, CanvasBadge, CanvasBadgeSource } from '../board/board-context';
import { LockIcon } from './icons';
import { castVote, SessionLayer } from './SessionLayer';
import { useSessionSnapshot, type SessionSnapshot } from './use-session';

/** What each node's corner shows, as a string so a badge re-renders only when its own value changes. */
function badgeKeys(live: SessionSnapshot): Map<Id, string> {
  const keys = new Map<Id, string>();
  if (live.openRound) {
    for (const [nodeId, count] of live.myVotes?.perNode ?? []) keys.set(nodeId, `mine:${count}`);
  } else {
    const lastClosed = live.history.filter((entry) => entry.round.status === 'closed').at(-1);
    for (const result of lastClosed?.results ?? []) keys.set(result.nodeId, `total:${result.votes}`);
  }
  for (const id of live.lockedIds) keys.set(id, `${keys.get(id) ?? ''}|locked`);
  return keys;
}

/** A badge key as the overview canvas draws it. */
function canvasBadgeOf(key: string): CanvasBadge {
  const [votes = '', lock] = key.split('|');
  const [kind, countText] = votes.split(':');
  return { count: kind ? Number(countText) || 0 : 0, mine: kind === 'mine', locked: lock !== undefined };
}

interface BadgeSource extends CanvasBadgeSource {
  get(id: Id): string;
  takeBack(id: Id): void;
}

const BadgeContext = createContext<BadgeSource | null>(null);

/** Vote dots and lock marks in a node's corner (the canvas's NodeBadges extension). */
const SessionNodeBadges = memo(function SessionNodeBadges({ node }: { node: BoardNode }) {
  const { t } = useTranslation();
  const source = useContext(BadgeContext);
  const key = useSyncExternalStore(source?.subscribe ?? (() => () => {}), () => source?.get(node.id) ?? '');
  if (!key) return null;
  const { count, mine, locked } = canvasBadgeOf(key);
  const kind = mine ? 'mine' : 'total';
  return (
    <>
      {locked && (
        <span className="lock-badge" title={t('session.attention.locked')} data-testid="lock-badge">
          <LockIcon />
        </span>
      )}
      {count > 0 && (
        <span className={`vote-badge${kind === 'mine' ? ' is-mine' : ''}`} data-testid="vote-badge" data-count={count} data-kind={kind}>
          <span>{kind === 'mine' ? '●'.repeat(Math.min(count, 5)) : count}</span>
          {kind === 'mine' && (
            <button
              type="button"
              className="vote-take-back nodrag"
              aria-label={t('session.voting.takeBack')}
              title={t('session.voting.takeBack')}
              onClick={(event) => {
                event.stopPropagation();
                source?.takeBack(node.id);
              }}
            >
              −
            </button>
          )}
        </span>
      )}
    </>
  );
});

function idSetKey(ids: Iterable<Id>): string {
  return [...ids].sort().join(' ');
}

/** The board with the live session on it: extensions for the canvas (votes, private writing, locks, roles) and the session controls. */
export function SessionBoard(props: { doc: Y.Doc; connection: DocConnection; index?: WorkspaceIndex | null; role: Role }) {
  const { t } = useTranslation();
  const { profile } = usePreferences();
  const session = useMemo(() => new SessionDoc(props.doc, { window: 'session' }), [props.doc]);
  const live = useSessionSnapshot(session, profile.id);
  const facilitator = canFacilitate(props.role);
  const editor = canEdit(props.role);

  // Badges: one listener list, each badge reads its own key.
  const keys = useRef(new Map<Id, string>());
  const listeners = useRef(new Set<() => void>());
  useEffect(() => {
    keys.current = badgeKeys(live);
    for (const listener of listeners.current) listener();
  }, [live]);
  const liveRef = useRef(live);
  liveRef.current = live;
  const badgeSource = useMemo<BadgeSource>(
    () => ({
      subscribe(listener) {
        listeners.current.add(listener);
        return () => listeners.current.delete(listener);
      },
      get: (id) => keys.current.get(id) ?? '',
      *entries() {
        for (const [id, key] of keys.current) yield [id, canvasBadgeOf(key)];
      },
      takeBack(id) {
        const round = liveRef.current.openRound;
        if (round) session.unvote(round.id, { id: profile.id, name: profile.displayName }, id);
      },
    }),
    [session, profile.id, profile.displayName],
  );

  const hiddenKey = idSetKey(live.hiddenIds);
  const lockedKey = facilitator ? '' : idSetKey(live.lockedIds);
  const hiddenNodeIds = useMemo(() => new Set(hiddenKey.split(' ').filter(Boolean)), [hiddenKey]);
  const lockedNodeIds = useMemo(() => new Set(lockedKey.split(' ').filter(Boolean)), [lockedKey]);

  const onNodeClick = useCallback(
    (node: BoardNode) => {
      const current = liveRef.current;
      if (!current.openRound || !editor) return false;
      castVote(session, current, profile, node.id, t);
      return true;
    },
    [session, profile, editor, t],
  );

  const voting = live.openRound !== null;
  const extensions = useMemo<BoardExtensions>(
    () => ({
      NodeBadges: SessionNodeBadges,
      canvasBadges: badgeSource,
      hiddenNodeIds,
      lockedNodeIds,
      readOnly: !editor,
      voting,
      privateWriting: live.privateStage,
      onNodeClick,
    }),
    [badgeSource, hiddenNodeIds, lockedNodeIds, editor, voting, live.privateStage, onNodeClick],
  );

  return (
    <BadgeContext.Provider value={badgeSource}>
      <BoardCanvas doc={props.doc} connection={props.connection} index={props.index} extensions={extensions}>
        <SessionLayer session={session} live={live} role={props.role} profile={profile} awareness={props.connection.awareness} />
      </BoardCanvas>
    </BadgeContext.Provider>
  );
}
