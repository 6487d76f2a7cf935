export * from './model';
export * from './labels';
export { boardSvg, boardPng } from './picture';
export { renderSummaryDocx, type SummaryFonts } from './docx';
export { renderSummaryPdf } from './pdf';
