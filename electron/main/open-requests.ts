import { isAbsolute, resolve } from 'node:path';
import { WORKSPACE_FILE_EXTENSION } from './workspaces';

/**
 * Workspace files passed on the command line: a double-click on a `.stratboard` file
 * starts (or, through the single-instance lock, reaches) the app with its path.
 */
export function workspacePathsFromArgv(argv: readonly string[], workingDirectory: string): string[] {
  return argv
    .filter((arg) => !arg.startsWith('-') && arg.toLowerCase().endsWith(WORKSPACE_FILE_EXTENSION))
    .map((arg) => (isAbsolute(arg) ? arg : resolve(workingDirectory, arg)));
}

/** Files the OS asked to open, waiting for the renderer to take them one by one. */
export class OpenRequests {
  private readonly queue: string[] = [];

  push(paths: readonly string[]): boolean {
    for (const path of paths) if (!this.queue.includes(path)) this.queue.push(path);
    return paths.length > 0;
  }

  take(): string | undefined {
    return this.queue.shift();
  }
}
