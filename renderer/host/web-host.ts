import type * as Y from 'yjs';
import {
  HostError,
  type CreateWorkspaceInput,
  type DocConnection,
  exportMimeTypes,
  type ExportFile,
  type Host,
  type Invites,
  type InviteInput,
  type Profile,
  type RecentWorkspace,
  type Settings,
  type WorkspaceRef,
} from '../../shared/host';
import type { Id } from '../../shared/ids';
import { inviteFor, parseJoinLink } from '../../shared/links';
import { peekAccessClaims } from '../../shared/access-token';
import { connectServerDoc } from './server-doc-connection';
import { defaultProfile, defaultSettings, LocalPreferences } from './local-preferences';

/** The browser edition's host: the sync server that served the page, plus localStorage. */
export class WebHost implements Host {
  readonly kind = 'web';
  private readonly preferences = new LocalPreferences(window.localStorage);

  /**
   * A facilitator who came with a token hands out invites with it (the server lets a
   * facilitator token issue tokens for its workspace); revoking needs the admin key.
   */
  readonly invites: Invites = {
    canRevoke: false,
    available: async (workspace) => this.facilitatorToken(workspace) !== null,
    list: async (workspace) => [...this.preferences.invites(workspace.id)].reverse(),
    create: async (workspace, input) => {
      const token = this.facilitatorToken(workspace);
      if (!token) throw new HostError('forbidden', 'only a facilitator with a token invites');
      const issued = await this.issueToken(token, { workspaceId: workspace.id, ...input });
      const invite = inviteFor(this.serverUrl, workspace.id, input, issued);
      this.preferences.addInvite(workspace.id, invite);
      return invite;
    },
    revoke: async () => {
      throw new HostError('forbidden', 'revoking needs the server admin key');
    },
  };

  constructor(private readonly serverUrl: string = window.location.origin) {}

  private facilitatorToken(workspace: WorkspaceRef): string | null {
    const token = workspace.location.kind === 'server' ? workspace.location.token : undefined;
    const claims = token ? peekAccessClaims(token) : null;
    return token && claims?.role === 'facilitator' && claims.workspaceId === workspace.id ? token : null;
  }

  private async issueToken(token: string, body: { workspaceId: Id } & InviteInput) {
    let response: Response;
    try {
      response = await fetch(`${this.serverUrl}/api/tokens`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify(body),
      });
    } catch (error) {
      throw new HostError('server-unreachable', String(error));
    }
    const answer = (await response.json().catch(() => ({}))) as { error?: string; token?: string; tokenId?: string; expiresAt?: number };
    if (response.status === 201 && answer.token && answer.tokenId && typeof answer.expiresAt === 'number') {
      return { token: answer.token, tokenId: answer.tokenId, expiresAt: answer.expiresAt };
    }
    if (answer.error === 'ttl-too-long') throw new HostError('invite-ttl-too-long');
    if (answer.error === 'auth-disabled') throw new HostError('server-without-auth');
    if (response.status === 401 || response.status === 403) throw new HostError('forbidden', answer.error);
    if (response.status === 404) throw new HostError('not-found', answer.error);
    throw new HostError('internal', `POST /api/tokens: HTTP ${response.status}`);
  }

  async listRecent(): Promise<RecentWorkspace[]> {
    return this.preferences.recent().filter((entry) => entry.location.kind === 'server');
  }

  async forgetRecent(id: Id): Promise<void> {
    this.preferences.forgetRecent(id);
  }

  async createWorkspace(input: CreateWorkspaceInput): Promise<WorkspaceRef> {
    const body = await this.request<{ id: Id; name: string }>('/api/workspaces', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(input),
    });
    return this.remember({ id: body.id, name: body.name, location: { kind: 'server', serverUrl: this.serverUrl } });
  }

  async openWorkspaceFile(): Promise<null> {
    return null;
  }

  async openWorkspace(id: Id, token?: string): Promise<WorkspaceRef> {
    const known = this.preferences.recent().find((entry) => entry.id === id);
    const knownToken = known?.location.kind === 'server' ? known.location.token : undefined;
    const access = token ?? knownToken;
    const body = await this.request<{ id: Id; name: string }>(`/api/workspaces/${encodeURIComponent(id)}`, {
      ...(access ? { headers: { authorization: `Bearer ${access}` } } : {}),
    });
    // Without a token, whoever created the workspace here (it is in the recent list with no
    // role) facilitates; someone who came by a plain link edits.
    const role = access ? peekAccessClaims(access)?.role : known ? known.role : 'editor';
    return this.remember({
      id: body.id,
      name: body.name,
      location: { kind: 'server', serverUrl: this.serverUrl, ...(access ? { token: access } : {}) },
      ...(role ? { role } : {}),
    });
  }

  async joinByLink(link: string): Promise<WorkspaceRef> {
    const parsed = parseJoinLink(link);
    if (!parsed) throw new HostError('invalid-link', link);
    if (parsed.serverUrl !== this.serverUrl) {
      // Another server: its own page serves the workspace.
      window.location.assign(link);
      return new Promise<WorkspaceRef>(() => {});
    }
    return this.openWorkspace(parsed.workspaceId, parsed.token);
  }

  connectDoc(workspace: WorkspaceRef, docName: string, doc: Y.Doc): DocConnection {
    const token = workspace.location.kind === 'server' ? workspace.location.token : undefined;
    return connectServerDoc(this.serverUrl, workspace.id, docName, doc, token);
  }

  async takeOpenRequest(): Promise<null> {
    return null;
  }

  onOpenRequested(): () => void {
    return () => {};
  }

  async getSettings(): Promise<Settings> {
    return this.preferences.settings() ?? defaultSettings();
  }

  async updateSettings(patch: Partial<Settings>): Promise<Settings> {
    return this.preferences.saveSettings({ ...(await this.getSettings()), ...patch });
  }

  async getProfile(): Promise<Profile> {
    // Saved at once: the profile id must stay the same from the first vote on.
    return this.preferences.profile() ?? this.preferences.saveProfile(defaultProfile());
  }

  async updateProfile(patch: Partial<Profile>): Promise<Profile> {
    return this.preferences.saveProfile({ ...(await this.getProfile()), ...patch });
  }

  /** A browser download; the browser decides where it goes, so there is no cancel to report. */
  async saveFile(file: ExportFile): Promise<boolean> {
    const blob = new Blob([file.bytes as Uint8Array<ArrayBuffer>], { type: exportMimeTypes[file.kind] });
    const url = URL.createObjectURL(blob);
    const link = document.createElement('a');
    link.href = url;
    link.download = file.name;
    link.rel = 'noopener';
    document.body.append(link);
    link.click();
    link.remove();
    // revoked after the click has handed the blob to the download
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
    return true;
  }

  private remember(ref: WorkspaceRef): WorkspaceRef {
    this.preferences.addRecent(ref);
    return ref;
  }

  private async request<T>(path: string, init?: RequestInit): Promise<T> {
    let response: Response;
    try {
      response = await fetch(`${this.serverUrl}${path}`, init);
    } catch (error) {
      throw new HostError('server-unreachable', String(error));
    }
    if (response.status === 404) throw new HostError('not-found', path);
    if (response.status === 400) throw new HostError('invalid-input', path);
    if (response.status === 401 || response.status === 403) throw new HostError('forbidden', path);
    if (!response.ok) throw new HostError('internal', `${path}: HTTP ${response.status}`);
    return (await response.json()) as T;
  }
}
