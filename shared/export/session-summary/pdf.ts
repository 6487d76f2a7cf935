import fontkit from '@pdf-lib/fontkit';
import { LineCapStyle, PDFDocument, rgb, type PDFFont, type PDFPage, type RGB } from 'pdf-lib';
import type { Locale } from '../../host';
import type { SummaryFonts } from './docx';
import { formatDay, formatSpan, summaryLabels, type SummaryLabels } from './labels';
import type { PictureItem, SessionSummary } from './model';
import { ARROW_LABEL_SIZE, arrowLabelBox, clipLines, itemText, PICTURE_EDGE, PICTURE_FILL, PICTURE_INK, textStyleOf, wrapText } from './picture';

// The summary as a PDF laid out by hand on A4 (pdf-lib has no layout engine): a cursor
// walks down the page and breaks to a new one when the next block doesn't fit. The
// board is drawn as vector shapes on a landscape page.

const A4: [number, number] = [595.28, 841.89];
const MARGIN = 56;
const FOOTER = 28;

function color(hex: string): RGB {
  const value = Number.parseInt(hex.slice(1), 16);
  return rgb(((value >> 16) & 255) / 255, ((value >> 8) & 255) / 255, (value & 255) / 255);
}

const INK = color('#212529');
const MUTED = color('#6c757d');
const ACCENT = color('#1864ab');
const VOTES = color('#1971c2');
const RULE = color('#adb5bd');
const HEADER_FILL = color('#e9ecef');

interface Fonts {
  regular: PDFFont;
  bold: PDFFont;
}

interface Run {
  text: string;
  bold?: boolean;
  color?: RGB;
}

class Writer {
  page!: PDFPage;
  y = 0;

  constructor(
    private readonly pdf: PDFDocument,
    readonly fonts: Fonts,
  ) {
    this.newPage();
  }

  get width(): number {
    return A4[0] - 2 * MARGIN;
  }

  newPage(): void {
    this.page = this.pdf.addPage(A4);
    this.y = A4[1] - MARGIN;
  }

  ensure(height: number): void {
    if (this.y - height < MARGIN + FOOTER) this.newPage();
  }

  gap(points: number): void {
    this.y -= points;
  }

  /** Runs flowing as one paragraph, wrapped at word boundaries. */
  paragraph(runs: Run[], size = 10.5, indent = 0, bullet?: string): void {
    const lineHeight = size * 1.4;
    const words = runs.flatMap((run) =>
      run.text
        .split(/(\s+)/)
        .filter((piece) => piece.length > 0)
        .map((piece) => ({ ...run, text: piece.replace(/\s+/g, ' ') })),
    );
    const maxWidth = this.width - indent;
    const lines: Run[][] = [[]];
    let lineWidth = 0;
    for (const word of words) {
      const font = word.bold ? this.fonts.bold : this.fonts.regular;
      const wordWidth = font.widthOfTextAtSize(word.text, size);
      if (lineWidth + wordWidth > maxWidth && lines.at(-1)!.length > 0 && word.text !== ' ') {
        lines.push([]);
        lineWidth = 0;
      }
      if (lines.at(-1)!.length === 0 && word.text === ' ') continue;
      // a single word wider than the line is cut into pieces that fit
      let rest = word.text;
      while (font.widthOfTextAtSize(rest, size) > maxWidth) {
        let cut = rest.length - 1;
        while (cut > 1 && font.widthOfTextAtSize(rest.slice(0, cut), size) > maxWidth) cut--;
        lines.at(-1)!.push({ ...word, text: rest.slice(0, cut) });
        lines.push([]);
        rest = rest.slice(cut);
      }
      lines.at(-1)!.push({ ...word, text: rest });
      lineWidth += font.widthOfTextAtSize(rest, size);
    }
    lines.forEach((line, i) => {
      this.ensure(lineHeight);
      this.y -= size;
      if (bullet && i === 0) this.page.drawText(bullet, { x: MARGIN + indent - 12, y: this.y, size, font: this.fonts.regular, color: MUTED });
      let x = MARGIN + indent;
      for (const run of line) {
        const font = run.bold ? this.fonts.bold : this.fonts.regular;
        this.page.drawText(run.text, { x, y: this.y, size, font, color: run.color ?? INK });
        x += font.widthOfTextAtSize(run.text, size);
      }
      this.y -= lineHeight - size;
    });
  }

