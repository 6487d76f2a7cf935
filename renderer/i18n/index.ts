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

/** The translated message for an error a user can meet. */
export function errorKey(error: unknown): string {
  const code = (error as Partial<HostError> | undefined)?.code;
  return typeof code === 'string' && code in ru.errors ? `errors.${code}` : 'errors.internal';
}
