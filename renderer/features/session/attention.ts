import { useCallback, useEffect, useRef, useState } from 'react';
import { useOnViewportChange, useReactFlow, useStore, useStoreApi, type Viewport } from '@xyflow/react';
import type { Awareness } from 'y-protocols/awareness';
import type { Id } from '../../../shared/ids';
import { estimateClockOffset } from '../../../shared/model';
import type { Role } from '../../../shared/roles';

// Session presence, in awareness (synced, never stored): who is who, the facilitator's
// clock for timer skew, and where the facilitator looks for "follow me".

export interface AttentionState {
  /** Centre of the facilitator's view in board coordinates, and zoom: screens of any size frame the same place. */
  center: { x: number; y: number };
  zoom: number;
  follow: boolean;
  /** Set by "bring everyone here": each peer jumps once per new value. */
  summonAt?: number;
}

export interface SessionPresence {
  user?: { name: string; color: string };
  /** Profile id and role in this workspace. */
  member?: { id: Id; role: Role };
  /** Sender's wall clock when this state was sent. */
  clock?: number;
  attention?: AttentionState;
}

const CLOCK_EVERY_MS = 5_000;
const MAX_SAMPLES = 20;

type AwarenessChange = { added: number[]; updated: number[]; removed: number[] };

function stateOf(awareness: Awareness, clientId: number): SessionPresence | undefined {
  return awareness.getStates().get(clientId) as SessionPresence | undefined;
}

/** A facilitator's window sends its clock now and then, so others can correct the timer for skew. */
export function usePublishClock(awareness: Awareness, enabled: boolean): () => void {
  const publish = useCallback(() => awareness.setLocalStateField('clock', Date.now()), [awareness]);
  useEffect(() => {
    if (!enabled) return;
    publish();
    const timer = window.setInterval(publish, CLOCK_EVERY_MS);
    return () => window.clearInterval(timer);
  }, [enabled, publish]);
  return publish;
}

/** Offset (ms) to add to our clock to read the clock of the user with `profileId`, estimated from their awareness messages. */
export function useClockOffset(awareness: Awareness, profileId: Id | undefined, ownProfileId: Id): number {
  const samples = useRef(new Map<number, { sentAt: number; receivedAt: number }[]>());
  const [version, setVersion] = useState(0);
  useEffect(() => {
    const onChange = ({ added, updated, removed }: AwarenessChange, origin: unknown) => {
      if (origin === 'local') return;
      const receivedAt = Date.now();
      for (const clientId of removed) samples.current.delete(clientId);
      for (const clientId of [...added, ...updated]) {
        const sentAt = stateOf(awareness, clientId)?.clock;
        if (typeof sentAt !== 'number') continue;
        const list = samples.current.get(clientId) ?? [];
        if (list.at(-1)?.sentAt === sentAt) continue;
        list.push({ sentAt, receivedAt });
        samples.current.set(clientId, list.slice(-MAX_SAMPLES));
        setVersion((v) => v + 1);
      }
    };
    awareness.on('change', onChange);
    return () => awareness.off('change', onChange);
  }, [awareness]);

  if (!profileId || profileId === ownProfileId) return 0;
  void version;
  for (const [clientId, list] of samples.current) {
    if (stateOf(awareness, clientId)?.member?.id === profileId) return estimateClockOffset(list);
  }
  return 0;
}

function viewportToAttention(viewport: Viewport, size: { width: number; height: number }) {
  return {
    center: { x: (size.width / 2 - viewport.x) / viewport.zoom, y: (size.height / 2 - viewport.y) / viewport.zoom },
    zoom: viewport.zoom,
  };
}

function findLeader(awareness: Awareness): AttentionState | null {
  let leader: AttentionState | null = null;
  for (const [clientId, raw] of awareness.getStates()) {
    if (clientId === awareness.clientID) continue;
    const state = raw as SessionPresence;
    if (state.member?.role !== 'facilitator' || !state.attention) continue;
    if (!leader || state.attention.follow || (state.attention.summonAt ?? 0) > (leader.summonAt ?? 0)) leader = state.attention;
  }
  return leader;
}

