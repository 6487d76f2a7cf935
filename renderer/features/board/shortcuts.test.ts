import { describe, expect, it } from 'vitest';
import { shortcutFor, shortcutHelp, type KeyPress } from './shortcuts';

const press = (code: string, mods: Partial<KeyPress> = {}): KeyPress => ({
  code,
  ctrlKey: false,
  metaKey: false,
  shiftKey: false,
  altKey: false,
  ...mods,
});

describe('board shortcuts', () => {
  it('follow the physical key, so the Russian layout gives the same actions', () => {
    // In the Russian layout these keys type «т», «е», «а», «я»; the codes stay KeyN, KeyT, KeyF, KeyZ.
    expect(shortcutFor(press('KeyN'))).toBe('addSticky');
    expect(shortcutFor(press('KeyT'))).toBe('addText');
    expect(shortcutFor(press('KeyF'))).toBe('addFrame');
    expect(shortcutFor(press('KeyZ', { ctrlKey: true }))).toBe('undo');
    expect(shortcutFor(press('KeyZ', { ctrlKey: true, shiftKey: true }))).toBe('redo');
    expect(shortcutFor(press('KeyZ', { metaKey: true }))).toBe('undo');
  });

  it('maps the Miro editing keys', () => {
    expect(shortcutFor(press('KeyA', { ctrlKey: true }))).toBe('selectAll');
    expect(shortcutFor(press('KeyD', { ctrlKey: true }))).toBe('duplicate');
    expect(shortcutFor(press('KeyC', { ctrlKey: true }))).toBe('copy');
    expect(shortcutFor(press('KeyV', { ctrlKey: true }))).toBe('paste');
    expect(shortcutFor(press('KeyF', { ctrlKey: true }))).toBe('search');
    expect(shortcutFor(press('Delete'))).toBe('delete');
    expect(shortcutFor(press('Backspace'))).toBe('delete');
    expect(shortcutFor(press('ArrowLeft', { shiftKey: true }))).toBe('nudgeLeft');
    expect(shortcutFor(press('Slash', { shiftKey: true }))).toBe('help');
  });

  it('leaves other keys and Alt combinations to the browser', () => {
    expect(shortcutFor(press('KeyQ'))).toBeNull();
    expect(shortcutFor(press('KeyN', { altKey: true }))).toBeNull();
    expect(shortcutFor(press('KeyP', { ctrlKey: true }))).toBeNull();
  });

  it('lists in the help panel only keys that do something', () => {
    const codes: Record<string, string> = { N: 'KeyN', T: 'KeyT', F: 'KeyF', Z: 'KeyZ', A: 'KeyA', D: 'KeyD', C: 'KeyC', V: 'KeyV', Delete: 'Delete', Esc: 'Escape', '←': 'ArrowLeft', '1': 'Digit1', '?': 'Slash' };
    for (const entry of shortcutHelp) {
      const keys = entry.keys.filter((key) => !['Ctrl', 'Shift'].includes(key) && !key.startsWith('mouse.') && key !== 'Enter');
      if (keys.length === 0) continue;
      const code = codes[keys[0]!];
      expect(code, entry.label).toBeDefined();
      const action = shortcutFor(press(code!, { ctrlKey: entry.keys.includes('Ctrl'), shiftKey: entry.keys.includes('Shift') || keys[0] === '?' }));
      expect(action, entry.label).not.toBeNull();
    }
  });
});
