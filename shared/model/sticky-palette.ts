import type { StickyColor } from './records';

// Sticky colours, one palette for the canvas and the exported board picture.

export const STICKY_FILL: Record<StickyColor, string> = {
  yellow: '#fff3bf',
  orange: '#ffe8cc',
  pink: '#ffdeeb',
  violet: '#e5dbff',
  blue: '#d0ebff',
  teal: '#c3fae8',
  green: '#d3f9d8',
  gray: '#e9ecef',
};

export const STICKY_EDGE: Record<StickyColor, string> = {
  yellow: '#fcc419',
  orange: '#ff922b',
  pink: '#f06595',
  violet: '#845ef7',
  blue: '#339af0',
  teal: '#20c997',
  green: '#51cf66',
  gray: '#adb5bd',
};
