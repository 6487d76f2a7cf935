import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
import type { i18n } from 'i18next';
import type { Profile, Settings } from '../../shared/host';
import { useHost } from './host-context';

interface PreferencesValue {
  settings: Settings;
  profile: Profile;
  updateSettings(patch: Partial<Settings>): Promise<void>;
  updateProfile(patch: Partial<Profile>): Promise<void>;
}

const PreferencesContext = createContext<PreferencesValue | null>(null);

export function PreferencesProvider(props: {
  i18n: i18n;
  initialSettings: Settings;
  initialProfile: Profile;
  children: ReactNode;
}) {
  const host = useHost();
  const [settings, setSettings] = useState(props.initialSettings);
  const [profile, setProfile] = useState(props.initialProfile);
  const { i18n: instance } = props;

  const updateSettings = useCallback(
    async (patch: Partial<Settings>) => {
      const next = await host.updateSettings(patch);
      setSettings(next);
      if (next.locale !== instance.language) await instance.changeLanguage(next.locale);
    },
    [host, instance],
  );
  const updateProfile = useCallback(
    async (patch: Partial<Profile>) => setProfile(await host.updateProfile(patch)),
    [host],
  );
  const value = useMemo(
    () => ({ settings, profile, updateSettings, updateProfile }),
    [settings, profile, updateSettings, updateProfile],
  );
  return <PreferencesContext.Provider value={value}>{props.children}</PreferencesContext.Provider>;
}

export function usePreferences(): PreferencesValue {
  const value = useContext(PreferencesContext);
  if (!value) throw new Error('usePreferences outside PreferencesProvider');
  return value;
}
