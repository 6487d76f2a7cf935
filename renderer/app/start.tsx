import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import type { Host } from '../../shared/host';
import { createI18n } from '../i18n';
import { App } from './App';

/** Shared bootstrap of both shells; only the Host differs. */
export async function startApp(host: Host): Promise<void> {
  const settings = await host.getSettings();
  const i18n = createI18n(settings.locale);
  let profile = await host.getProfile();
  if (!profile.displayName) {
    const suffix = 10 + Math.floor(Math.random() * 90);
    profile = await host.updateProfile({ displayName: `${i18n.t('settings.defaultName')} ${suffix}` });
  }
  const root = document.getElementById('root');
  if (!root) throw new Error('#root missing');
  createRoot(root).render(
    <StrictMode>
      <App host={host} i18n={i18n} settings={settings} profile={profile} />
    </StrictMode>,
  );
}
