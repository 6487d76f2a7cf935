import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, sep } from 'node:path';
import { baseHeaders, sendText } from './http';

export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self' ws: wss:",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

const mimeTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
  '.wasm': 'application/wasm',
};

/**
 * Serves the built browser edition. Paths that name no file and have no extension
 * are app routes and get index.html; a missing asset stays a 404, so a broken
 * script reference fails loudly instead of receiving HTML.
 */
export function createStaticHandler(staticDir: string | undefined) {
  let root: Promise<string | null> | undefined;
  const resolveRoot = () => (root ??= staticDir ? realpath(staticDir).catch(() => null) : Promise.resolve(null));

  return async function handleStatic(req: IncomingMessage, res: ServerResponse, rawPath: string): Promise<void> {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD');
      return sendText(res, 405, 'Method Not Allowed');
    }
    const segments = pathSegments(rawPath);
    if (!segments) return sendText(res, 400, 'Bad Request');
    // Dotfiles (.git, .env …) are never served, even if a build left one behind.
    if (segments.some((segment) => segment.startsWith('.'))) return sendText(res, 404, 'Not Found');
    const base = await resolveRoot();
    if (!base) return sendText(res, 404, 'Not Found');

    const file = segments.length === 0 ? join(base, 'index.html') : await findFile(base, segments);
    if (file) return sendFile(req, res, file, segments[0] === 'assets');
    const last = segments.at(-1) ?? '';
    if (extname(last) === '') return sendFile(req, res, join(base, 'index.html'), false);
    sendText(res, 404, 'Not Found');
  };
}

/** The decoded path segments, or null for a path that tries to leave the root. */
function pathSegments(rawPath: string): string[] | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(rawPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null;
  const segments = decoded.split('/').filter((segment) => segment !== '');
  if (segments.some((segment) => segment === '.' || segment === '..')) return null;
  return segments;
}

async function findFile(base: string, segments: string[]): Promise<string | null> {
  try {
    const real = await realpath(join(base, ...segments));
    // A symlink inside the root must not lead outside it.
    if (!real.startsWith(base + sep)) return null;
    return (await stat(real)).isFile() ? real : null;
  } catch {
    return null;
  }
}

async function sendFile(req: IncomingMessage, res: ServerResponse, file: string, immutable: boolean): Promise<void> {
  let size: number;
  try {
    size = (await stat(file)).size;
  } catch {
    return sendText(res, 404, 'Not Found');
  }
  const type = mimeTypes[extname(file).toLowerCase()] ?? 'application/octet-stream';
  const headers: Record<string, string | number> = {
    ...baseHeaders,
    'Content-Type': type,
    'Content-Length': size,
    // Vite puts content-hashed names under assets/; everything else may change on deploy.
    'Cache-Control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
  };
  if (type.startsWith('text/html')) headers['Content-Security-Policy'] = CONTENT_SECURITY_POLICY;
  res.writeHead(200, headers);
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  const stream = createReadStream(file);
  stream.on('error', () => res.destroy());
  stream.pipe(res);
}
