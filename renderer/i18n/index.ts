import i18next, { type i18n } from 'i18next';
import { initReactI18next } from 'react-i18next';
import type { HostError, Locale } from '../../shared/host';
import { en } from './en';
import { ru } from './ru';

export const DEFAULT_LOCALE: Locale = 'ru';

export function createI18n(locale: Locale = DEFAULT_LOCALE): i18n {
  const instance = i18next.createInstance();
  void instance.use(initReactI18next).init({
    lng: locale,
    fallbackLng: DEFAULT_LOCALE,
    resources: { ru: { translation: ru }, en: { translation: en } },
    interpolation: { escapeValue: false },
    initAsync: false,
    returnNull: false,
  });
  return instance;
}

/** The translated message for an error a user can meet (sharing's own codes live in its area). */
export function errorKey(error: unknown): string {
  const code = (error as Partial<HostError> | undefined)?.code;
  if (typeof code !== 'string') return 'errors.internal';
  if (code in ru.errors) return `errors.${code}`;
  if (code in ru.sharing.errors) return `sharing.errors.${code}`;
  return 'errors.internal';
}
