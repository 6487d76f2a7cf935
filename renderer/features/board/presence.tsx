import { memo, useEffect, useState } from 'react';
import { Avatar, Tooltip } from '@mantine/core';
import { ViewportPortal } from '@xyflow/react';
import { useTranslation } from 'react-i18next';
import type { Awareness } from 'y-protocols/awareness';

/** Presence lives in awareness only: synced to peers, never stored. */
export interface PresenceState {
  user?: { name: string; color: string };
  cursor?: { x: number; y: number } | null;
}

export interface Peer extends PresenceState {
  clientId: number;
  isSelf: boolean;
}

function readPeers(awareness: Awareness): Peer[] {
  return [...awareness.getStates().entries()]
    .filter(([, state]) => (state as PresenceState).user)
    .map(([clientId, state]) => ({ ...(state as PresenceState), clientId, isSelf: clientId === awareness.clientID }));
}

/**
 * Peers from awareness. Only the components showing them subscribe: every cursor move (one's
 * own too) changes awareness, and re-rendering the whole canvas for it cost frames.
 * `withCursors: false` ignores cursor-only changes (the presence list).
 */
export function usePeers(awareness: Awareness, withCursors = true): Peer[] {
  const [peers, setPeers] = useState<Peer[]>(() => readPeers(awareness));
  useEffect(() => {
    let key = '';
    const onChange = () => {
      const next = readPeers(awareness);
      const nextKey = JSON.stringify(next.map((peer) => [peer.clientId, peer.user, withCursors && !peer.isSelf ? peer.cursor : null]));
      if (nextKey === key) return;
      key = nextKey;
      setPeers(next);
    };
    awareness.on('change', onChange);
    onChange();
    return () => awareness.off('change', onChange);
  }, [awareness, withCursors]);
  return peers;
}

function initials(name: string): string {
  return name
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((part) => (/^\d+$/.test(part) ? part.slice(0, 2) : part[0]?.toUpperCase()))
    .join('');
}

export const PresenceList = memo(function PresenceList({ awareness }: { awareness: Awareness }) {
  const { t } = useTranslation();
  const peers = usePeers(awareness, false);
  return (
    <div className="presence-list" aria-label={t('presence.here')} data-testid="presence-list">
      <Avatar.Group spacing="sm">
        {peers.map((peer) => (
          <Tooltip key={peer.clientId} label={peer.isSelf ? `${peer.user!.name} (${t('presence.you')})` : peer.user!.name} withArrow>
            <Avatar
              radius="xl"
              size={32}
              styles={{ placeholder: { backgroundColor: peer.user!.color, color: '#fff', fontSize: 12 } }}
              data-testid="presence-avatar"
            >
              {initials(peer.user!.name)}
            </Avatar>
          </Tooltip>
        ))}
      </Avatar.Group>
    </div>
  );
});

export const RemoteCursors = memo(function RemoteCursors({ awareness }: { awareness: Awareness }) {
  const peers = usePeers(awareness);
  return (
    <ViewportPortal>
      {peers
        .filter((peer) => !peer.isSelf && peer.cursor)
        .map((peer) => (
          <div
            key={peer.clientId}
            className="remote-cursor"
            style={{ transform: `translate(${peer.cursor!.x}px, ${peer.cursor!.y}px)` }}
            data-testid="remote-cursor"
          >
            <svg width="18" height="18" viewBox="0 0 18 18" aria-hidden>
              <path d="M1 1l6 15 2.2-6.2L16 7.5z" fill={peer.user!.color} stroke="#fff" strokeWidth="1.2" />
            </svg>
            <span className="remote-cursor-name" style={{ background: peer.user!.color }}>
              {peer.user!.name}
            </span>
          </div>
        ))}
    </ViewportPortal>
  );
});
