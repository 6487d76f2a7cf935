import { notifications } from '@mantine/notifications';
import type { TFunction } from 'i18next';
import { errorKey } from '../i18n';

/** Shows a translated error a user can act on, and logs the cause for support. */
export function notifyError(t: TFunction, error: unknown, context?: string): void {
  console.error(context ?? 'stratboard', error);
  notifications.show({ color: 'red', title: t('errors.title'), message: t(errorKey(error)), autoClose: 8000 });
}