  heading(value: string, size = 15, colour = ACCENT): void {
    this.ensure(size * 4);
    this.gap(size * 0.8);
    this.paragraph([{ text: value, bold: true, color: colour }], size);
    this.gap(size * 0.3);
  }

  /** A table with a header row repeated on each page it spans. */
  table(headers: Array<{ label: string; width: number }>, rows: string[][], size = 9.5): void {
    const widths = headers.map((h) => (h.width / 100) * this.width);
    const pad = 4;
    const lineHeight = size * 1.3;
    const layout = (cells: string[], font: PDFFont) =>
      cells.map((value, i) => wrapText(value, widths[i]! - 2 * pad, (line) => font.widthOfTextAtSize(line, size)));
    const drawRow = (lines: string[][], font: PDFFont, fill?: RGB) => {
      const height = Math.max(...lines.map((l) => l.length)) * lineHeight + 2 * pad;
      let x = MARGIN;
      lines.forEach((cellLines, i) => {
        this.page.drawRectangle({ x, y: this.y - height, width: widths[i]!, height, borderColor: RULE, borderWidth: 0.5, ...(fill ? { color: fill } : {}) });
        cellLines.forEach((line, j) => {
          this.page.drawText(line, { x: x + pad, y: this.y - pad - size - j * lineHeight + 1, size, font, color: INK });
        });
        x += widths[i]!;
      });
      this.y -= height;
    };
    const headerLines = layout(
      headers.map((h) => h.label),
      this.fonts.bold,
    );
    const headerHeight = Math.max(...headerLines.map((l) => l.length)) * lineHeight + 2 * pad;
    this.ensure(headerHeight + lineHeight + 2 * pad);
    drawRow(headerLines, this.fonts.bold, HEADER_FILL);
    for (const row of rows) {
      const lines = layout(row, this.fonts.regular);
      const height = Math.max(...lines.map((l) => l.length)) * lineHeight + 2 * pad;
      if (this.y - height < MARGIN + FOOTER) {
        this.newPage();
        drawRow(headerLines, this.fonts.bold, HEADER_FILL);
      }
      drawRow(lines, this.fonts.regular);
    }
    this.gap(6);
  }
}

function writeBody(w: Writer, summary: SessionSummary, locale: Locale, labels: SummaryLabels): void {
  w.paragraph([{ text: labels.heading, color: MUTED }], 12);
  w.gap(4);
  w.paragraph([{ text: summary.title, bold: true }], 22);
  w.gap(8);
  w.paragraph([{ text: `${labels.workspace}: `, bold: true }, { text: summary.workspaceName }]);
  w.paragraph([{ text: `${labels.date}: `, bold: true }, { text: formatDay(summary.date, locale) }]);

  w.heading(`${labels.participants} (${summary.participants.length})`);
  w.paragraph([{ text: summary.participants.length ? summary.participants.join(', ') : labels.noParticipants }]);

  w.heading(labels.agenda);
  if (summary.agenda.length === 0) w.paragraph([{ text: labels.noAgenda, color: MUTED }]);
  else {
    w.table(
      [
        { label: labels.stage, width: 46 },
        { label: labels.planned, width: 14 },
        { label: labels.actual, width: 14 },
        { label: labels.started, width: 26 },
      ],
      summary.agenda.map((stage) => [
        stage.title,
        labels.minutes(stage.plannedMinutes),
        stage.actualMinutes !== null ? labels.minutes(stage.actualMinutes) : stage.startedAt ? '…' : labels.notStarted,
        formatSpan(stage.startedAt, stage.endedAt, locale),
      ]),
    );
  }

  w.heading(labels.clusters);
  if (summary.clusters.length === 0) w.paragraph([{ text: labels.noClusters, color: MUTED }]);
  for (const cluster of summary.clusters) {
    w.ensure(40);
    w.gap(6);
    w.paragraph(
      [
        { text: cluster.title ?? labels.outsideFrames, bold: true },
        ...(cluster.votes > 0 ? [{ text: ` — ${labels.votes(cluster.votes)}`, color: VOTES }] : []),
      ],
      12,
    );
    w.gap(2);
    for (const sticky of cluster.stickies) {
      w.paragraph(
        [
          { text: sticky.text.replace(/\s*\n\s*/g, ' ') },
          ...(sticky.author ? [{ text: ` (${labels.author}: ${sticky.author})`, color: MUTED }] : []),
          ...(sticky.votes > 0 ? [{ text: ` — ${labels.votes(sticky.votes)}`, bold: true, color: VOTES }] : []),
        ],
        10.5,
        16,
        '•',
      );
    }
  }

  w.heading(labels.voting);
  if (summary.rankings.length === 0) w.paragraph([{ text: labels.noVoting, color: MUTED }]);
  for (const ranking of summary.rankings) {
    if (summary.rankings.length > 1) w.heading(labels.round(ranking.title), 12, INK);
    w.table(
      [
        { label: labels.place, width: 10 },
        { label: labels.idea, width: 50 },
        { label: labels.cluster, width: 28 },
        { label: labels.votesColumn, width: 12 },
      ],
      ranking.entries.map((entry) => [String(entry.place), entry.text.replace(/\s*\n\s*/g, ' '), entry.cluster ?? labels.outsideFrames, String(entry.votes)]),
    );
  }

  w.heading(labels.decisions);
  if (summary.decisions.length === 0) w.paragraph([{ text: labels.noDecisions, color: MUTED }]);
  for (const decision of summary.decisions) {
    w.ensure(40);
    w.gap(6);
    w.paragraph([
      { text: `${decision.kind === 'problem' ? labels.problem : labels.project}: `, bold: true, color: color(decision.kind === 'problem' ? '#c2255c' : '#2f9e44') },
      { text: decision.title, bold: true },
      ...(decision.votes ? [{ text: ` — ${labels.votes(decision.votes)}`, color: VOTES }] : []),
    ]);
    for (const line of decision.description.split('\n').filter((l) => l.trim())) w.paragraph([{ text: line }], 10, 12);
    if (decision.authors.length) w.paragraph([{ text: `${labels.fromAuthors}: ${decision.authors.join(', ')}`, color: MUTED }], 9.5, 12);
  }
}

