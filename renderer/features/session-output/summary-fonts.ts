import type { SummaryFonts } from '../../../shared/export/session-summary';

// The summary embeds DejaVu Sans (Cyrillic). The fonts are inlined into a chunk that
// loads only on the first export: no fetch of file:// URLs in the desktop shell, no
// extra request for the CSP to allow in the browser.
let loading: Promise<SummaryFonts> | null = null;

function bytesOf(dataUrl: string): Uint8Array {
  const binary = atob(dataUrl.slice(dataUrl.indexOf(',') + 1));
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

export function loadSummaryFonts(): Promise<SummaryFonts> {
  loading ??= Promise.all([
    import('dejavu-fonts-ttf/ttf/DejaVuSans.ttf?inline'),
    import('dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf?inline'),
  ]).then(
    ([regular, bold]) => ({ regular: bytesOf(regular.default), bold: bytesOf(bold.default) }),
    (error: unknown) => {
      loading = null;
      throw error;
    },
  );
  return loading;
}
