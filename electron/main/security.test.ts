import { readFile } from 'node:fs/promises';
import { describe, expect, it, vi } from 'vitest';
import type { Session, WebContents } from 'electron';
import {
  appOriginOf,
  contentSecurityPolicy,
  decidePermission,
  hardenSession,
  hardenWebContents,
  isAllowedExternalUrl,
  isAllowedNavigation,
  isTrustedSender,
  webPreferencesFor,
} from './security';

const packagedPage = 'file:///opt/Stratboard/resources/app.asar/out/renderer/index.html';
const packagedOrigin = appOriginOf(packagedPage)!;
const devOrigin = appOriginOf('http://localhost:5173/')!;

describe('appOriginOf', () => {
  it('identifies a packaged page by its file path, ignoring query and hash', () => {
    expect(appOriginOf(`${packagedPage}?x=1#/board/1`)).toBe(packagedOrigin);
  });

  it('identifies a dev-server page by its origin', () => {
    expect(devOrigin).toBe('http://localhost:5173');
  });

  it('gives no origin for other schemes or garbage', () => {
    expect(appOriginOf('data:text/html,hi')).toBeNull();
    expect(appOriginOf('not a url')).toBeNull();
  });
});

describe('isAllowedNavigation', () => {
  it('allows the app page itself, with a route in the hash', () => {
    expect(isAllowedNavigation(`${packagedPage}#/workspace/abc`, packagedOrigin)).toBe(true);
    expect(isAllowedNavigation('http://localhost:5173/index.html', devOrigin)).toBe(true);
  });

  it.each([
    'https://example.org/',
    'file:///etc/passwd',
    'file:///opt/Stratboard/resources/app.asar/out/renderer/other.html',
    'http://localhost:5174/',
    'https://localhost:5173/',
    'javascript:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    'about:blank',
    '',
  ])('denies %s', (url) => {
    expect(isAllowedNavigation(url, packagedOrigin)).toBe(false);
    expect(isAllowedNavigation(url, devOrigin)).toBe(url.startsWith('http://localhost:5173'));
  });
});

describe('isAllowedExternalUrl', () => {
  const hosts = ['stratboard.ru'];

  it('opens http(s) links to an allowed host', () => {
    expect(isAllowedExternalUrl('https://stratboard.ru/help', hosts)).toBe(true);
    expect(isAllowedExternalUrl('http://STRATBOARD.ru/', hosts)).toBe(true);
  });

  it('opens nothing when no host is allowed', () => {
    expect(isAllowedExternalUrl('https://stratboard.ru/help')).toBe(false);
  });

  it.each([
    'https://evil.example/',
    'https://stratboard.ru.evil.example/',
    'https://evil.example/?https://stratboard.ru/',
    'https://user:pass@stratboard.ru/',
    'https://user@stratboard.ru/',
    'javascript:alert(1)',
    'file:///etc/passwd',
    'data:text/html,hi',
    'ftp://stratboard.ru/',
    'smb://stratboard.ru/share',
    'stratboard.ru',
    `https://stratboard.ru/${'a'.repeat(3000)}`,
  ])('refuses %s', (url) => {
    expect(isAllowedExternalUrl(url, hosts)).toBe(false);
  });
});

describe('decidePermission', () => {
  it.each(['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal', 'fullscreen', 'unknown'])(
    'denies %s',
    (permission) => {
      expect(decidePermission(permission)).toBe(false);
    },
  );
});

describe('isTrustedSender', () => {
  it('trusts the app page in the main frame', () => {
    expect(isTrustedSender({ frameUrl: `${packagedPage}#/x`, isMainFrame: true }, packagedOrigin)).toBe(true);
  });

  it('refuses a subframe of the app page', () => {
    expect(isTrustedSender({ frameUrl: packagedPage, isMainFrame: false }, packagedOrigin)).toBe(false);
  });

  it('refuses another page, and a frame that is gone', () => {
    expect(isTrustedSender({ frameUrl: 'https://evil.example/', isMainFrame: true }, packagedOrigin)).toBe(false);
    expect(isTrustedSender({ frameUrl: undefined, isMainFrame: true }, packagedOrigin)).toBe(false);
  });
});

describe('webPreferencesFor', () => {
  it('isolates and sandboxes the renderer with no Node access', () => {
    expect(webPreferencesFor('/app/out/preload/index.cjs')).toEqual({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
      preload: '/app/out/preload/index.cjs',
    });
  });
});

type Listener = (...args: unknown[]) => void;

function fakeWebContents() {
  const listeners = new Map<string, Listener>();
  let windowOpenHandler: ((details: { url: string }) => { action: string }) | undefined;
  const contents = {
    on(event: string, listener: Listener) {
      listeners.set(event, listener);
      return contents;
    },
    setWindowOpenHandler(handler: typeof windowOpenHandler) {
      windowOpenHandler = handler;
    },
  };
  const emit = (event: string, url?: string) => {
    const navigation = { url, preventDefault: vi.fn() };
    listeners.get(event)!(navigation);
    return navigation.preventDefault.mock.calls.length > 0;
  };
  return {
    contents: contents as unknown as WebContents,
    /** true when the navigation was prevented */
    emit,
    openWindow: (url: string) => windowOpenHandler!({ url }),
  };
}