/** The board on a landscape page: frames, arrows, then stickies, cards and text with vote badges. */
function drawBoard(pdf: PDFDocument, fonts: Fonts, summary: SessionSummary, labels: SummaryLabels): void {
  const page = pdf.addPage([A4[1], A4[0]]);
  const [pageWidth, pageHeight] = [A4[1], A4[0]];
  page.drawText(labels.picture, { x: MARGIN, y: pageHeight - MARGIN, size: 15, font: fonts.bold, color: ACCENT });
  const picture = summary.picture;
  if (picture.items.length === 0) {
    page.drawText(labels.noClusters, { x: MARGIN, y: pageHeight - MARGIN - 24, size: 10.5, font: fonts.regular, color: MUTED });
    return;
  }
  const area = { x: MARGIN, y: MARGIN + FOOTER, width: pageWidth - 2 * MARGIN, height: pageHeight - 2 * MARGIN - FOOTER - 16 };
  const scale = Math.min(area.width / picture.width, area.height / picture.height);
  const offsetX = area.x + (area.width - picture.width * scale) / 2;
  const top = area.y + area.height;
  // board y grows downwards, PDF y upwards
  const at = (x: number, y: number) => ({ x: offsetX + x * scale, y: top - y * scale });

  const drawItemText = (item: PictureItem) => {
    const style = textStyleOf(item);
    const size = style.size * scale;
    if (size < 2.5) return;
    const font = style.bold ? fonts.bold : fonts.regular;
    const lineHeight = size * 1.25;
    const maxLines = item.kind === 'frame' ? 1 : Math.floor((item.height - 2 * style.padding) / (style.size * 1.25));
    const lines = clipLines(
      wrapText(itemText(item, { problem: labels.problem, project: labels.project }), (item.width - 2 * style.padding) * scale, (line) =>
        font.widthOfTextAtSize(line, size),
      ),
      maxLines,
    );
    const origin = at(item.x + style.padding, item.y + style.padding);
    lines.forEach((line, i) => page.drawText(line, { x: origin.x, y: origin.y - size - i * lineHeight, size, font, color: color(PICTURE_INK) }));
  };

  for (const item of picture.items.filter((i) => i.kind === 'frame')) {
    const corner = at(item.x, item.y + item.height);
    page.drawRectangle({
      ...corner,
      width: item.width * scale,
      height: item.height * scale,
      color: color(PICTURE_FILL[item.color]),
      opacity: 0.45,
      borderColor: color(PICTURE_EDGE[item.color]),
      borderWidth: 1.2,
    });
    drawItemText(item);
  }
  for (const arrow of picture.arrows) {
    const from = at(arrow.from.x, arrow.from.y);
    const to = at(arrow.to.x, arrow.to.y);
    const ink = color('#495057');
    page.drawLine({ start: from, end: to, thickness: 1.2, color: ink, lineCap: LineCapStyle.Round });
    const angle = Math.atan2(to.y - from.y, to.x - from.x);
    const head = 7;
    for (const side of [-0.45, 0.45]) {
      page.drawLine({
        start: to,
        end: { x: to.x - head * Math.cos(angle + side), y: to.y - head * Math.sin(angle + side) },
        thickness: 1.2,
        color: ink,
        lineCap: LineCapStyle.Round,
      });
    }
  }
  // labels after all arrows, so no line crosses a tag
  for (const arrow of picture.arrows) {
    const label = arrow.label?.trim();
    if (!label) continue;
    const box = arrowLabelBox(arrow, fonts.regular.widthOfTextAtSize(label, ARROW_LABEL_SIZE));
    const size = ARROW_LABEL_SIZE * scale;
    const corner = at(box.x, box.y + box.height);
    page.drawRectangle({ ...corner, width: box.width * scale, height: box.height * scale, color: rgb(1, 1, 1), opacity: 0.85 });
    const baseline = at(box.x + box.padding, box.y + box.padding / 2 + ARROW_LABEL_SIZE);
    page.drawText(label, { ...baseline, size, font: fonts.regular, color: color(PICTURE_INK) });
  }
  for (const item of picture.items.filter((i) => i.kind !== 'frame')) {
    if (item.kind !== 'text') {
      const corner = at(item.x, item.y + item.height);
      page.drawRectangle({
        ...corner,
        width: item.width * scale,
        height: item.height * scale,
        color: item.kind === 'reference' ? rgb(1, 1, 1) : color(PICTURE_FILL[item.color]),
        borderColor: color(PICTURE_EDGE[item.color]),
        borderWidth: item.kind === 'reference' ? 1.5 : 0.6,
      });
    }
    drawItemText(item);
    if (item.votes > 0) {
      const centre = at(item.x + item.width, item.y);
      const radius = Math.max(6, 20 * scale);
      const size = radius * 1.1;
      const label = String(item.votes);
      page.drawCircle({ ...centre, size: radius, color: VOTES });
      page.drawText(label, {
        x: centre.x - fonts.bold.widthOfTextAtSize(label, size) / 2,
        y: centre.y - size * 0.36,
        size,
        font: fonts.bold,
        color: rgb(1, 1, 1),
      });
    }
  }
}

