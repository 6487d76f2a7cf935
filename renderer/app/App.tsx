import { useEffect } from 'react';
import { MantineProvider } from '@mantine/core';
import { Notifications } from '@mantine/notifications';
import { I18nextProvider, useTranslation } from 'react-i18next';
import type { i18n } from 'i18next';
import type { Host, Profile, Settings } from '../../shared/host';
import { HomeScreen } from '../features/home/HomeScreen';
import { WorkspaceScreen } from '../features/workspace/WorkspaceScreen';
import { rememberWorkspace } from '../features/workspace/open-workspaces';
import { notifyError } from '../ui/notify';
import { theme } from '../ui/theme';
import { HostContext, useHost } from './host-context';
import { PreferencesProvider } from './preferences';
import { goToWorkspace, useHashRoute } from './routing';

/** Opens the workspace files the OS hands the desktop app (double-click, command line). */
function useOpenRequests() {
  const host = useHost();
  const { t } = useTranslation();
  useEffect(() => {
    const take = () =>
      host.takeOpenRequest().then(
        (ref) => {
          if (!ref) return;
          rememberWorkspace(ref);
          goToWorkspace(ref.id);
        },
        (error: unknown) => notifyError(t, error, 'takeOpenRequest'),
      );
    void take();
    return host.onOpenRequested(() => void take());
  }, [host, t]);
}

export function App(props: { host: Host; i18n: i18n; settings: Settings; profile: Profile }) {
  useEffect(() => {
    const setLang = (lng: string) => {
      document.documentElement.lang = lng;
      document.title = props.i18n.t('app.name');
    };
    setLang(props.i18n.language);
    props.i18n.on('languageChanged', setLang);
    return () => props.i18n.off('languageChanged', setLang);
  }, [props.i18n]);

  return (
    <HostContext.Provider value={props.host}>
      <I18nextProvider i18n={props.i18n}>
        <MantineProvider theme={theme} defaultColorScheme="light">
          <Notifications position="bottom-right" />
          <PreferencesProvider i18n={props.i18n} initialSettings={props.settings} initialProfile={props.profile}>
            <Routes />
          </PreferencesProvider>
        </MantineProvider>
      </I18nextProvider>
    </HostContext.Provider>
  );
}

function Routes() {
  const route = useHashRoute();
  useOpenRequests();
  if (route.view === 'workspace') {
    return (
      <WorkspaceScreen
        key={route.workspaceId}
        workspaceId={route.workspaceId}
        boardId={route.boardId}
        section={route.section}
        filter={route.filter}
        token={route.token}
      />
    );
  }
  return <HomeScreen />;
}
