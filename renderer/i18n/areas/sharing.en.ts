import type { Widen } from '../widen';
import type { sharingRu } from './sharing.ru';

export const sharingEn: Widen<typeof sharingRu> = {
  connection: {
    syncing: 'Syncing…',
    syncingCount_one: 'Sending {{count}} change',
    syncingCount_few: 'Sending {{count}} changes',
    syncingCount_many: 'Sending {{count}} changes',
    syncingCount_other: 'Sending {{count}} changes',
    offlineUnsynced_one: 'Offline — {{count}} change waiting to be sent',
    offlineUnsynced_few: 'Offline — {{count}} changes waiting to be sent',
    offlineUnsynced_many: 'Offline — {{count}} changes waiting to be sent',
    offlineUnsynced_other: 'Offline — {{count}} changes waiting to be sent',
    ended: 'Session ended',
  },
  ended: {
    title: 'The session has ended',
    body: 'The facilitator ended the session for the room. The board no longer updates — you can close this page.',
    unsynced_one: '{{count}} change could not be sent.',
    unsynced_few: '{{count}} changes could not be sent.',
    unsynced_many: '{{count}} changes could not be sent.',
    unsynced_other: '{{count}} changes could not be sent.',
  },
  lan: {
    open: 'Host a session for the room',
    running: 'Room session is live',
    title: 'Session for the room',
    intro:
      'Participants open the board in their phone browser — nothing to install, no internet needed. The computer and the phones must be on the same Wi-Fi network.',
    network: 'Network',
    noNetwork: 'This computer is not connected to a local network. Join the room’s Wi-Fi or start a hotspot, then try again.',
    retry: 'Check again',
    start: 'Start the session',
    role: 'Participants may',
    roleEditor: 'Edit',
    roleViewer: 'Only view',
    scan: 'Point a phone camera at the code, or send participants the link:',
    copy: 'Copy link',
    copied: 'Link copied',
    stop: 'Stop',
    stopped: 'Session stopped, participants disconnected',
    qrAlt: 'QR code of the participants’ link',
  },
};
