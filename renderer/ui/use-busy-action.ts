import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { notifyError } from './notify';

/** Runs a dialog's action with its button busy; a failure becomes a translated notification (context names it in the log). */
export function useBusyAction(): [busy: boolean, run: (action: () => Promise<void>, context: string) => Promise<void>] {
  const { t } = useTranslation();
  const [busy, setBusy] = useState(false);
  const run = useCallback(
    async (action: () => Promise<void>, context: string) => {
      setBusy(true);
      try {
        await action();
      } catch (error) {
        notifyError(t, error, context);
      } finally {
        setBusy(false);
      }
    },
    [t],
  );
  return [busy, run];
}
