import { z } from 'zod';
import type { Invite, Profile, RecentWorkspace, Settings, WorkspaceRef } from '../../shared/host';
import { idPattern, newId } from '../../shared/ids';
import { colorSchema, localeSchema } from '../../shared/ipc/contract';
import { roles } from '../../shared/roles';

// Preferences of the browser edition, in localStorage. Whatever is read back is
// validated: a hand-edited or stale entry falls back to the defaults.

const PRESENCE_PALETTE = ['#e8590c', '#2f9e44', '#1971c2', '#9c36b5', '#c2255c', '#0c8599', '#5f3dc4', '#d9480f'];

export function defaultSettings(): Settings {
  return { locale: 'ru' };
}

export function defaultProfile(): Profile {
  const color = PRESENCE_PALETTE[Math.floor(Math.random() * PRESENCE_PALETTE.length)] ?? '#1971c2';
  return { id: newId(), displayName: '', color };
}

const settingsSchema = z.object({ locale: localeSchema });
// `id` came later: a stored profile without it gets one (see WebHost.getProfile).
const storedProfileSchema = z.object({ id: z.string().regex(idPattern).optional(), displayName: z.string().max(80), color: colorSchema });
const profileSchema = storedProfileSchema.required({ id: true });
const recentSchema = z.array(
  z.object({
    id: z.string(),
    name: z.string(),
    openedAt: z.string(),
    role: z.enum(roles).optional(),
    location: z.union([
      z.object({ kind: z.literal('server'), serverUrl: z.string() }),
      z.object({ kind: z.literal('file'), path: z.string() }),
    ]),
  }),
);

const invitesSchema = z.array(
  z.object({
    tokenId: z.string(),
    role: z.enum(roles),
    name: z.string().optional(),
    expiresAt: z.number(),
    createdAt: z.string(),
    link: z.string(),
    revoked: z.boolean(),
  }),
);

const KEYS = { settings: 'stratboard.settings', profile: 'stratboard.profile', recent: 'stratboard.recent', invites: 'stratboard.invites.' };
const MAX_RECENT = 20;
const MAX_INVITES = 200;

export class LocalPreferences {
  constructor(private readonly storage: Storage) {}

  settings(): Settings | undefined {
    return this.read(KEYS.settings, settingsSchema);
  }

  saveSettings(settings: Settings): Settings {
    this.storage.setItem(KEYS.settings, JSON.stringify(settings));
    return settings;
  }

  /** The stored profile; one without an id is given one and saved, so the id never changes afterwards. */
  profile(): Profile | undefined {
    const stored = this.read(KEYS.profile, storedProfileSchema);
    if (!stored) return undefined;
    return stored.id ? { ...stored, id: stored.id } : this.saveProfile({ ...stored, id: newId() });
  }

  saveProfile(profile: Profile): Profile {
    const valid = profileSchema.parse(profile);
    this.storage.setItem(KEYS.profile, JSON.stringify(valid));
    return valid;
  }

  recent(): RecentWorkspace[] {
    return this.read(KEYS.recent, recentSchema) ?? [];
  }

  addRecent(ref: WorkspaceRef): void {
    const entry: RecentWorkspace = { ...ref, openedAt: new Date().toISOString() };
    const list = [entry, ...this.recent().filter((r) => r.id !== ref.id)].slice(0, MAX_RECENT);
    this.storage.setItem(KEYS.recent, JSON.stringify(list));
  }

  /** Invites this browser issued for a workspace, oldest first. */
  invites(workspaceId: string): Invite[] {
    return this.read(`${KEYS.invites}${workspaceId}`, invitesSchema) ?? [];
  }

  addInvite(workspaceId: string, invite: Invite): void {
    const list = [...this.invites(workspaceId), invite].slice(-MAX_INVITES);
    this.storage.setItem(`${KEYS.invites}${workspaceId}`, JSON.stringify(list));
  }

  forgetRecent(id: string): void {
    this.storage.setItem(KEYS.recent, JSON.stringify(this.recent().filter((r) => r.id !== id)));
  }

  private read<T>(key: string, schema: z.ZodType<T>): T | undefined {
    try {
      const raw = this.storage.getItem(key);
      if (raw === null) return undefined;
      const parsed = schema.safeParse(JSON.parse(raw));
      return parsed.success ? parsed.data : undefined;
    } catch {
      return undefined;
    }
  }
}