/** The summary as a PDF: A4, DejaVu Sans subset embedded, page numbers, the board drawn as shapes. */
export async function renderSummaryPdf(summary: SessionSummary, fontBytes: SummaryFonts, locale: Locale = 'ru'): Promise<Uint8Array> {
  const labels = summaryLabels[locale];
  const pdf = await PDFDocument.create();
  pdf.registerFontkit(fontkit);
  const fonts = {
    regular: await pdf.embedFont(fontBytes.regular, { subset: true }),
    bold: await pdf.embedFont(fontBytes.bold, { subset: true }),
  };
  pdf.setTitle(`${labels.heading}: ${summary.title}`);
  pdf.setSubject(summary.workspaceName);
  pdf.setCreator('Stratboard');
  pdf.setProducer('Stratboard');
  pdf.setLanguage(locale === 'ru' ? 'ru-RU' : 'en-GB');
  pdf.setCreationDate(summary.generatedAt);
  pdf.setModificationDate(summary.generatedAt);

  const writer = new Writer(pdf, fonts);
  writeBody(writer, summary, locale, labels);
  drawBoard(pdf, fonts, summary, labels);

  const pages = pdf.getPages();
  pages.forEach((page, i) => {
    const label = `${labels.page.before}${i + 1}${labels.page.between}${pages.length}`;
    const size = 8.5;
    const { width } = page.getSize();
    page.drawText(label, { x: (width - fonts.regular.widthOfTextAtSize(label, size)) / 2, y: MARGIN / 2, size, font: fonts.regular, color: MUTED });
  });
  return pdf.save();
}
