import { mkdir, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { Low } from 'lowdb';
import { JSONFile } from 'lowdb/node';
import { z } from 'zod';
import { idPattern, newId } from '../../shared/ids';
import { colorSchema, localeSchema } from '../../shared/ipc/contract';
import type { Profile, RecentWorkspace, Settings, WorkspaceRef } from '../../shared/host';
import { roles } from '../../shared/roles';

export const SETTINGS_FILE_NAME = 'stratboard-settings.json';
export const RECENT_LIMIT = 20;

/** Participant colours that stay readable as cursor and sticker accents on a white board. */
export const profilePalette = ['#1971c2', '#2f9e44', '#e8590c', '#9c36b5', '#c2255c', '#0c8599', '#f08c00', '#5f3dc4'];

const recentSchema = z.object({
  id: z.string().regex(idPattern),
  name: z.string().max(200),
  location: z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('file'), path: z.string().min(1) }),
    z.object({ kind: z.literal('server'), serverUrl: z.url() }),
  ]),
  openedAt: z.iso.datetime(),
});

const serverSchema = z.object({
  id: z.string().regex(idPattern),
  url: z.url(),
  label: z.string().max(200),
  /** The admin key as the SecretCodec sealed it. */
  sealedAdminKey: z.string().min(1),
});

const inviteSchema = z.object({
  tokenId: z.string().min(1).max(200),
  role: z.enum(roles),
  name: z.string().max(200).optional(),
  expiresAt: z.number().int(),
  createdAt: z.iso.datetime(),
  link: z.string().max(8192),
  revoked: z.boolean(),
});

const publicationSchema = z.object({
  workspaceId: z.string().regex(idPattern),
  serverId: z.string().regex(idPattern),
  publishedAt: z.iso.datetime(),
  invites: z.array(inviteSchema).max(500),
});

const settingsFileSchema = z.object({
  version: z.literal(1),
  settings: z.object({ locale: localeSchema }),
  // `id` came later: a file without it gets one on open.
  profile: z.object({ id: z.string().regex(idPattern).optional(), displayName: z.string().max(80), color: colorSchema }),
  recent: z.array(recentSchema).max(RECENT_LIMIT),
  // Server connections and publications came later too: older files have neither.
  servers: z.array(serverSchema).max(100).default([]),
  publications: z.array(publicationSchema).max(1000).default([]),
});

type SettingsFile = z.infer<typeof settingsFileSchema>;
export type SavedServer = z.infer<typeof serverSchema>;
export type SavedInvite = z.infer<typeof inviteSchema>;
export type SavedPublication = z.infer<typeof publicationSchema>;

/** Invites kept per publication; the oldest go first. */
export const INVITES_KEPT = 500;

export interface SettingsStore {
  getSettings(): Settings;
  updateSettings(patch: Partial<Settings>): Promise<Settings>;
  getProfile(): Profile;
  updateProfile(patch: Partial<Profile>): Promise<Profile>;
  /** Newest first. */
  listRecent(): RecentWorkspace[];
  findRecent(id: string): RecentWorkspace | undefined;
  /** Moves the workspace to the top of the recent list, stamped with the current time. */
  rememberRecent(workspace: WorkspaceRef): Promise<void>;
  forgetRecent(id: string): Promise<void>;
  /** Saved sync servers, admin keys still sealed: main process only, never sent to a renderer. */
  listServers(): SavedServer[];
  saveServer(server: SavedServer): Promise<void>;
  removeServer(id: string): Promise<void>;
  findPublication(workspaceId: string): SavedPublication | undefined;
  listPublications(): SavedPublication[];
  savePublication(publication: SavedPublication): Promise<void>;
  removePublication(workspaceId: string): Promise<void>;
}

export interface SettingsStoreOptions {
  now?: () => Date;
  pickColor?: () => string;
  /** backupPath is null when the damaged file could not be moved aside. */
  onRecovered?: (backupPath: string | null, reason: string) => void;
}

/**
 * Settings, profile and recent workspaces in `<directory>/stratboard-settings.json`.
 * A file that does not parse or validate is renamed aside and replaced by defaults
 * (keeping whatever sections were still valid), so a bad edit never stops the app.
 */
