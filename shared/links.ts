import { idPattern, type Id } from './ids';
import type { Invite } from './host';
import type { Role } from './roles';

// Join links point at the browser edition on a sync server:
//   http(s)://server[:port]/#/w/<workspaceId>[/b/<boardId>][?t=<access token>]
// The token (a JWT the server issued, naming workspace, role and expiry) rides in the
// hash so it never reaches the server's HTTP logs or a Referer header.

export interface JoinLink {
  serverUrl: string;
  workspaceId: Id;
  boardId?: Id;
  token?: string;
}

/** The workspace's views besides boards: the problem registry, candidates from appeals, the problem→project map, coverage. */
export const workspaceViews = ['registry', 'candidates', 'map', 'coverage'] as const;
export type WorkspaceView = (typeof workspaceViews)[number];

/** Registry filters carried in the route, so coverage can link to a filtered registry. */
export interface RegistryRouteFilter {
  territory?: Id;
  category?: string;
  status?: string;
  systemic?: 'yes' | 'no';
  q?: string;
}

export interface WorkspaceRoute {
  workspaceId: Id;
  boardId?: Id;
  view?: WorkspaceView;
  filter?: RegistryRouteFilter;
  token?: string;
}

const idGroup = idPattern.source.slice(1, -1);
const routePattern = new RegExp(
  `^#?/w/(${idGroup})(?:/b/(${idGroup})|/(${workspaceViews.join('|')}))?/?(?:\\?([^#]{0,6000}))?$`,
);
const tokenPattern = /^[A-Za-z0-9_.-]{1,4096}$/;
const filterKeyPattern = /^[a-z0-9-]{1,40}$/;

/**
 * Parses the hash route of the app: `#/w/<id>`, `#/w/<id>/b/<boardId>`, `#/w/<id>/<view>`,
 * then optionally `?t=<token>` and (registry views) filter parameters.
 */
export function parseWorkspaceRoute(hash: string): WorkspaceRoute | null {
  const match = routePattern.exec(hash);
  if (!match) return null;
  const [, workspaceId, boardId, view, query] = match;
  const filter: RegistryRouteFilter = {};
  let token: string | undefined;
  for (const part of query ? query.split('&') : []) {
    if (!part) continue;
    const eq = part.indexOf('=');
    const key = eq < 0 ? part : part.slice(0, eq);
    let value: string;
    try {
      value = decodeURIComponent((eq < 0 ? '' : part.slice(eq + 1)).replace(/\+/g, ' '));
    } catch {
      return null;
    }
    if (key === 't') {
      if (!tokenPattern.test(value)) return null;
      token = value;
    } else if (key === 'territory') {
      if (idPattern.test(value)) filter.territory = value;
    } else if (key === 'category' || key === 'status') {
      if (filterKeyPattern.test(value)) filter[key] = value;
    } else if (key === 'systemic') {
      if (value === 'yes' || value === 'no') filter.systemic = value;
    } else if (key === 'q') {
      if (value.trim()) filter.q = value.slice(0, 200);
    }
  }
  return {
    workspaceId: workspaceId!,
    ...(boardId ? { boardId } : {}),
    ...(view ? { view: view as WorkspaceView } : {}),
    ...(Object.keys(filter).length > 0 ? { filter } : {}),
    ...(token ? { token } : {}),
  };
}

export function workspaceRoute(workspaceId: Id, boardId?: Id): string {
  return boardId ? `#/w/${workspaceId}/b/${boardId}` : `#/w/${workspaceId}`;
}

/** The hash of a workspace view, with registry filters and the access token (last) as query parameters. */
export function workspaceViewRoute(workspaceId: Id, view: WorkspaceView, filter: RegistryRouteFilter = {}, token?: string): string {
  const params: string[] = [];
  for (const key of ['territory', 'category', 'status', 'systemic', 'q'] as const) {
    const value = filter[key];
    if (value) params.push(`${key}=${encodeURIComponent(value)}`);
  }
  if (token) params.push(`t=${token}`);
  return `#/w/${workspaceId}/${view}${params.length > 0 ? `?${params.join('&')}` : ''}`;
}

// A regex instead of URL: pure shared code has neither DOM nor Node globals typed.
const linkPattern = /^(https?):\/\/([A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::(\d{1,5}))?(?:\/[^#?]*)?(?:\?[^#]*)?(#.*)?$/i;

export function parseJoinLink(link: string): JoinLink | null {
  const match = linkPattern.exec(link.trim());
  if (!match) return null;
  const [, scheme, host, port, hash] = match;
  const route = parseWorkspaceRoute(hash ?? '');
  if (!route) return null;
  const protocol = scheme!.toLowerCase();
  const defaultPort = protocol === 'https' ? '443' : '80';
  const portPart = port && port !== defaultPort ? `:${Number(port)}` : '';
  return { serverUrl: `${protocol}://${host!.toLowerCase()}${portPart}`, ...route };
}

export function joinLinkFor(serverUrl: string, workspaceId: Id, boardId?: Id, token?: string): string {
  const route = workspaceRoute(workspaceId, boardId);
  return `${serverUrl.replace(/\/+$/, '')}/${route}${token ? `?t=${token}` : ''}`;
}

const serverUrlPattern = /^(https?|wss?):\/\/([A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::(\d{1,5}))?(?:\/sync)?\/?$/i;

/**
 * The browser-edition address of a sync server the user typed: http(s) or ws(s), host
 * and port only (a pasted `/sync` websocket path is dropped). ws → http, wss → https,
 * the default port left out. Null for anything else (paths, queries, credentials).
 */
export function normalizeServerUrl(text: string): string | null {
  const match = serverUrlPattern.exec(text.trim());
  if (!match) return null;
  const [, scheme, host, port] = match;
  const secure = scheme!.toLowerCase() === 'https' || scheme!.toLowerCase() === 'wss';
  const protocol = secure ? 'https' : 'http';
  if (port !== undefined && (Number(port) < 1 || Number(port) > 65535)) return null;
  const portPart = port && Number(port) !== (secure ? 443 : 80) ? `:${Number(port)}` : '';
  return `${protocol}://${host!.toLowerCase()}${portPart}`;
}

/** Where a server's websockets are, for a browser-edition address from normalizeServerUrl. */
export function syncSocketUrl(serverUrl: string): string {
  return `${serverUrl.replace(/^http/, 'ws')}/sync`;
}

/** An invite as the desktop app and a browser facilitator list it: the issued token's link and what it grants. */
export function inviteFor(
  serverUrl: string,
  workspaceId: Id,
  input: { role: Role; name?: string },
  issued: { token: string; tokenId: string; expiresAt: number },
): Invite {
  return {
    tokenId: issued.tokenId,
    role: input.role,
    ...(input.name ? { name: input.name } : {}),
    expiresAt: issued.expiresAt,
    createdAt: new Date().toISOString(),
    link: joinLinkFor(serverUrl, workspaceId, undefined, issued.token),
    revoked: false,
  };
}
