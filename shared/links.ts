import { idPattern, type Id } from './ids';

// Join links point at the browser edition on a sync server:
//   http(s)://server[:port]/#/w/<workspaceId>[/b/<boardId>]

export interface JoinLink {
  serverUrl: string;
  workspaceId: Id;
  boardId?: Id;
}

const routePattern = new RegExp(
  `^#?/w/(${idPattern.source.slice(1, -1)})(?:/b/(${idPattern.source.slice(1, -1)}))?/?$`,
);

/** Parses the hash route of the app: `#/w/<id>` or `#/w/<id>/b/<boardId>`. */
export function parseWorkspaceRoute(hash: string): { workspaceId: Id; boardId?: Id } | null {
  const match = routePattern.exec(hash);
  if (!match) return null;
  const [, workspaceId, boardId] = match;
  return boardId ? { workspaceId: workspaceId!, boardId } : { workspaceId: workspaceId! };
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

export function joinLinkFor(serverUrl: string, workspaceId: Id, boardId?: Id): string {
  return `${serverUrl.replace(/\/+$/, '')}/${workspaceRoute(workspaceId, boardId)}`;
}
