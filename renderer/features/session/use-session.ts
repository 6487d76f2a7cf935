import { useCallback, useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
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

interface Flags {
  private: boolean;
  authorId: Id | undefined;
  locked: boolean;
}

/**
 * The nodes' session flags (private, author, locked), kept from the changed ids: a moved
 * sticky re-reads one record, not all 10,000, and a move that changes no flag does not
 * produce a new snapshot (which re-rendered the board's extensions).
 */
class NodeFlags {
  private readonly flags = new Map<Id, Flags>();
  constructor(private readonly session: SessionDoc) {
    this.reload();
  }

  reload(): void {
    this.flags.clear();
    for (const node of this.session.board.nodes.list()) this.flags.set(node.id, { private: node.privateUntilReveal === true, authorId: node.authorId, locked: node.locked === true });
  }

  /** Re-reads the changed nodes; true when a node came, went or changed a flag. */
  update(changed: Iterable<Id>): boolean {
    let differs = false;
    for (const id of changed) {
      const before = this.flags.get(id);
      const node = this.session.board.nodes.get(id);
      if (!node) {
        differs ||= this.flags.delete(id);
        continue;
      }
      const next = { private: node.privateUntilReveal === true, authorId: node.authorId, locked: node.locked === true };
      if (!before || before.private !== next.private || before.authorId !== next.authorId || before.locked !== next.locked) differs = true;
      this.flags.set(id, next);
    }
    return differs;
  }

  hiddenFrom(profileId: Id): Id[] {
    return [...this.flags].filter(([, flags]) => flags.private && flags.authorId !== profileId).map(([id]) => id);
  }

  locked(): Id[] {
    return [...this.flags].filter(([, flags]) => flags.locked).map(([id]) => id);
  }
}

function read(session: SessionDoc, profileId: Id, flags: NodeFlags): SessionSnapshot {
  const openRound = session.openRound();
  return {
    agenda: session.readAgenda(),
    timer: session.timer(),
    openRound,
    history: session.roundsHistory(),
    hiddenIds: flags.hiddenFrom(profileId),
    privateStage: session.isPrivateStage(),
    lockedIds: flags.locked(),
    myVotes: openRound ? session.votesOf(openRound, profileId) : null,
  };
}

/**
 * Session state of the board, re-read when session records change, when nodes come, go or
 * change a session flag, and on any node change while a round is open (scope by frames
 * and deleted objects change the tally).
 */
export function useSessionSnapshot(session: SessionDoc, profileId: Id): SessionSnapshot {
  const cache = useRef<SessionSnapshot | null>(null);
  const flags = useMemo(() => new NodeFlags(session), [session]);
  const subscribe = useCallback(
    (onChange: () => void) => {
      const invalidate = () => {
        cache.current = null;
        onChange();
      };
      // changes between the first render and this subscription
      flags.reload();
      cache.current = null;
      const offSession = session.observe(invalidate);
      const offNodes = session.board.nodes.observe((changed) => {
        if (flags.update(changed) || session.openRound() !== null) invalidate();
      });
      return () => {
        offSession();
        offNodes();
      };
    },
    [session, flags],
  );
  const profileRef = useRef(profileId);
  if (profileRef.current !== profileId) {
    profileRef.current = profileId;
    cache.current = null;
  }
  const getSnapshot = () => {
    if (!cache.current) cache.current = read(session, profileId, flags);
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
