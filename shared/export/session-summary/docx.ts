import {
  AlignmentType,
  BorderStyle,
  Document,
  Footer,
  HeadingLevel,
  ImageRun,
  Packer,
  PageNumber,
  PageOrientation,
  Paragraph,
  Table,
  TableCell,
  TableRow,
  TextRun,
  WidthType,
  type ParagraphChild,
} from 'docx';
import type { Locale } from '../../host';
import { formatDay, formatSpan, summaryLabels, type SummaryLabels } from './labels';
import type { SessionSummary } from './model';
import { boardPng, boardSvg } from './picture';

export interface SummaryFonts {
  /** DejaVu Sans (or another TTF with Cyrillic), regular and bold faces. */
  regular: Uint8Array;
  bold: Uint8Array;
}

const FONT = 'DejaVu Sans';
// A4 in twentieths of a point; 2 cm margins.
const A4 = { width: 11906, height: 16838 };
const MARGIN = 1134;
// The landscape page's usable area in pixels at 96 dpi (what ImageRun sizes are in).
const LANDSCAPE_PX = Math.floor(((A4.height - 2 * MARGIN) / 1440) * 96);
const LANDSCAPE_HEIGHT_PX = Math.floor(((A4.width - 2 * MARGIN) / 1440) * 96) - 60;

function text(value: string, options: { bold?: boolean; color?: string; size?: number } = {}): TextRun {
  return new TextRun({ text: value, ...options });
}

function cell(value: string, options: { bold?: boolean; width?: number; shade?: boolean } = {}): TableCell {
  return new TableCell({
    children: [new Paragraph({ children: [text(value, { bold: options.bold })] })],
    ...(options.width ? { width: { size: options.width, type: WidthType.PERCENTAGE } } : {}),
    ...(options.shade ? { shading: { fill: 'E9ECEF' } } : {}),
    margins: { top: 60, bottom: 60, left: 100, right: 100 },
  });
}

function table(headers: Array<{ label: string; width: number }>, rows: string[][]): Table {
  const border = { style: BorderStyle.SINGLE, size: 4, color: 'ADB5BD' };
  return new Table({
    width: { size: 100, type: WidthType.PERCENTAGE },
    borders: { top: border, bottom: border, left: border, right: border, insideHorizontal: border, insideVertical: border },
    rows: [
      new TableRow({ tableHeader: true, children: headers.map((h) => cell(h.label, { bold: true, width: h.width, shade: true })) }),
      ...rows.map((row) => new TableRow({ children: row.map((value, i) => cell(value, { width: headers[i]!.width })) })),
    ],
  });
}

function heading(value: string, level: (typeof HeadingLevel)[keyof typeof HeadingLevel] = HeadingLevel.HEADING_1): Paragraph {
  return new Paragraph({ heading: level, children: [text(value)], spacing: { before: 240, after: 120 }, keepNext: true });
}

function note(value: string): Paragraph {
  return new Paragraph({ children: [text(value, { color: '6C757D' })] });
}

function pageFooter(labels: SummaryLabels): Footer {
  const children: ParagraphChild[] = [
    text(labels.page.before, { color: '6C757D', size: 18 }),
    new TextRun({ children: [PageNumber.CURRENT], color: '6C757D', size: 18 }),
    text(labels.page.between, { color: '6C757D', size: 18 }),
    new TextRun({ children: [PageNumber.TOTAL_PAGES], color: '6C757D', size: 18 }),
  ];
  return new Footer({ children: [new Paragraph({ alignment: AlignmentType.CENTER, children })] });
}

