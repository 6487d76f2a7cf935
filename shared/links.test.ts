import { describe, expect, it } from 'vitest';
import { newId } from './ids';
import { joinLinkFor, normalizeServerUrl, parseJoinLink, parseWorkspaceRoute, syncSocketUrl, workspaceRoute, workspaceViewRoute } from './links';

describe('join links', () => {
  it('round-trips a link to a workspace and to a board', () => {
    const ws = newId();
    const board = newId();
    expect(parseJoinLink(joinLinkFor('http://192.168.1.20:8787/', ws))).toEqual({ serverUrl: 'http://192.168.1.20:8787', workspaceId: ws });
    expect(parseJoinLink(joinLinkFor('https://strat.example.ru', ws, board))).toEqual({
      serverUrl: 'https://strat.example.ru',
      workspaceId: ws,
      boardId: board,
    });
  });

  it('rejects links that are not Stratboard workspace links', () => {
    expect(parseJoinLink('просто текст')).toBeNull();
    expect(parseJoinLink('javascript:alert(1)//#/w/' + newId())).toBeNull();
    expect(parseJoinLink('file:///etc/passwd#/w/' + newId())).toBeNull();
    expect(parseJoinLink('http://user:pw@host/#/w/' + newId())).toBeNull();
    expect(parseJoinLink('http://host/#/w/short')).toBeNull();
  });

  it('parses the app route from a hash', () => {
    const ws = newId();
    expect(parseWorkspaceRoute(workspaceRoute(ws))).toEqual({ workspaceId: ws });
    expect(parseWorkspaceRoute('#/')).toBeNull();
  });
});

describe('join link origins', () => {
  it('normalises the server address like a browser origin', () => {
    const ws = newId();
    expect(parseJoinLink(`HTTP://Strat.Example.RU:80/#/w/${ws}`)?.serverUrl).toBe('http://strat.example.ru');
    expect(parseJoinLink(`https://[::1]:8787/index.html#/w/${ws}`)?.serverUrl).toBe('https://[::1]:8787');
  });
});

describe('join links with an access token', () => {
  it('carries the token in the hash and reads it back', () => {
    const ws = newId();
    const board = newId();
    const token = 'eyJhbGciOiJIUzI1NiJ9.eyJ3cyI6IngifQ.c2ln_-';
    const link = joinLinkFor('http://10.0.0.5:8787', ws, board, token);
    expect(link).toBe(`http://10.0.0.5:8787/#/w/${ws}/b/${board}?t=${token}`);
    expect(parseJoinLink(link)).toEqual({ serverUrl: 'http://10.0.0.5:8787', workspaceId: ws, boardId: board, token });
    expect(parseWorkspaceRoute(`#/w/${ws}?t=${token}`)).toEqual({ workspaceId: ws, token });
  });

  it('refuses a token with characters a JWT never has', () => {
    expect(parseWorkspaceRoute(`#/w/${newId()}?t=a<b>.c.d`)).toBeNull();
  });
});

describe('registry views in the route', () => {
  it('round-trips a view with filters and keeps the access token', () => {
    const ws = newId();
    const territory = newId();
    const token = 'eyJhbGciOiJIUzI1NiJ9.eyJ3cyI6IngifQ.c2ln_-';
    const hash = workspaceViewRoute(ws, 'registry', { territory, category: 'roads', systemic: 'yes', q: 'ямы во дворе & свет' }, token);
    expect(hash.endsWith(`&t=${token}`)).toBe(true);
    expect(parseWorkspaceRoute(hash)).toEqual({
      workspaceId: ws,
      view: 'registry',
      filter: { territory, category: 'roads', systemic: 'yes', q: 'ямы во дворе & свет' },
      token,
    });
    expect(parseWorkspaceRoute(workspaceViewRoute(ws, 'map'))).toEqual({ workspaceId: ws, view: 'map' });
    expect(parseWorkspaceRoute(workspaceViewRoute(ws, 'coverage', {}, token))).toEqual({ workspaceId: ws, view: 'coverage', token });
  });

  it('ignores malformed filter values and refuses unknown views', () => {
    const ws = newId();
    expect(parseWorkspaceRoute(`#/w/${ws}/registry?territory=..%2F&systemic=maybe&category=Дороги`)).toEqual({
      workspaceId: ws,
      view: 'registry',
    });
    expect(parseWorkspaceRoute(`#/w/${ws}/settings`)).toBeNull();
    expect(parseWorkspaceRoute(`#/w/${ws}/registry?q=%E0%A4%A`)).toBeNull();
  });
});

describe('server addresses typed for publishing', () => {
  it('keeps http(s) origins and maps websocket addresses to the browser edition', () => {
    expect(normalizeServerUrl(' https://Board.Example.org/ ')).toBe('https://board.example.org');
    expect(normalizeServerUrl('http://127.0.0.1:8787')).toBe('http://127.0.0.1:8787');
    expect(normalizeServerUrl('wss://board.example.org:443/sync')).toBe('https://board.example.org');
    expect(normalizeServerUrl('ws://192.168.1.5:8787/sync/')).toBe('http://192.168.1.5:8787');
    expect(normalizeServerUrl('http://[::1]:80')).toBe('http://[::1]');
    expect(syncSocketUrl('https://board.example.org')).toBe('wss://board.example.org/sync');
  });

  it('refuses other schemes, credentials, paths, queries and bad ports', () => {
    for (const bad of ['ftp://example.org', 'example.org', 'https://user:pw@example.org', 'https://example.org/app', 'https://example.org/?a=1', 'http://example.org:70000', 'javascript:alert(1)', '']) {
      expect(normalizeServerUrl(bad), bad).toBeNull();
    }
  });
});
