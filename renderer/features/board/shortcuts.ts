// Board shortcuts keyed by `event.code` (the physical key), so N, T, F, Ctrl+Z… work the
// same in the Russian layout, where `event.key` would be «т», «е», «а», «я».

export type ShortcutAction =
  | 'addSticky'
  | 'addText'
  | 'addFrame'
  | 'delete'
  | 'undo'
  | 'redo'
  | 'selectAll'
  | 'duplicate'
  | 'copy'
  | 'cut'
  | 'paste'
  | 'nudgeLeft'
  | 'nudgeRight'
  | 'nudgeUp'
  | 'nudgeDown'
  | 'search'
  | 'fit'
  | 'help'
  | 'deselect';

export interface KeyPress {
  code: string;
  ctrlKey: boolean;
  metaKey: boolean;
  shiftKey: boolean;
  altKey: boolean;
}

/** The board action for a key press, or null when the board should leave it alone. */
export function shortcutFor(press: KeyPress): ShortcutAction | null {
  const mod = press.ctrlKey || press.metaKey;
  if (press.altKey) return null;
  if (mod) {
    switch (press.code) {
      case 'KeyZ':
        return press.shiftKey ? 'redo' : 'undo';
      case 'KeyY':
        return 'redo';
      case 'KeyA':
        return 'selectAll';
      case 'KeyD':
        return 'duplicate';
      case 'KeyC':
        return 'copy';
      case 'KeyX':
        return 'cut';
      case 'KeyV':
        return 'paste';
      case 'KeyF':
        return 'search';
      default:
        return null;
    }
  }
  switch (press.code) {
    case 'KeyN':
      return press.shiftKey ? null : 'addSticky';
    case 'KeyT':
      return press.shiftKey ? null : 'addText';
    case 'KeyF':
      return press.shiftKey ? null : 'addFrame';
    case 'Digit1':
      return press.shiftKey ? 'fit' : null;
    case 'Slash':
      return press.shiftKey ? 'help' : null;
    case 'Delete':
    case 'Backspace':
      return 'delete';
    case 'ArrowLeft':
      return 'nudgeLeft';
    case 'ArrowRight':
      return 'nudgeRight';
    case 'ArrowUp':
      return 'nudgeUp';
    case 'ArrowDown':
      return 'nudgeDown';
    case 'Escape':
      return 'deselect';
    default:
      return null;
  }
}

/** What the help panel lists, in order, with the keys shown to the user. */
export const shortcutHelp: { group: 'create' | 'edit' | 'view'; keys: string[]; label: string }[] = [
  { group: 'create', keys: ['N'], label: 'sticky' },
  { group: 'create', keys: ['T'], label: 'text' },
  { group: 'create', keys: ['F'], label: 'frame' },
  { group: 'create', keys: ['mouse.doubleClick'], label: 'editText' },
  { group: 'create', keys: ['Ctrl', 'Enter'], label: 'finishText' },
  { group: 'edit', keys: ['Delete'], label: 'delete' },
  { group: 'edit', keys: ['Ctrl', 'Z'], label: 'undo' },
  { group: 'edit', keys: ['Ctrl', 'Shift', 'Z'], label: 'redo' },
  { group: 'edit', keys: ['Ctrl', 'A'], label: 'selectAll' },
  { group: 'edit', keys: ['Ctrl', 'D'], label: 'duplicate' },
  { group: 'edit', keys: ['Ctrl', 'C'], label: 'copy' },
  { group: 'edit', keys: ['Ctrl', 'V'], label: 'paste' },
  { group: 'edit', keys: ['←', '↑', '→', '↓'], label: 'nudge' },
  { group: 'edit', keys: ['Shift', '←'], label: 'nudgeMore' },
  { group: 'edit', keys: ['mouse.shiftClick'], label: 'multiSelect' },
  { group: 'edit', keys: ['mouse.drag'], label: 'boxSelect' },
  { group: 'edit', keys: ['Esc'], label: 'deselect' },
  { group: 'view', keys: ['mouse.pan'], label: 'pan' },
  { group: 'view', keys: ['Ctrl', 'F'], label: 'search' },
  { group: 'view', keys: ['Shift', '1'], label: 'fit' },
  { group: 'view', keys: ['?'], label: 'help' },
];
