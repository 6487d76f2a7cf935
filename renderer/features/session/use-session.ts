import { useCallback, useEffect, useRef, useState, useSyncExternalStore } from 'react';
import type { Id } from '../../../shared/ids';
import type { Agenda, RoundWithResults, SessionDoc, SessionTimer, VotingRound } from '../../../shared/model';

export interface SessionSnapshot {
  agenda: Agenda;
  timer: SessionTimer | null;
  openRound: VotingRound | null;
  history: RoundWithResults[];
  /** Private stickies of others this window does not show. */
  hiddenIds: Id[];
  privateStage: boolean;
  lockedIds: Id[];
  myVotes: { perNode: Map<Id, number>; remaining: number } | null;
}

function read(session: SessionDoc, profileId: Id): SessionSnapshot {
  const openRound = session.openRound();
  const nodes = session.board.nodes.list();
  return {
    agenda: session.readAgenda(),
    timer: session.timer(),
    openRound,
    history: session.roundsHistory(),
    hiddenIds: nodes.filter((node) => node.privateUntilReveal && node.authorId !== profileId).map((node) => node.id),
    privateStage: session.isPrivateStage(),
    lockedIds: nodes.filter((node) => node.locked).map((node) => node.id),
    myVotes: openRound ? session.votesOf(openRound, profileId) : null,
  };
}

/** Session state of the board, re-read when session records or nodes change (not on every drag frame: nodes change on drop). */
export function useSessionSnapshot(session: SessionDoc, profileId: Id): SessionSnapshot {
  const cache = useRef<SessionSnapshot | null>(null);
  const subscribe = useCallback(
    (onChange: () => void) => {
      const invalidate = () => {
        cache.current = null;
        onChange();
      };
      const offSession = session.observe(invalidate);
      const offNodes = session.board.nodes.observe(invalidate);
      return () => {
        offSession();
        offNodes();
      };
    },
    [session],
  );
  const profileRef = useRef(profileId);
  if (profileRef.current !== profileId) {
    profileRef.current = profileId;
    cache.current = null;
  }
  const getSnapshot = () => {
    if (!cache.current) cache.current = read(session, profileId);
    return cache.current;
  };
  return useSyncExternalStore(subscribe, getSnapshot);
}

/** Wall-clock time, re-rendering every `intervalMs` while `active`. */
export function useNow(active: boolean, intervalMs = 250): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return;
    setNow(Date.now());
    const timer = window.setInterval(() => setNow(Date.now()), intervalMs);
    return () => window.clearInterval(timer);
  }, [active, intervalMs]);
  return active ? now : Date.now();
}
