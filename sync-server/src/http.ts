import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { isId, type Id } from '../../shared/ids';
import { roles } from '../../shared/roles';
import { bearerToken, isAdminKey, type AccessGrant, type Auth } from './auth';
import { INDEX_DOC } from '../../shared/docs';
import { createWorkspaceContent, readWorkspaceName } from '../../shared/model/workspace';
import type { Logger } from './logger';
import { isWorkspaceFileError, type WorkspaceFiles, type WorkspaceStore } from './workspaces';

export const MAX_JSON_BODY_BYTES = 64 * 1024;

const createWorkspaceInput = z.object({
  name: z.string().trim().min(1).max(200),
  firstBoardTitle: z.string().trim().min(1).max(200),
});

const publishWorkspaceInput = z.object({ name: z.string().trim().min(1).max(200) });

const issueTokenInput = z.object({
  workspaceId: z.string().refine(isId),
  role: z.enum(roles),
  ttlSeconds: z.number().int().positive(),
  name: z.string().trim().min(1).max(200).optional(),
});

const revokeTokenInput = z.object({ tokenId: z.string().min(1).max(200) });

/** Who may use the API: with a token secret every call needs a credential. */
export interface ApiAccess {
  /** Null when the server runs open (no token secret). */
  auth: Auth | null;
  /** Authorises the admin calls (create or publish workspaces, issue and revoke tokens). */
  adminKey: string | null;
}

type Caller = { kind: 'admin' } | { kind: 'token'; grant: AccessGrant } | { kind: 'anonymous' } | { kind: 'refused'; status: number; error: string };

/** Headers every response carries, whatever it is. */
export const baseHeaders = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
} as const;

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    ...baseHeaders,
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-store',
  });
  res.end(text);
}

export function sendText(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, {
    ...baseHeaders,
    'Content-Type': 'text/plain; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-store',
  });
  res.end(text);
}

class RequestBodyError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
  ) {
    super(code);
  }
}

