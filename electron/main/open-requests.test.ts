import { describe, expect, it } from 'vitest';
import { OpenRequests, workspacePathsFromArgv } from './open-requests';

describe('files the OS asks the app to open', () => {
  it('takes workspace files from the command line, resolved against the working directory', () => {
    expect(
      workspacePathsFromArgv(
        ['/opt/Stratboard/stratboard', '--no-sandbox', 'Сессии/Ленинский.stratboard', '/home/anna/Офис.STRATBOARD', 'notes.txt'],
        '/home/anna',
      ),
    ).toEqual(['/home/anna/Сессии/Ленинский.stratboard', '/home/anna/Офис.STRATBOARD']);
  });

  it('ignores flags that merely end like a workspace file', () => {
    expect(workspacePathsFromArgv(['--profile=x.stratboard'], '/')).toEqual([]);
  });

  it('hands out each requested file once, in order', () => {
    const requests = new OpenRequests();
    expect(requests.push(['/a.stratboard', '/b.stratboard', '/a.stratboard'])).toBe(true);
    expect(requests.push([])).toBe(false);
    expect([requests.take(), requests.take(), requests.take()]).toEqual(['/a.stratboard', '/b.stratboard', undefined]);
  });
});
