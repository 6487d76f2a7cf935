import { NavLink, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { WorkspaceRef } from '../../../shared/host';
import type { RegistryRouteFilter, WorkspaceView } from '../../../shared/links';
import type { WorkspaceIndex } from '../../../shared/model';
import { goToWorkspaceView } from '../../app/routing';
import { ChartIcon, ListIcon, MapIcon, MergeIcon } from '../../ui/icons';
import { CandidatesView } from './CandidatesView';
import { CoverageView } from './CoverageView';
import { ProblemMap } from './ProblemMap';
import { RegistryView } from './RegistryView';
import { RegistryWorkspaceContext } from './use-appeals';

const sections: { view: WorkspaceView; icon: () => React.JSX.Element }[] = [
  { view: 'registry', icon: ListIcon },
  { view: 'candidates', icon: MergeIcon },
  { view: 'map', icon: MapIcon },
  { view: 'coverage', icon: ChartIcon },
];

/** The registry's entries in the workspace navigation (above the board list). */
export function RegistryNav(props: { active?: WorkspaceView; onOpen: (view: WorkspaceView) => void }) {
  const { t } = useTranslation();
  return (
    <nav aria-label={t('registry.nav.section')} style={{ marginBottom: 12 }}>
      <Text size="xs" fw={700} c="dimmed" tt="uppercase" px={4} mb={4}>
        {t('registry.nav.section')}
      </Text>
      {sections.map(({ view, icon: Icon }) => (
        <NavLink
          key={view}
          label={t(`registry.nav.${view}`)}
          leftSection={<Icon />}
          active={props.active === view}
          onClick={() => props.onOpen(view)}
          data-testid={`nav-${view}`}
          style={{ borderRadius: 8 }}
        />
      ))}
    </nav>
  );
}

/** One of the registry views, chosen by the route. */
export function RegistrySection(props: { workspace: WorkspaceRef; index: WorkspaceIndex; section: WorkspaceView; filter?: RegistryRouteFilter }) {
  const open = (view: WorkspaceView, filter?: RegistryRouteFilter) => goToWorkspaceView(props.workspace.id, view, filter);
  return (
    <RegistryWorkspaceContext.Provider value={props.workspace}>
      {props.section === 'registry' && (
        <RegistryView index={props.index} routeFilter={props.filter} onOpenMap={() => open('map')} onOpenCandidates={() => open('candidates')} />
      )}
      {props.section === 'candidates' && <CandidatesView index={props.index} onOpenRegistry={() => open('registry')} />}
      {props.section === 'map' && <ProblemMap index={props.index} />}
      {props.section === 'coverage' && <CoverageView index={props.index} onOpenRegistry={(filter) => open('registry', filter)} />}
    </RegistryWorkspaceContext.Provider>
  );
}
