import { AppealImportError } from './errors';

export type FileFormat = 'csv' | 'xlsx';
export type TextEncodingName = 'utf-8' | 'windows-1251';

/** XLSX is a zip (PK\3\4); the old binary .xls is an OLE compound file we don't read. */
export function sniffFormat(bytes: Uint8Array): FileFormat {
  if (bytes.length === 0) throw new AppealImportError('empty-file');
  if (bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04) return 'xlsx';
  if (bytes[0] === 0xd0 && bytes[1] === 0xcf && bytes[2] === 0x11 && bytes[3] === 0xe0) throw new AppealImportError('old-excel-format');
  return 'csv';
}

/**
 * Text of a CSV file: UTF-8 (with or without BOM) when it decodes cleanly, else
 * Windows-1251 (the encoding of Russian Excel's "CSV (разделители — точка с запятой)").
 * A file with NUL bytes or mostly control characters is refused as binary.
 */
export function decodeText(bytes: Uint8Array): { text: string; encoding: TextEncodingName } {
  if (bytes.length === 0) throw new AppealImportError('empty-file');
  if (bytes[0] === 0xff && (bytes[1] === 0xfe || bytes[1] === 0xff)) {
    // UTF-16 exports: decode rather than refuse
    const text = new TextDecoder(bytes[1] === 0xfe ? 'utf-16le' : 'utf-16be').decode(bytes.subarray(2));
    return { text, encoding: 'utf-8' };
  }
  const sample = bytes.subarray(0, 8192);
  let control = 0;
  for (const byte of sample) {
    if (byte === 0) throw new AppealImportError('binary-file');
    if (byte < 32 && byte !== 9 && byte !== 10 && byte !== 13) control++;
  }
  if (control > sample.length * 0.05) throw new AppealImportError('binary-file');
  const body = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? bytes.subarray(3) : bytes;
  let text: string;
  let encoding: TextEncodingName = 'utf-8';
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch {
    text = new TextDecoder('windows-1251').decode(body);
    encoding = 'windows-1251';
  }
  if (text.trim() === '') throw new AppealImportError('empty-file');
  return { text, encoding };
}
