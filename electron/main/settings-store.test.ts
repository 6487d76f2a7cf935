import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Low } from 'lowdb';
import { JSONFile } from 'lowdb/node';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { newId } from '../../shared/ids';
import type { WorkspaceRef } from '../../shared/host';
import { openSettingsStore, profilePalette, RECENT_LIMIT, SETTINGS_FILE_NAME } from './settings-store';

let directory: string;
let clock: number;
const now = () => new Date(Date.UTC(2025, 0, 1) + clock++ * 1000);

beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), 'stratboard-settings-'));
  clock = 0;
});

afterEach(async () => {
  await rm(directory, { recursive: true, force: true });
});

const workspace = (name: string, id = newId()): WorkspaceRef => ({
  id,
  name,
  location: { kind: 'file', path: `/home/me/${name}.stratboard` },
});

async function readStoredFile(): Promise<unknown> {
  const db = new Low<unknown>(new JSONFile(join(directory, SETTINGS_FILE_NAME)), null);
  await db.read();
  return db.data;
}

describe('settings store', () => {
  it('starts in Russian with an unnamed profile in a palette colour, and saves that at once', async () => {
    const store = await openSettingsStore(directory, { now });
    expect(store.getSettings()).toEqual({ locale: 'ru' });
    expect(store.getProfile().displayName).toBe('');
    expect(profilePalette).toContain(store.getProfile().color);
    expect(store.listRecent()).toEqual([]);
    expect(await readStoredFile()).toMatchObject({ version: 1, profile: store.getProfile() });
  });

  it('keeps the profile colour across restarts', async () => {
    const first = await openSettingsStore(directory, { now });
    const second = await openSettingsStore(directory, { now, pickColor: () => '#000000' });
    expect(second.getProfile().color).toBe(first.getProfile().color);
  });

  it('gives a profile saved before profile ids one on open, and keeps it from then on', async () => {
    await writeFile(
      join(directory, SETTINGS_FILE_NAME),
      JSON.stringify({ version: 1, settings: { locale: 'ru' }, profile: { displayName: 'Анна', color: '#2f9e44' }, recent: [] }),
    );
    const first = await openSettingsStore(directory, { now });
    expect(first.getProfile()).toMatchObject({ displayName: 'Анна', id: expect.stringMatching(/^[0-9A-Za-z]{16}$/) });
    const second = await openSettingsStore(directory, { now });
    expect(second.getProfile().id).toBe(first.getProfile().id);
    expect((await readdir(directory)).some((name) => name.includes('.damaged-'))).toBe(false);
  });

  it('persists settings and profile changes', async () => {
    const store = await openSettingsStore(directory, { now });
    expect(await store.updateSettings({ locale: 'en' })).toEqual({ locale: 'en' });
    const id = store.getProfile().id;
    expect(id).toMatch(/^[0-9A-Za-z]{16}$/);
    expect(await store.updateProfile({ displayName: 'Анна', color: '#2f9e44' })).toEqual({
      id,
      displayName: 'Анна',
      color: '#2f9e44',
    });
    await store.updateProfile({ displayName: undefined, color: '#1971c2' });

    const reopened = await openSettingsStore(directory, { now });
    expect(reopened.getSettings()).toEqual({ locale: 'en' });
    expect(reopened.getProfile()).toEqual({ id, displayName: 'Анна', color: '#1971c2' });
  });

  it('lists recent workspaces newest first, once each, with path, name and time', async () => {
    const store = await openSettingsStore(directory, { now });
    const sessions = workspace('Сессия');
    const office = workspace('Проектный офис');
    await store.rememberRecent(sessions);
    await store.rememberRecent(office);
    await store.rememberRecent({ ...sessions, name: 'Сессия, весна' });

    const recent = (await openSettingsStore(directory, { now })).listRecent();
    expect(recent.map((entry) => entry.name)).toEqual(['Сессия, весна', 'Проектный офис']);
    expect(recent[0]).toEqual({
      id: sessions.id,
      name: 'Сессия, весна',
      location: { kind: 'file', path: '/home/me/Сессия.stratboard' },
      openedAt: expect.stringMatching(/^2025-01-01T/),
    });
    expect(store.findRecent(office.id)?.name).toBe('Проектный офис');
  });

  it(`keeps only the ${RECENT_LIMIT} most recent workspaces`, async () => {
    const store = await openSettingsStore(directory, { now });
    const all = Array.from({ length: RECENT_LIMIT + 5 }, (_, i) => workspace(`w${i}`));
    for (const entry of all) await store.rememberRecent(entry);
    const recent = store.listRecent();
    expect(recent).toHaveLength(RECENT_LIMIT);
    expect(recent[0]!.id).toBe(all.at(-1)!.id);
    expect(recent.map((entry) => entry.id)).not.toContain(all[4]!.id);
  });

  it('forgets a recent workspace', async () => {
    const store = await openSettingsStore(directory, { now });
    const entry = workspace('Старая сессия');
    await store.rememberRecent(entry);
    await store.forgetRecent(entry.id);
    expect((await openSettingsStore(directory, { now })).listRecent()).toEqual([]);
  });

  it('hands out copies, so callers cannot change stored data by accident', async () => {
    const store = await openSettingsStore(directory, { now });
    store.getProfile().displayName = 'Чужой';
    expect(store.getProfile().displayName).toBe('');
  });

  it('recovers from a file that is not JSON: defaults, with the old file kept aside', async () => {
    await writeFile(join(directory, SETTINGS_FILE_NAME), '{"version": 1, "settings": ');
    const recovered: Array<string | null> = [];
    const store = await openSettingsStore(directory, { now, onRecovered: (backup) => recovered.push(backup) });

    expect(store.getSettings()).toEqual({ locale: 'ru' });
    const files = await readdir(directory);
    const backup = files.find((name) => name.startsWith(`${SETTINGS_FILE_NAME}.damaged-`));
    expect(backup).toBeDefined();
    expect(recovered).toEqual([join(directory, backup!)]);
    expect(await readFile(join(directory, backup!), 'utf8')).toBe('{"version": 1, "settings": ');
    expect(await readStoredFile()).toMatchObject({ version: 1, settings: { locale: 'ru' } });
  });

  it('keeps the valid parts of a hand-edited file and drops the rest', async () => {
    const good = { id: newId(), name: 'Хорошая', location: { kind: 'file', path: '/a.stratboard' }, openedAt: '2025-01-01T00:00:00.000Z' };
    await writeFile(
      join(directory, SETTINGS_FILE_NAME),
      JSON.stringify({
        version: 1,
        settings: { locale: 'de' },
        profile: { displayName: 'Анна', color: '#2f9e44' },
        recent: [good, { id: '../../etc', name: 'x', location: { kind: 'file', path: '/b' }, openedAt: 'yesterday' }, 42],
      }),
    );
    const store = await openSettingsStore(directory, { now });
    expect(store.getSettings()).toEqual({ locale: 'ru' });
    expect(store.getProfile()).toMatchObject({ displayName: 'Анна', color: '#2f9e44' });
    expect(store.listRecent()).toEqual([good]);
    expect((await readdir(directory)).some((name) => name.includes('.damaged-'))).toBe(true);
  });

  it.each([['null'], ['[]'], ['"text"'], ['{"version": 2}']])('falls back to defaults for %s', async (content) => {
    await writeFile(join(directory, SETTINGS_FILE_NAME), content);
    const store = await openSettingsStore(directory, { now });
    expect(store.getSettings()).toEqual({ locale: 'ru' });
    expect(store.listRecent()).toEqual([]);
  });
});
