import { describe, expect, it } from 'vitest';
import { safeFileName } from './host';

describe('safeFileName', () => {
  it('keeps a Russian title readable and adds the extension once', () => {
    expect(safeFileName('Итоги — Доска 1', 'pdf')).toBe('Итоги — Доска 1.pdf');
    expect(safeFileName('Итоги — Доска 1.pdf', 'pdf')).toBe('Итоги — Доска 1.pdf');
  });

  it('leaves no path, reserved or control characters and no leading dot', () => {
    expect(safeFileName('../../etc/passwd', 'docx')).toBe('etc passwd.docx');
    expect(safeFileName('Итоги: «Парк»? <черновик> | v2\n', 'pdf')).toBe('Итоги «Парк» черновик v2.pdf');
    expect(safeFileName('..', 'pdf')).toBe('export.pdf');
    expect(safeFileName('я'.repeat(300), 'pdf')).toHaveLength(124);
  });
});