function bodyOf(summary: SessionSummary, locale: Locale, labels: SummaryLabels): Array<Paragraph | Table> {
  const body: Array<Paragraph | Table> = [
    new Paragraph({ heading: HeadingLevel.TITLE, children: [text(labels.heading)] }),
    new Paragraph({ heading: HeadingLevel.HEADING_1, children: [text(summary.title)], spacing: { after: 120 } }),
    new Paragraph({ children: [text(`${labels.workspace}: `, { bold: true }), text(summary.workspaceName)] }),
    new Paragraph({ children: [text(`${labels.date}: `, { bold: true }), text(formatDay(summary.date, locale))] }),
  ];

  body.push(heading(`${labels.participants} (${summary.participants.length})`));
  body.push(summary.participants.length ? new Paragraph({ children: [text(summary.participants.join(', '))] }) : note(labels.noParticipants));

  body.push(heading(labels.agenda));
  if (summary.agenda.length === 0) body.push(note(labels.noAgenda));
  else {
    body.push(
      table(
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
      ),
    );
  }

  body.push(heading(labels.clusters));
  if (summary.clusters.length === 0) body.push(note(labels.noClusters));
  for (const cluster of summary.clusters) {
    body.push(
      new Paragraph({
        heading: HeadingLevel.HEADING_2,
        keepNext: true,
        spacing: { before: 200, after: 80 },
        children: [text(cluster.title ?? labels.outsideFrames), ...(cluster.votes > 0 ? [text(` — ${labels.votes(cluster.votes)}`, { color: '1971C2' })] : [])],
      }),
    );
    for (const sticky of cluster.stickies) {
      body.push(
        new Paragraph({
          bullet: { level: 0 },
          children: [
            text(sticky.text.replace(/\s*\n\s*/g, ' ')),
            ...(sticky.author ? [text(` (${labels.author}: ${sticky.author})`, { color: '6C757D' })] : []),
            ...(sticky.votes > 0 ? [text(` — ${labels.votes(sticky.votes)}`, { bold: true, color: '1971C2' })] : []),
          ],
        }),
      );
    }
  }

  body.push(heading(labels.voting));
  if (summary.rankings.length === 0) body.push(note(labels.noVoting));
  for (const ranking of summary.rankings) {
    if (summary.rankings.length > 1) body.push(heading(labels.round(ranking.title), HeadingLevel.HEADING_2));
    body.push(
      table(
        [
          { label: labels.place, width: 10 },
          { label: labels.idea, width: 50 },
          { label: labels.cluster, width: 28 },
          { label: labels.votesColumn, width: 12 },
        ],
        ranking.entries.map((entry) => [String(entry.place), entry.text.replace(/\s*\n\s*/g, ' '), entry.cluster ?? labels.outsideFrames, String(entry.votes)]),
      ),
    );
  }

  body.push(heading(labels.decisions));
  if (summary.decisions.length === 0) body.push(note(labels.noDecisions));
  for (const decision of summary.decisions) {
    body.push(
      new Paragraph({
        keepNext: true,
        spacing: { before: 160 },
        children: [
          text(`${decision.kind === 'problem' ? labels.problem : labels.project}: `, { bold: true, color: decision.kind === 'problem' ? 'C2255C' : '2F9E44' }),
          text(decision.title, { bold: true }),
          ...(decision.votes ? [text(` — ${labels.votes(decision.votes)}`, { color: '1971C2' })] : []),
        ],
      }),
    );
    for (const line of decision.description.split('\n').filter((l) => l.trim())) body.push(new Paragraph({ children: [text(line)] }));
    if (decision.authors.length) body.push(note(`${labels.fromAuthors}: ${decision.authors.join(', ')}`));
  }
  return body;
}

function pictureSection(summary: SessionSummary, labels: SummaryLabels): Paragraph[] {
  if (summary.picture.items.length === 0) return [heading(labels.picture), note(labels.noClusters)];
  const drawn = boardSvg(summary.picture, 1600, { problem: labels.problem, project: labels.project });
  // fit the landscape page's usable area, keeping the aspect ratio
  const scale = Math.min(LANDSCAPE_PX / drawn.width, LANDSCAPE_HEIGHT_PX / drawn.height);
  const size = { width: Math.round(drawn.width * scale), height: Math.round(drawn.height * scale) };
  const png = boardPng(summary.picture, Math.min(drawn.width, 1200), Math.max(1, Math.round((drawn.height * Math.min(drawn.width, 1200)) / drawn.width)));
  return [
    heading(labels.picture),
    new Paragraph({
      alignment: AlignmentType.CENTER,
      children: [
        new ImageRun({
          type: 'svg',
          data: new TextEncoder().encode(drawn.svg),
          fallback: { type: 'png', data: png },
          transformation: size,
          altText: { name: labels.picture, description: labels.pictureAlt, title: labels.picture },
        }),
      ],
    }),
  ];
}

/** The summary as a DOCX file: A4, page numbers, DejaVu Sans embedded, the board on a landscape page. */
export async function renderSummaryDocx(summary: SessionSummary, fonts: SummaryFonts, locale: Locale = 'ru'): Promise<Uint8Array> {
  const labels = summaryLabels[locale];
  const footer = pageFooter(labels);
  const document = new Document({
    creator: 'Stratboard',
    title: `${labels.heading}: ${summary.title}`,
    description: summary.workspaceName,
    fonts: [{ name: FONT, data: fonts.regular as never, bold: fonts.bold as never }],
    styles: {
      default: {
        document: { run: { font: FONT, size: 21 }, paragraph: { spacing: { after: 60, line: 288 } } },
        title: { run: { font: FONT, size: 36, bold: true, color: '212529' } },
        heading1: { run: { font: FONT, size: 28, bold: true, color: '1864AB' } },
        heading2: { run: { font: FONT, size: 24, bold: true, color: '212529' } },
      },
    },
    sections: [
      {
        properties: { page: { size: { ...A4, orientation: PageOrientation.PORTRAIT }, margin: { top: MARGIN, bottom: MARGIN, left: MARGIN, right: MARGIN } } },
        footers: { default: footer },
        children: bodyOf(summary, locale, labels),
      },
      {
        properties: {
          page: {
            size: { width: A4.width, height: A4.height, orientation: PageOrientation.LANDSCAPE },
            margin: { top: MARGIN, bottom: MARGIN, left: MARGIN, right: MARGIN },
          },
        },
        footers: { default: pageFooter(labels) },
        children: pictureSection(summary, labels),
      },
    ],
  });
  return new Uint8Array(await Packer.toArrayBuffer(document));
}