export async function openSettingsStore(directory: string, options: SettingsStoreOptions = {}): Promise<SettingsStore> {
  const now = options.now ?? (() => new Date());
  const pickColor = options.pickColor ?? (() => profilePalette[Math.floor(Math.random() * profilePalette.length)]!);
  const path = join(directory, SETTINGS_FILE_NAME);
  await mkdir(directory, { recursive: true });

  const defaults = (): SettingsFile => ({
    version: 1,
    settings: { locale: 'ru' },
    profile: { id: newId(), displayName: '', color: pickColor() },
    recent: [],
    servers: [],
    publications: [],
  });

  const db = new Low<SettingsFile>(new JSONFile<SettingsFile>(path), defaults());
  const loaded = await readValidated(db, defaults);
  if (loaded.problem) {
    const backupPath = `${path}.damaged-${now().toISOString().replace(/[:.]/g, '-')}`;
    const movedAside = await rename(path, backupPath).then(
      () => true,
      () => false,
    );
    options.onRecovered?.(movedAside ? backupPath : null, loaded.problem);
  }
  db.data = loaded.data;
  const profileId = loaded.data.profile.id ?? newId();
  const needsId = loaded.data.profile.id === undefined;
  db.data.profile.id = profileId;
  if (loaded.problem || loaded.missing || needsId) await db.write();

  return {
    getSettings: () => structuredClone(db.data.settings),
    async updateSettings(patch) {
      await db.update((data) => {
        data.settings = { ...data.settings, ...definedFields(patch) };
      });
      return structuredClone(db.data.settings);
    },
    getProfile: () => ({ ...structuredClone(db.data.profile), id: profileId }),
    async updateProfile(patch) {
      await db.update((data) => {
        data.profile = { ...data.profile, ...definedFields(patch), id: profileId };
      });
      return { ...structuredClone(db.data.profile), id: profileId };
    },
    listRecent: () => structuredClone(db.data.recent),
    findRecent: (id) => structuredClone(db.data.recent.find((entry) => entry.id === id)),
    async rememberRecent(workspace) {
      const entry: RecentWorkspace = {
        id: workspace.id,
        name: workspace.name,
        location: workspace.location,
        openedAt: now().toISOString(),
      };
      await db.update((data) => {
        data.recent = [entry, ...data.recent.filter((other) => other.id !== workspace.id)].slice(0, RECENT_LIMIT);
      });
    },
    async forgetRecent(id) {
      await db.update((data) => {
        data.recent = data.recent.filter((entry) => entry.id !== id);
      });
    },
    listServers: () => structuredClone(db.data.servers),
    async saveServer(server) {
      await db.update((data) => {
        const known = data.servers.some((entry) => entry.id === server.id);
        data.servers = known ? data.servers.map((entry) => (entry.id === server.id ? server : entry)) : [...data.servers, server];
      });
    },
    async removeServer(id) {
      await db.update((data) => {
        data.servers = data.servers.filter((entry) => entry.id !== id);
      });
    },
    findPublication: (workspaceId) => structuredClone(db.data.publications.find((entry) => entry.workspaceId === workspaceId)),
    listPublications: () => structuredClone(db.data.publications),
    async savePublication(publication) {
      const kept = { ...publication, invites: publication.invites.slice(-INVITES_KEPT) };
      await db.update((data) => {
        data.publications = [...data.publications.filter((entry) => entry.workspaceId !== publication.workspaceId), kept];
      });
    },
    async removePublication(workspaceId) {
      await db.update((data) => {
        data.publications = data.publications.filter((entry) => entry.workspaceId !== workspaceId);
      });
    },
  };
}

async function readValidated(
  db: Low<SettingsFile>,
  defaults: () => SettingsFile,
): Promise<{ data: SettingsFile; missing: boolean; problem?: string }> {
  let raw: unknown;
  try {
    raw = await db.adapter.read();
  } catch (error) {
    return { data: defaults(), missing: false, problem: `unreadable: ${String(error)}` };
  }
  if (raw === null) return { data: defaults(), missing: true };

  const strict = settingsFileSchema.safeParse(raw);
  if (strict.success) return { data: strict.data, missing: false };

  const fallback = defaults();
  const sections = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
  const settings = settingsFileSchema.shape.settings.safeParse(sections.settings);
  const profile = settingsFileSchema.shape.profile.safeParse(sections.profile);
  const validEntries = <T>(list: unknown, schema: z.ZodType<T>): T[] =>
    Array.isArray(list)
      ? list.flatMap((entry) => {
          const parsed = schema.safeParse(entry);
          return parsed.success ? [parsed.data] : [];
        })
      : [];
  return {
    data: {
      version: 1,
      settings: settings.success ? settings.data : fallback.settings,
      profile: profile.success ? profile.data : fallback.profile,
      recent: validEntries(sections.recent, recentSchema).slice(0, RECENT_LIMIT),
      servers: validEntries(sections.servers, serverSchema).slice(0, 100),
      publications: validEntries(sections.publications, publicationSchema).slice(0, 1000),
    },
    missing: false,
    problem: `invalid: ${z.prettifyError(strict.error)}`,
  };
}

function definedFields<T extends object>(patch: T): Partial<T> {
  return Object.fromEntries(Object.entries(patch).filter(([, value]) => value !== undefined)) as Partial<T>;
}
