import { zlibSync } from 'fflate';
import { STICKY_EDGE, STICKY_FILL } from '../../model/sticky-palette';
import type { BoardPicture, PictureItem } from './model';

// The board as a picture: the same colours as the canvas, drawn as SVG (DOCX) or as
// vector shapes (PDF, in pdf.ts). A PNG of the shapes without text is the DOCX's
// fallback for word processors that can't show SVG.

export const PICTURE_FILL = STICKY_FILL;
export const PICTURE_EDGE = STICKY_EDGE;

export const PICTURE_INK = '#212529';
export const FRAME_TITLE_SIZE = 28;
/** A connector's label, in board units. */
export const ARROW_LABEL_SIZE = 15;
const ARROW_LABEL_PADDING = 4;
const ARROW_LABEL_GAP = 4;

/**
 * The tag of a connector's label (board units; `textWidth` at ARROW_LABEL_SIZE): beside the
 * arrow's middle, above a mostly horizontal arrow and right of a mostly vertical one. Arrows
 * between frames are short (120 units in the templates), so a tag on the line would hide it.
 */
export function arrowLabelBox(arrow: BoardPicture['arrows'][number], textWidth: number): { x: number; y: number; width: number; height: number; padding: number } {
  const middle = { x: (arrow.from.x + arrow.to.x) / 2, y: (arrow.from.y + arrow.to.y) / 2 };
  const width = textWidth + 2 * ARROW_LABEL_PADDING;
  const height = ARROW_LABEL_SIZE * 1.25 + ARROW_LABEL_PADDING;
  const horizontal = Math.abs(arrow.to.x - arrow.from.x) >= Math.abs(arrow.to.y - arrow.from.y);
  return horizontal
    ? { x: middle.x - width / 2, y: middle.y - ARROW_LABEL_GAP - height, width, height, padding: ARROW_LABEL_PADDING }
    : { x: middle.x + ARROW_LABEL_GAP, y: middle.y - height / 2, width, height, padding: ARROW_LABEL_PADDING };
}

/** Splits text into lines no wider than `maxWidth` by `measure`; words longer than a line are cut. */
export function wrapText(text: string, maxWidth: number, measure: (line: string) => number): string[] {
  const lines: string[] = [];
  for (const paragraph of text.split('\n')) {
    let line = '';
    for (const word of paragraph.split(/\s+/).filter(Boolean)) {
      const candidate = line ? `${line} ${word}` : word;
      if (measure(candidate) <= maxWidth) {
        line = candidate;
        continue;
      }
      if (line) lines.push(line);
      let rest = word;
      while (measure(rest) > maxWidth && rest.length > 1) {
        let cut = rest.length - 1;
        while (cut > 1 && measure(rest.slice(0, cut)) > maxWidth) cut--;
        lines.push(rest.slice(0, cut));
        rest = rest.slice(cut);
      }
      line = rest;
    }
    lines.push(line);
  }
  while (lines.length > 1 && lines.at(-1) === '') lines.pop();
  return lines;
}

/** Keeps the lines that fit `maxLines`, ending the last kept one with an ellipsis when cut. */
export function clipLines(lines: string[], maxLines: number): string[] {
  if (lines.length <= maxLines) return lines;
  const kept = lines.slice(0, Math.max(0, maxLines));
  if (kept.length > 0) kept[kept.length - 1] = `${kept[kept.length - 1]!.replace(/.$/, '')}…`;
  return kept;
}

/** Font size and padding of an item's text, in board units. */
export function textStyleOf(item: PictureItem): { size: number; padding: number; bold: boolean } {
  switch (item.kind) {
    case 'frame':
      return { size: FRAME_TITLE_SIZE, padding: 16, bold: true };
    case 'text':
      return { size: 20, padding: 4, bold: false };
    case 'reference':
      return { size: 18, padding: 14, bold: true };
    default:
      return { size: 17, padding: 12, bold: false };
  }
}

// DejaVu Sans advances are ~0.55–0.65 em for Cyrillic; SVG has no wrapping of its own.
const estimate = (size: number) => (line: string) => line.length * size * 0.6;

function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);
}

/** The words a reference card's text starts with, e.g. «Проект: Парк у реки». */
export type RefCaptions = Record<'problem' | 'project', string>;

/** The text drawn on an item: a reference card names what it points at. */
export function itemText(item: PictureItem, captions?: RefCaptions): string {
  return item.kind === 'reference' && item.refKind && captions ? `${captions[item.refKind]}: ${item.text}` : item.text;
}

/** The board as an SVG document, `width` pixels wide. */
export function boardSvg(picture: BoardPicture, width = 1600, captions?: RefCaptions): { svg: string; width: number; height: number } {
  const margin = 20;
  const scale = picture.width > 0 ? (width - 2 * margin) / picture.width : 1;
  const height = Math.max(1, Math.round(picture.height * scale + 2 * margin));
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="DejaVu Sans, Arial, sans-serif">`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" markerHeight="8" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#495057"/></marker></defs>`,
    `<g transform="translate(${margin} ${margin}) scale(${scale.toFixed(5)})">`,
  ];
  const frames = picture.items.filter((item) => item.kind === 'frame');
  for (const frame of frames) parts.push(shapeSvg(frame, captions));
  for (const arrow of picture.arrows) {
    parts.push(
      `<line x1="${arrow.from.x}" y1="${arrow.from.y}" x2="${arrow.to.x}" y2="${arrow.to.y}" stroke="#495057" stroke-width="4" marker-end="url(#arrow)"/>`,
    );
  }
  for (const arrow of picture.arrows) if (arrow.label?.trim()) parts.push(arrowLabelSvg(arrow, arrow.label.trim()));
  for (const item of picture.items) if (item.kind !== 'frame') parts.push(shapeSvg(item, captions));
  parts.push('</g></svg>');
  return { svg: parts.join('\n'), width, height };
}

