import { idPattern, type Id } from './ids';

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

export interface WorkspaceRoute {
  workspaceId: Id;
  boardId?: Id;
  token?: string;
}

const idGroup = idPattern.source.slice(1, -1);
const routePattern = new RegExp(`^#?/w/(${idGroup})(?:/b/(${idGroup}))?/?(?:\\?t=([A-Za-z0-9_.-]{1,4096}))?$`);

/** Parses the hash route of the app: `#/w/<id>`, `#/w/<id>/b/<boardId>`, optionally `?t=<token>`. */
export function parseWorkspaceRoute(hash: string): WorkspaceRoute | null {
  const match = routePattern.exec(hash);
  if (!match) return null;
  const [, workspaceId, boardId, token] = match;
  return { workspaceId: workspaceId!, ...(boardId ? { boardId } : {}), ...(token ? { token } : {}) };
}

export function workspaceRoute(workspaceId: Id, boardId?: Id): string {
  return boardId ? `#/w/${workspaceId}/b/${boardId}` : `#/w/${workspaceId}`;
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
