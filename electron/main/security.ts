import type { Session, WebContents, WebPreferences } from 'electron';

// Every security decision of the desktop shell lives here, as pure functions plus
// the wiring that applies them to electron objects passed in (so tests use fakes).

/**
 * Where the app's own page comes from: the dev server's origin (`http://localhost:5173`)
 * or, for the packaged app, the file URL of `index.html` without query or hash —
 * file:// URLs all share the opaque origin "null", so the page path is the identity.
 */
export function appOriginOf(pageUrl: string): string | null {
  const url = parseUrl(pageUrl);
  if (!url) return null;
  if (url.protocol === 'file:') return `file://${url.pathname}`;
  if (url.protocol === 'http:' || url.protocol === 'https:') return url.origin;
  return null;
}

export function isAppPage(url: string, appOrigin: string): boolean {
  return appOriginOf(url) === appOrigin;
}

/** The window may only ever show the app's own page; everything else is denied. */
export function isAllowedNavigation(url: string, appOrigin: string): boolean {
  return isAppPage(url, appOrigin);
}

/** Opening links in the system browser: http(s) only, to hosts on an explicit list. */
export function isAllowedExternalUrl(url: string, allowedHosts: readonly string[] = []): boolean {
  if (url.length > 2048) return false;
  const parsed = parseUrl(url);
  if (!parsed) return false;
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return false;
  if (parsed.username || parsed.password) return false;
  const host = parsed.hostname.toLowerCase();
  return allowedHosts.some((allowed) => allowed.toLowerCase() === host);
}

/** No web permission (camera, notifications, geolocation, …) is ever granted. */
export function decidePermission(_permission: string): boolean {
  return false;
}

export interface IpcSender {
  /** URL of the frame that sent the message; undefined when the frame is gone. */
  frameUrl: string | undefined;
  isMainFrame: boolean;
}

/** Only the app's page in the top frame may call the main process. */
export function isTrustedSender(sender: IpcSender, appOrigin: string): boolean {
  return sender.isMainFrame && sender.frameUrl !== undefined && isAppPage(sender.frameUrl, appOrigin);
}

export function webPreferencesFor(preloadPath: string): WebPreferences {
  return {
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    spellcheck: false,
    preload: preloadPath,
  };
}

/**
 * Sent as a response header for the app's own page. It repeats the meta tag in
 * renderer/index.html (both are enforced, so they must agree) and adds what only a
 * header can carry: frame-ancestors. Mantine injects style tags; joining a session by
 * link needs http(s)/ws(s) connections to sync servers.
 */
export const contentSecurityPolicy = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self' http: https: ws: wss:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-src 'none'",
  "frame-ancestors 'none'",
].join('; ');

export interface WebContentsPolicy {
  appOrigin: string;
  allowedExternalHosts: readonly string[];
  openExternal(url: string): void;
}

type HardenableWebContents = Pick<WebContents, 'on' | 'setWindowOpenHandler'>;

export function hardenWebContents(contents: HardenableWebContents, policy: WebContentsPolicy): void {
  const refuseNavigation = (event: { url: string; preventDefault(): void }): void => {
    if (isAllowedNavigation(event.url, policy.appOrigin)) return;
    event.preventDefault();
    if (isAllowedExternalUrl(event.url, policy.allowedExternalHosts)) policy.openExternal(event.url);
  };
  contents.on('will-navigate', refuseNavigation);
  contents.on('will-redirect', refuseNavigation);
  contents.setWindowOpenHandler(({ url }) => {
    if (isAllowedExternalUrl(url, policy.allowedExternalHosts)) policy.openExternal(url);
    return { action: 'deny' };
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
}

export interface SessionPolicy {
  appOrigin: string;
  /** Off for the Vite dev server, whose React-refresh preamble is an inline script. */
  sendContentSecurityPolicy: boolean;
}

type HardenableSession = Pick<Session, 'setPermissionRequestHandler' | 'setPermissionCheckHandler' | 'webRequest'>;

export function hardenSession(session: HardenableSession, policy: SessionPolicy): void {
  session.setPermissionRequestHandler((_contents, permission, callback) => callback(decidePermission(permission)));
  session.setPermissionCheckHandler((_contents, permission) => decidePermission(permission));
  if (!policy.sendContentSecurityPolicy) return;
  session.webRequest.onHeadersReceived((details, callback) => {
    if (!isAppPage(details.url, policy.appOrigin)) {
      callback({});
      return;
    }
    callback({
      responseHeaders: {
        ...withoutHeader(details.responseHeaders ?? {}, 'content-security-policy'),
        'Content-Security-Policy': [contentSecurityPolicy],
      },
    });
  });
}

function withoutHeader(headers: Record<string, string[]>, name: string): Record<string, string[]> {
  return Object.fromEntries(Object.entries(headers).filter(([key]) => key.toLowerCase() !== name));
}

function parseUrl(value: string): URL | null {
  try {
    return new URL(value);
  } catch {
    return null;
  }
}