function shapeSvg(item: PictureItem, captions?: RefCaptions): string {
  const style = textStyleOf(item);
  const out: string[] = [];
  if (item.kind === 'frame') {
    out.push(
      `<rect x="${item.x}" y="${item.y}" width="${item.width}" height="${item.height}" rx="12" fill="${PICTURE_FILL[item.color]}" fill-opacity="0.4" stroke="${PICTURE_EDGE[item.color]}" stroke-width="3"/>`,
    );
  } else if (item.kind === 'sticky' || item.kind === 'reference') {
    out.push(
      `<rect x="${item.x}" y="${item.y}" width="${item.width}" height="${item.height}" rx="6" fill="${item.kind === 'reference' ? '#ffffff' : PICTURE_FILL[item.color]}" stroke="${PICTURE_EDGE[item.color]}" stroke-width="${item.kind === 'reference' ? 4 : 2}"/>`,
    );
  }
  const lineHeight = style.size * 1.25;
  const available = item.kind === 'frame' ? 1 : Math.floor((item.height - 2 * style.padding) / lineHeight);
  const lines = clipLines(wrapText(itemText(item, captions), item.width - 2 * style.padding, estimate(style.size)), available);
  lines.forEach((line, i) => {
    out.push(
      `<text x="${item.x + style.padding}" y="${item.y + style.padding + style.size + i * lineHeight}" font-size="${style.size}"${style.bold ? ' font-weight="bold"' : ''} fill="${PICTURE_INK}">${escapeXml(line)}</text>`,
    );
  });
  if (item.votes > 0) out.push(voteBadgeSvg(item));
  return out.join('');
}

function arrowLabelSvg(arrow: BoardPicture['arrows'][number], label: string): string {
  const box = arrowLabelBox(arrow, estimate(ARROW_LABEL_SIZE)(label));
  return (
    `<rect x="${box.x}" y="${box.y}" width="${box.width}" height="${box.height}" rx="4" fill="#ffffff" fill-opacity="0.85"/>` +
    `<text x="${box.x + box.padding}" y="${box.y + box.padding / 2 + ARROW_LABEL_SIZE}" font-size="${ARROW_LABEL_SIZE}" fill="${PICTURE_INK}">${escapeXml(label)}</text>`
  );
}

function voteBadgeSvg(item: PictureItem): string {
  const cx = item.x + item.width - 4;
  const cy = item.y + 4;
  return `<circle cx="${cx}" cy="${cy}" r="20" fill="#1971c2"/><text x="${cx}" y="${cy + 7}" font-size="20" font-weight="bold" fill="#ffffff" text-anchor="middle">${item.votes}</text>`;
}

// ---- PNG fallback ----

function hexToRgb(hex: string): [number, number, number] {
  const value = Number.parseInt(hex.slice(1), 16);
  return [(value >> 16) & 255, (value >> 8) & 255, value & 255];
}

const crcTable = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of bytes) crc = crcTable[(crc ^ byte) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}

/** A palette PNG of the board's shapes (frames, stickies, cards, arrows' ends omitted), `width` pixels wide. */
export function boardPng(picture: BoardPicture, width: number, height: number): Uint8Array {
  const margin = 20;
  const scale = picture.width > 0 ? (width - 2 * margin) / picture.width : 1;
  const palette: string[] = ['#ffffff'];
  const colorIndex = (hex: string) => {
    const found = palette.indexOf(hex);
    if (found >= 0) return found;
    palette.push(hex);
    return palette.length - 1;
  };
  const rows = new Uint8Array((width + 1) * height);
  const fill = (x0: number, y0: number, x1: number, y1: number, index: number) => {
    const left = Math.max(0, Math.round(margin + x0 * scale));
    const right = Math.min(width, Math.round(margin + x1 * scale));
    const top = Math.max(0, Math.round(margin + y0 * scale));
    const bottom = Math.min(height, Math.round(margin + y1 * scale));
    for (let y = top; y < bottom; y++) rows.fill(index, y * (width + 1) + 1 + left, y * (width + 1) + 1 + right);
  };
  const border = Math.max(1, 2 / scale);
  for (const item of picture.items) {
    const edge = colorIndex(PICTURE_EDGE[item.color]);
    const inside = colorIndex(item.kind === 'reference' || item.kind === 'text' ? '#ffffff' : PICTURE_FILL[item.color]);
    if (item.kind === 'text') continue;
    fill(item.x, item.y, item.x + item.width, item.y + item.height, edge);
    fill(item.x + border, item.y + border, item.x + item.width - border, item.y + item.height - border, inside);
    if (item.kind === 'frame') fill(item.x + border, item.y + border, item.x + item.width - border, item.y + 56, edge);
  }
  const header = new Uint8Array(13);
  const view = new DataView(header.buffer);
  view.setUint32(0, width);
  view.setUint32(4, height);
  header.set([8, 3, 0, 0, 0], 8); // 8-bit palette, no interlace
  const plte = new Uint8Array(palette.length * 3);
  palette.forEach((hex, i) => plte.set(hexToRgb(hex), i * 3));
  const signature = new Uint8Array([137, 80, 78, 71, 13, 10, 26, 10]);
  const parts = [signature, chunk('IHDR', header), chunk('PLTE', plte), chunk('IDAT', zlibSync(rows, { level: 6 })), chunk('IEND', new Uint8Array())];
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}