describe('hardenWebContents', () => {
  const setup = () => {
    const fake = fakeWebContents();
    const openExternal = vi.fn();
    hardenWebContents(fake.contents, { appOrigin: packagedOrigin, allowedExternalHosts: ['stratboard.ru'], openExternal });
    return { ...fake, openExternal };
  };

  it('lets the app page reload but stops navigation anywhere else', () => {
    const { emit, openExternal } = setup();
    expect(emit('will-navigate', packagedPage)).toBe(false);
    expect(emit('will-navigate', 'https://evil.example/')).toBe(true);
    expect(emit('will-redirect', 'file:///etc/passwd')).toBe(true);
    expect(openExternal).not.toHaveBeenCalled();
  });

  it('sends a navigation to an allowed site to the system browser instead', () => {
    const { emit, openExternal } = setup();
    expect(emit('will-navigate', 'https://stratboard.ru/help')).toBe(true);
    expect(openExternal).toHaveBeenCalledWith('https://stratboard.ru/help');
  });

  it('never opens a new Electron window', () => {
    const { openWindow, openExternal } = setup();
    expect(openWindow('https://stratboard.ru/help')).toEqual({ action: 'deny' });
    expect(openWindow('javascript:alert(1)')).toEqual({ action: 'deny' });
    expect(openWindow(packagedPage)).toEqual({ action: 'deny' });
    expect(openExternal).toHaveBeenCalledTimes(1);
  });

  it('refuses to attach a webview', () => {
    const { emit } = setup();
    expect(emit('will-attach-webview')).toBe(true);
  });
});

describe('hardenSession', () => {
  const fakeSession = () => {
    const handlers: {
      request?: (contents: unknown, permission: string, callback: (granted: boolean) => void) => void;
      check?: (contents: unknown, permission: string) => boolean;
      headers?: (details: { url: string; responseHeaders?: Record<string, string[]> }, callback: (r: unknown) => void) => void;
    } = {};
    const session = {
      setPermissionRequestHandler: (handler: typeof handlers.request) => (handlers.request = handler),
      setPermissionCheckHandler: (handler: typeof handlers.check) => (handlers.check = handler),
      webRequest: { onHeadersReceived: (handler: typeof handlers.headers) => (handlers.headers = handler) },
    };
    return { session: session as unknown as Session, handlers };
  };

  it('denies every permission request and check', () => {
    const { session, handlers } = fakeSession();
    hardenSession(session, { appOrigin: packagedOrigin, sendContentSecurityPolicy: true });
    const callback = vi.fn();
    handlers.request!({}, 'media', callback);
    expect(callback).toHaveBeenCalledWith(false);
    expect(handlers.check!({}, 'clipboard-read')).toBe(false);
  });

  it('replaces the CSP header of the app page and leaves other responses alone', () => {
    const { session, handlers } = fakeSession();
    hardenSession(session, { appOrigin: packagedOrigin, sendContentSecurityPolicy: true });
    const onAppPage = vi.fn();
    handlers.headers!({ url: packagedPage, responseHeaders: { 'content-security-policy': ['default-src *'], 'x-a': ['1'] } }, onAppPage);
    expect(onAppPage).toHaveBeenCalledWith({
      responseHeaders: { 'x-a': ['1'], 'Content-Security-Policy': [contentSecurityPolicy] },
    });
    const elsewhere = vi.fn();
    handlers.headers!({ url: 'https://example.org/' }, elsewhere);
    expect(elsewhere).toHaveBeenCalledWith({});
  });

  it('sends no CSP header for the dev server', () => {
    const { session, handlers } = fakeSession();
    hardenSession(session, { appOrigin: devOrigin, sendContentSecurityPolicy: false });
    expect(handlers.headers).toBeUndefined();
  });

  it('has a CSP that forbids inline and remote scripts, plugins and framing', () => {
    expect(contentSecurityPolicy).toContain("script-src 'self'");
    expect(contentSecurityPolicy).not.toMatch(/script-src[^;]*unsafe/);
    expect(contentSecurityPolicy).toContain("object-src 'none'");
    expect(contentSecurityPolicy).toContain("frame-ancestors 'none'");
  });
});

describe('content security policy', () => {
  it('agrees with the meta tag of the desktop page, adding only frame-ancestors', async () => {
    const html = await readFile(new URL('../../renderer/index.html', import.meta.url), 'utf8');
    const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)?.[1];
    expect(meta).toBeDefined();
    const directives = (policy: string) => policy.split(';').map((part) => part.trim()).filter(Boolean).sort();
    expect(directives(contentSecurityPolicy)).toEqual(directives(`${meta}; frame-ancestors 'none'`));
  });
});
