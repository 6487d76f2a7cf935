import { join } from 'node:path';
import { app, BrowserWindow, dialog, webContents, type FileFilter, type OpenDialogOptions, type SaveDialogOptions } from 'electron';
import type { ExportKind, Locale } from '../../shared/host';
import type { ChooseExportPath } from './exports';
import type { ChooseOpenPath, ChooseSavePath, ViewerId } from './workspaces';

// Main-process strings are only these dialog titles, so a table beats pulling i18next in.
const dialogText: Record<Locale, { create: string; open: string; filter: string; export: string; kinds: Record<ExportKind, string> }> = {
  ru: {
    create: 'Новое рабочее пространство',
    open: 'Открыть рабочее пространство',
    filter: 'Стратборд',
    export: 'Сохранить итоги',
    kinds: { docx: 'Документ Word', pdf: 'Документ PDF' },
  },
  en: {
    create: 'New workspace',
    open: 'Open workspace',
    filter: 'Stratboard',
    export: 'Save the summary',
    kinds: { docx: 'Word document', pdf: 'PDF document' },
  },
};

export function workspaceDialogs(locale: () => Locale): {
  chooseSavePath(caller: ViewerId): ChooseSavePath;
  chooseOpenPath(caller: ViewerId): ChooseOpenPath;
  chooseExportPath(caller: ViewerId): ChooseExportPath;
} {
  const filters = (): FileFilter[] => [{ name: dialogText[locale()].filter, extensions: ['stratboard'] }];
  return {
    chooseSavePath: (caller) => async (suggestedFileName) => {
      const options: SaveDialogOptions = {
        title: dialogText[locale()].create,
        defaultPath: join(app.getPath('documents'), suggestedFileName),
        filters: filters(),
        properties: ['createDirectory', 'showOverwriteConfirmation'],
      };
      const parent = windowOf(caller);
      const result = parent ? await dialog.showSaveDialog(parent, options) : await dialog.showSaveDialog(options);
      return result.canceled || !result.filePath ? null : result.filePath;
    },
    chooseOpenPath: (caller) => async () => {
      const options: OpenDialogOptions = {
        title: dialogText[locale()].open,
        filters: filters(),
        properties: ['openFile'],
      };
      const parent = windowOf(caller);
      const result = parent ? await dialog.showOpenDialog(parent, options) : await dialog.showOpenDialog(options);
      return result.canceled ? null : (result.filePaths[0] ?? null);
    },
    chooseExportPath: (caller) => async (suggestedName, kind) => {
      const options: SaveDialogOptions = {
        title: dialogText[locale()].export,
        defaultPath: join(app.getPath('documents'), suggestedName),
        filters: [{ name: dialogText[locale()].kinds[kind], extensions: [kind] }],
        properties: ['createDirectory', 'showOverwriteConfirmation'],
      };
      const parent = windowOf(caller);
      const result = parent ? await dialog.showSaveDialog(parent, options) : await dialog.showSaveDialog(options);
      return result.canceled || !result.filePath ? null : result.filePath;
    },
  };
}

function windowOf(caller: ViewerId): BrowserWindow | null {
  const contents = webContents.fromId(caller);
  return contents ? BrowserWindow.fromWebContents(contents) : null;
}
