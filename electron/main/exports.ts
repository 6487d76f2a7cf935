import { writeFile } from 'node:fs/promises';
import { HostError, type ExportFile, type ExportKind } from '../../shared/host';

/** Asks where to save an exported file; resolves null if the user cancels. */
export type ChooseExportPath = (suggestedName: string, kind: ExportKind) => Promise<string | null>;

/**
 * Saves an exported file (already validated by the IPC contract) where the user chose.
 * The extension is forced to the file's kind, so a PDF never lands as «итоги.txt».
 */
export async function saveExportFile(
  file: ExportFile,
  choosePath: ChooseExportPath,
  write: (path: string, bytes: Uint8Array) => Promise<void> = (path, bytes) => writeFile(path, bytes),
): Promise<boolean> {
  const chosen = await choosePath(file.name, file.kind);
  if (!chosen) return false;
  const path = chosen.toLowerCase().endsWith(`.${file.kind}`) ? chosen : `${chosen}.${file.kind}`;
  try {
    await write(path, file.bytes);
  } catch (error) {
    throw new HostError('io', `Writing ${path} failed: ${String(error)}`);
  }
  return true;
}