export interface Attention {
  /** Facilitator: whether participants follow this window. */
  leading: boolean;
  setLeading(on: boolean): void;
  bringEveryoneHere(): void;
  /** Participant: the facilitator asks to follow and this window does. */
  following: boolean;
  /** Participant: the facilitator asks to follow but this window broke out. */
  brokeOut: boolean;
  breakOut(): void;
  followAgain(): void;
}

/** "Follow me" and "bring everyone here" through awareness and the React Flow instance. */
export function useAttention(awareness: Awareness, facilitator: boolean): Attention {
  const flow = useReactFlow();
  const store = useStoreApi();
  const domNode = useStore((state) => state.domNode);
  const [leading, setLeading] = useState(false);
  const [leader, setLeader] = useState<AttentionState | null>(() => findLeader(awareness));
  const [brokeOut, setBrokeOut] = useState(false);
  const summonSeen = useRef<number | undefined>(leader?.summonAt);

  const size = useCallback(() => {
    const { width, height } = store.getState();
    return { width: width || 1, height: height || 1 };
  }, [store]);

  const publish = useCallback(
    (patch: Partial<AttentionState>) => {
      const current = (awareness.getLocalState() as SessionPresence | null)?.attention;
      const view = viewportToAttention(flow.getViewport(), size());
      awareness.setLocalStateField('attention', { follow: false, ...current, ...view, ...patch });
    },
    [awareness, flow, size],
  );

  // facilitator: publish the view while leading
  const pending = useRef(false);
  useOnViewportChange({
    onChange: () => {
      if (!facilitator || !leading || pending.current) return;
      pending.current = true;
      requestAnimationFrame(() => {
        pending.current = false;
        publish({});
      });
    },
  });

  useEffect(() => {
    if (facilitator) publish({ follow: leading });
  }, [facilitator, leading, publish]);

  // participant: watch the facilitator
  useEffect(() => {
    if (facilitator) return;
    const onChange = () => setLeader(findLeader(awareness));
    awareness.on('change', onChange);
    return () => awareness.off('change', onChange);
  }, [awareness, facilitator]);

  const apply = useCallback(
    (target: AttentionState) => {
      const { width, height } = size();
      void flow.setViewport(
        { x: width / 2 - target.center.x * target.zoom, y: height / 2 - target.center.y * target.zoom, zoom: target.zoom },
        { duration: 150 },
      );
    },
    [flow, size],
  );

  const leaderFollows = !facilitator && leader?.follow === true;
  useEffect(() => {
    if (!leaderFollows) setBrokeOut(false);
  }, [leaderFollows]);

  useEffect(() => {
    if (facilitator || !leader) return;
    if (leader.summonAt !== undefined && leader.summonAt !== summonSeen.current) {
      summonSeen.current = leader.summonAt;
      setBrokeOut(false);
      apply(leader);
    } else if (leader.follow && !brokeOut) {
      apply(leader);
    }
  }, [facilitator, leader, brokeOut, apply]);

  // a participant who pans or zooms on their own breaks out of following
  useEffect(() => {
    const element = domNode;
    if (!element || !leaderFollows) return;
    const onUserMove = (event: Event) => {
      if (event.type === 'pointerdown' && !(event.target as Element).closest('.react-flow__pane')) return;
      setBrokeOut(true);
    };
    element.addEventListener('wheel', onUserMove, { passive: true });
    element.addEventListener('pointerdown', onUserMove);
    return () => {
      element.removeEventListener('wheel', onUserMove);
      element.removeEventListener('pointerdown', onUserMove);
    };
  }, [domNode, leaderFollows]);

  return {
    leading,
    setLeading,
    bringEveryoneHere: () => publish({ summonAt: Date.now() }),
    following: leaderFollows && !brokeOut,
    brokeOut: leaderFollows && brokeOut,
    breakOut: () => setBrokeOut(true),
    followAgain: () => {
      setBrokeOut(false);
      if (leader) apply(leader);
    },
  };
}
