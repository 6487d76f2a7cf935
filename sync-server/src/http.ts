import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { isId } from '../../shared/ids';
import { INDEX_DOC } from '../../shared/docs';
import { createWorkspaceContent, readWorkspaceName } from '../../shared/model/workspace';
import type { Logger } from './logger';
import { isWorkspaceFileError, type WorkspaceFiles } from './workspaces';

export const MAX_JSON_BODY_BYTES = 64 * 1024;

const createWorkspaceInput = z.object({
  name: z.string().trim().min(1).max(200),
  firstBoardTitle: z.string().trim().min(1).max(200),
});

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
export function createApiHandler(files: WorkspaceFiles, logger: Logger) {
  async function createWorkspace(req: IncomingMessage, res: ServerResponse): Promise<void> {
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

  async function getWorkspace(res: ServerResponse, workspaceId: string): Promise<void> {
    if (!isId(workspaceId)) return sendJson(res, 404, { error: 'not-found' });
    let store;
    try {
      store = await files.get(workspaceId);
    } catch (error) {
      logger.error({ workspaceId, err: error }, 'could not open a workspace file');
      return sendJson(res, 500, { error: isWorkspaceFileError(error) ? error.code : 'internal' });
    }
    if (!store) return sendJson(res, 404, { error: 'not-found' });
    const name = readWorkspaceName(await store.encodeDocState(INDEX_DOC)) || store.name;
    sendJson(res, 200, { id: store.workspaceId, name });
  }

  return async function handleApi(req: IncomingMessage, res: ServerResponse, pathname: string): Promise<void> {
    try {
      if (pathname === '/api/workspaces') {
        if (req.method !== 'POST') return methodNotAllowed(res, 'POST');
        return await createWorkspace(req, res);
      }
      const match = /^\/api\/workspaces\/([^/]+)$/.exec(pathname);
      if (match) {
        if (req.method !== 'GET' && req.method !== 'HEAD') return methodNotAllowed(res, 'GET, HEAD');
        return await getWorkspace(res, match[1] ?? '');
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