/** The workspace HTTP API under /api. */
export function createApiHandler(files: WorkspaceFiles, logger: Logger, access: ApiAccess) {
  const open = access.auth === null && access.adminKey === null;

  async function identify(req: IncomingMessage): Promise<Caller> {
    const credential = bearerToken(req.headers.authorization);
    if (!credential) return { kind: 'anonymous' };
    if (access.adminKey !== null && isAdminKey(credential, access.adminKey)) return { kind: 'admin' };
    if (!access.auth) return { kind: 'refused', status: 401, error: 'invalid-credential' };
    const verified = await access.auth.verify(credential);
    if (!verified.ok) return { kind: 'refused', status: verified.reason === 'revoked' ? 403 : 401, error: `token-${verified.reason}` };
    return { kind: 'token', grant: verified.grant };
  }

  /** Null when the caller is the admin (or the server is open); otherwise the refusal sent. */
  function refuseUnlessAdmin(res: ServerResponse, caller: Caller): boolean {
    if (open || caller.kind === 'admin') return false;
    if (caller.kind === 'refused') sendJson(res, caller.status, { error: caller.error });
    else if (caller.kind === 'anonymous') sendJson(res, 401, { error: 'credential-required' });
    else sendJson(res, 403, { error: 'admin-only' });
    return true;
  }

  async function createWorkspace(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (refuseUnlessAdmin(res, await identify(req))) return;
    const body = await readJsonBody(req);
    const input = createWorkspaceInput.safeParse(body);
    if (!input.success) return sendJson(res, 400, { error: 'invalid-input' });
    const content = createWorkspaceContent(input.data);
    try {
      await files.create(content);
    } catch (error) {
      logger.error({ workspaceId: content.workspaceId, err: error }, 'could not create a workspace file');
      return sendJson(res, 500, { error: isWorkspaceFileError(error) ? error.code : 'internal' });
    }
    logger.info({ workspaceId: content.workspaceId }, 'workspace created');
    sendJson(res, 201, { id: content.workspaceId, name: content.name });
  }

  async function publishWorkspace(req: IncomingMessage, res: ServerResponse, workspaceId: string): Promise<void> {
    if (refuseUnlessAdmin(res, await identify(req))) return;
    if (!isId(workspaceId)) return sendJson(res, 400, { error: 'invalid-workspace-id' });
    const input = publishWorkspaceInput.safeParse(await readJsonBody(req));
    if (!input.success) return sendJson(res, 400, { error: 'invalid-input' });
    const existing = await openStore(res, workspaceId);
    if (existing === undefined) return;
    if (existing) return sendJson(res, 200, { id: existing.workspaceId, name: await workspaceName(existing) });
    try {
      // Empty: the publishing app syncs its own docs in over websockets.
      await files.create({ workspaceId, name: input.data.name, docs: [] });
    } catch (error) {
      logger.error({ workspaceId, err: error }, 'could not create a published workspace file');
      return sendJson(res, 500, { error: isWorkspaceFileError(error) ? error.code : 'internal' });
    }
    logger.info({ workspaceId }, 'workspace published');
    sendJson(res, 201, { id: workspaceId, name: input.data.name });
  }

  /** The open store, null when the workspace does not exist, undefined when an error was sent. */
  async function openStore(res: ServerResponse, workspaceId: Id) {
    try {
      return await files.get(workspaceId);
    } catch (error) {
      logger.error({ workspaceId, err: error }, 'could not open a workspace file');
      sendJson(res, 500, { error: isWorkspaceFileError(error) ? error.code : 'internal' });
      return undefined;
    }
  }

  async function workspaceName(store: WorkspaceStore): Promise<string> {
    return readWorkspaceName(await store.encodeDocState(INDEX_DOC)) || store.name;
  }

  async function issueToken(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const caller = await identify(req);
    if (!access.auth) return sendJson(res, 501, { error: 'auth-disabled' });
    if (caller.kind === 'refused') return sendJson(res, caller.status, { error: caller.error });
    if (caller.kind === 'anonymous') return sendJson(res, 401, { error: 'credential-required' });
    const input = issueTokenInput.safeParse(await readJsonBody(req));
    if (!input.success) return sendJson(res, 400, { error: 'invalid-input' });
    const { workspaceId, role, ttlSeconds, name } = input.data;
    // A facilitator hands out tokens for its own workspace; every role is at most its own.
    if (caller.kind === 'token' && (caller.grant.role !== 'facilitator' || caller.grant.workspaceId !== workspaceId)) {
      return sendJson(res, 403, { error: 'forbidden' });
    }
    if (ttlSeconds > access.auth.maxTtlSeconds) return sendJson(res, 400, { error: 'ttl-too-long', maxTtlSeconds: access.auth.maxTtlSeconds });
    const store = await openStore(res, workspaceId);
    if (store === undefined) return;
    if (!store) return sendJson(res, 404, { error: 'unknown-workspace' });
    const issued = await access.auth.issue({ workspaceId, role, ttlSeconds, ...(name ? { name } : {}) });
    logger.info({ workspaceId, role, tokenId: issued.tokenId, by: caller.kind }, 'token issued');
    sendJson(res, 201, issued);
  }

  async function revokeToken(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const caller = await identify(req);
    if (!access.auth) return sendJson(res, 501, { error: 'auth-disabled' });
    if (caller.kind !== 'admin') {
      if (caller.kind === 'refused') return sendJson(res, caller.status, { error: caller.error });
      return sendJson(res, caller.kind === 'anonymous' ? 401 : 403, { error: caller.kind === 'anonymous' ? 'credential-required' : 'admin-only' });
    }
    const input = revokeTokenInput.safeParse(await readJsonBody(req));
    if (!input.success) return sendJson(res, 400, { error: 'invalid-input' });
    await access.auth.revoke(input.data.tokenId);
    logger.info({ tokenId: input.data.tokenId }, 'token revoked');
    sendJson(res, 200, { tokenId: input.data.tokenId, revoked: true });
  }

  async function getWorkspace(req: IncomingMessage, res: ServerResponse, workspaceId: string): Promise<void> {
    if (access.auth) {
      const caller = await identify(req);
      if (caller.kind === 'refused') return sendJson(res, caller.status, { error: caller.error });
      if (caller.kind === 'anonymous') return sendJson(res, 401, { error: 'credential-required' });
      if (caller.kind === 'token' && caller.grant.workspaceId !== workspaceId) return sendJson(res, 403, { error: 'wrong-workspace' });
    }
    if (!isId(workspaceId)) return sendJson(res, 404, { error: 'not-found' });
    let store;
    try {
      store = await files.get(workspaceId);
    } catch (error) {
      logger.error({ workspaceId, err: error }, 'could not open a workspace file');
      return sendJson(res, 500, { error: isWorkspaceFileError(error) ? error.code : 'internal' });
    }
    if (!store) return sendJson(res, 404, { error: 'not-found' });
    sendJson(res, 200, { id: store.workspaceId, name: await workspaceName(store) });
  }

  return async function handleApi(req: IncomingMessage, res: ServerResponse, pathname: string): Promise<void> {
    try {
      if (pathname === '/api/workspaces') {
        if (req.method !== 'POST') return methodNotAllowed(res, 'POST');
        return await createWorkspace(req, res);
      }
      const match = /^\/api\/workspaces\/([^/]+)$/.exec(pathname);
      if (match) {
        if (req.method === 'PUT') return await publishWorkspace(req, res, match[1] ?? '');
        if (req.method !== 'GET' && req.method !== 'HEAD') return methodNotAllowed(res, 'GET, HEAD, PUT');
        return await getWorkspace(req, res, match[1] ?? '');
      }
      if (pathname === '/api/tokens') {
        if (req.method !== 'POST') return methodNotAllowed(res, 'POST');
        return await issueToken(req, res);
      }
      if (pathname === '/api/tokens/revoke') {
        if (req.method !== 'POST') return methodNotAllowed(res, 'POST');
        return await revokeToken(req, res);
      }
      sendJson(res, 404, { error: 'not-found' });
    } catch (error) {
      if (error instanceof RequestBodyError) {
        // The rest of an oversized body is not read; the socket closes after the reply.
        if (error.status === 413) res.setHeader('Connection', 'close');
        return sendJson(res, error.status, { error: error.code });
      }
      throw error;
    }
  };
}

function methodNotAllowed(res: ServerResponse, allow: string): void {
  res.setHeader('Allow', allow);
  sendJson(res, 405, { error: 'method-not-allowed' });
}

async function readJsonBody(req: IncomingMessage): Promise<unknown> {
  // Requiring JSON keeps cross-site form posts out: browsers preflight it.
  const type = req.headers['content-type'] ?? '';
  if (!/^application\/json\s*(;|$)/i.test(type)) throw new RequestBodyError(415, 'unsupported-media-type');
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > MAX_JSON_BODY_BYTES) throw new RequestBodyError(413, 'too-large');
  // Plain listeners, not for-await: leaving an async iterator early destroys the
  // socket, and the 413 could not be sent.
  const body = await new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_JSON_BODY_BYTES) {
        req.off('data', onData);
        req.pause();
        reject(new RequestBodyError(413, 'too-large'));
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.once('end', () => resolve(Buffer.concat(chunks)));
    req.once('error', reject);
  });
  try {
    return JSON.parse(body.toString('utf8')) as unknown;
  } catch {
    throw new RequestBodyError(400, 'invalid-input');
  }
}
