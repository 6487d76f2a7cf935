import { createContext, memo, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import {
  applyNodeChanges,
  Background,
  BackgroundVariant,
  Handle,
  Panel,
  Position,
  ReactFlow,
  ReactFlowProvider,
  useReactFlow,
  type Connection,
  type Edge,
  type Node,
  type NodeChange,
  type NodeProps,
  type NodeTypes,
} from '@xyflow/react';
import { Badge, Button, Checkbox, Group, Loader, SegmentedControl, Select, Switch, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useTranslation } from 'react-i18next';
import type { Id } from '../../../shared/ids';
import { ProblemRegistry, type Problem, type WorkspaceIndex } from '../../../shared/model';
import { IconButton } from '../../ui/AppHeader';
import { FitIcon, PlusIcon } from '../../ui/icons';
import { notifyError } from '../../ui/notify';
import { useRecord } from '../../ui/use-record';
import { CreateProjectDialog } from './CreateProjectDialog';
import { isSystemic } from './registry-query';
import { groupNodeId, PROBLEM_SIZE, PROJECT_SIZE, type MapLayout, type MapLayoutInput } from './map-layout';
import { runMapLayout } from './run-layout';
import { useRegistry } from './use-registry';
import '@xyflow/react/dist/style.css';
import './registry.css';

/** At most this many problems on the map at once; filters narrow the rest. */
export const MAP_PROBLEM_LIMIT = 600;

type GroupBy = 'territory' | 'category';

interface MapUi {
  index: WorkspaceIndex;
  toggleSelected: (id: Id) => void;
}
const MapContext = createContext<MapUi | null>(null);
function useMapUi(): MapUi {
  const value = useContext(MapContext);
  if (!value) throw new Error('useMapUi outside MapContext');
  return value;
}

const ProblemNode = memo(function ProblemNode({ id, data, selected }: NodeProps<Node<{ uncovered: boolean }>>) {
  const { t } = useTranslation();
  const ui = useMapUi();
  const problem = useRecord(ui.index.problems, id);
  if (!problem) return null;
  return (
    <div
      className={`map-node${selected ? ' is-selected' : ''}${data.uncovered ? ' is-uncovered' : ''}`}
      style={{ height: PROBLEM_SIZE.height }}
      data-testid="map-problem"
      data-problem-id={id}
      data-uncovered={data.uncovered}
    >
      <Group gap={6} wrap="nowrap" align="flex-start">
        {/* The checkbox adds to the selection without a modifier key (phones): the flow must not also handle the click. */}
        <div className="nodrag" onClick={(event) => event.stopPropagation()} onPointerDown={(event) => event.stopPropagation()}>
          <Checkbox size="xs" checked={Boolean(selected)} onChange={() => ui.toggleSelected(id)} aria-label={problem.title} data-testid="map-select-problem" />
        </div>
        <div style={{ minWidth: 0 }}>
          <div className="map-node-title">{problem.title}</div>
          <Group gap={4} mt={2}>
            {isSystemic(problem) && (
              <Badge size="xs" color={data.uncovered ? 'red' : 'grape'} variant="filled">
                {t('registry.kinds.systemic')}
              </Badge>
            )}
            {data.uncovered && (
              <Badge size="xs" color="red" variant="outline" data-testid="map-uncovered-badge">
                {t('registry.map.uncovered')}
              </Badge>
            )}
            <Text size="xs" c="dimmed">
              {problem.signalCount}
            </Text>
          </Group>
        </div>
      </Group>
      <Handle type="source" position={Position.Right} className="map-handle" data-testid="map-problem-handle" />
    </div>
  );
});

const ProjectNode = memo(function ProjectNode({ id, selected }: NodeProps) {
  const { t } = useTranslation();
  const ui = useMapUi();
  const project = useRecord(ui.index.projects, id);
  if (!project) return null;
  return (
    <div className={`map-node is-project${selected ? ' is-selected' : ''}`} style={{ height: PROJECT_SIZE.height }} data-testid="map-project" data-project-id={id}>
      <Handle type="target" position={Position.Left} className="map-handle" data-testid="map-project-handle" />
      <div className="map-node-title">{project.title}</div>
      <Badge size="xs" variant="light" color="teal" mt={4}>
        {t(`registry.projectStatuses.${project.status}`)}
      </Badge>
    </div>
  );
});

const GroupNode = memo(function GroupNode({ data, width, height }: NodeProps<Node<{ label: string }>>) {
  return (
    <div className="map-group" style={{ width, height }} data-testid="map-group">
      {data.label}
    </div>
  );
});

const nodeTypes: NodeTypes = { problem: ProblemNode, project: ProjectNode, mapGroup: GroupNode };

function groupKeyOf(problem: Problem, groupBy: GroupBy): string {
  return groupBy === 'territory' ? (problem.territoryId ?? '') : problem.category;
}

export function ProblemMap(props: { index: WorkspaceIndex; focusProblemId?: Id }) {
  return (
    <ReactFlowProvider>
      <ProblemMapCanvas {...props} />
    </ReactFlowProvider>
  );
}

function ProblemMapCanvas(props: { index: WorkspaceIndex; focusProblemId?: Id }) {
  const { t } = useTranslation();
  const flow = useReactFlow();
  const data = useRegistry(props.index);
  const registry = useMemo(() => new ProblemRegistry(props.index), [props.index]);
  const [groupBy, setGroupBy] = useState<GroupBy>('territory');
  const [onlySystemic, setOnlySystemic] = useState(false);
  const [onlyUncovered, setOnlyUncovered] = useState(false);
  const [territoryId, setTerritoryId] = useState<Id | null>(null);
  const [category, setCategory] = useState<string | null>(null);
  const [layout, setLayout] = useState<MapLayout | null>(null);
  const [layoutMs, setLayoutMs] = useState<number | null>(null);
  const [layoutRunning, setLayoutRunning] = useState(false);
  const [selection, setSelection] = useState<ReadonlySet<Id>>(new Set());
  const [creating, setCreating] = useState(false);
  const [nodes, setNodes] = useState<Node[]>([]);

  const shownProblems = useMemo(() => {
    const scope = territoryId ? data.context.territoryScope(territoryId) : null;
    const uncovered = (problem: Problem) => (data.projectsByProblem.get(problem.id)?.length ?? 0) === 0;
    return data.problems
      .filter(
        (problem) =>
          problem.status !== 'rejected' &&
          (!scope || (problem.territoryId !== undefined && scope.has(problem.territoryId))) &&
          (!category || problem.category === category) &&
          (!onlySystemic || isSystemic(problem)) &&
          (!onlyUncovered || uncovered(problem)),
      )
      .sort(
        (a, b) =>
          Number(isSystemic(b) && uncovered(b)) - Number(isSystemic(a) && uncovered(a)) ||
          b.signalCount - a.signalCount ||
          a.title.localeCompare(b.title, 'ru') ||
          a.id.localeCompare(b.id),
      )
      .slice(0, MAP_PROBLEM_LIMIT);
  }, [data.problems, data.projectsByProblem, data.context, territoryId, category, onlySystemic, onlyUncovered]);
  const matchingCount = shownProblems.length;

  const layoutInput = useMemo<MapLayoutInput>(() => {
    const groups = new Map<string, Id[]>();
    for (const problem of shownProblems) {
      const key = groupKeyOf(problem, groupBy);
      groups.set(key, [...(groups.get(key) ?? []), problem.id]);
    }
    const label = (key: string) =>
      groupBy === 'territory' ? data.context.territoryName(key || undefined) || t('registry.coverage.noTerritory') : data.categoryLabel(data.categoryById.get(key), key);
    const shownIds = new Set(shownProblems.map((problem) => problem.id));
    return {
      groups: [...groups.entries()]
        .map(([key, problemIds]) => ({ key: key || 'none', label: label(key), problemIds }))
        .sort((a, b) => a.label.localeCompare(b.label, 'ru')),
      projectIds: data.projects.map((project) => project.id).sort(),
      links: data.links.filter((link) => shownIds.has(link.problemId)).map((link) => ({ problemId: link.problemId, projectId: link.projectId })),
    };
  }, [shownProblems, groupBy, data.projects, data.links, data.context, data.categoryById, data.categoryLabel, t]);
  const layoutKey = JSON.stringify(layoutInput);

  // Lays out again when what is shown changes (not on every edit of a title).
  useEffect(() => {
    let live = true;
    setLayoutRunning(true);
    const started = performance.now();
    const input = JSON.parse(layoutKey) as MapLayoutInput;
    runMapLayout(input).then(
      (result) => {
        if (!live) return;
        setLayout(result);
        setLayoutMs(Math.round(performance.now() - started));
        setLayoutRunning(false);
      },
      (error: unknown) => {
        if (!live) return;
        setLayoutRunning(false);
        notifyError(t, error, 'mapLayout');
      },
    );
    return () => {
      live = false;
    };
  }, [layoutKey, t]);

  const uncoveredIds = useMemo(
    () => new Set(shownProblems.filter((p) => isSystemic(p) && (data.projectsByProblem.get(p.id)?.length ?? 0) === 0).map((p) => p.id)),
    [shownProblems, data.projectsByProblem],
  );

  useEffect(() => {
    if (!layout) return;
    const input = JSON.parse(layoutKey) as MapLayoutInput;
    const next: Node[] = [];
    for (const group of layout.groups) {
      next.push({
        id: groupNodeId(group.key),
        type: 'mapGroup',
        position: { x: group.x, y: group.y },
        width: group.width,
        height: group.height,
        data: { label: group.label },
        selectable: false,
        draggable: false,
        zIndex: -1,
      });
    }
    for (const group of input.groups) {
      for (const id of group.problemIds) {
        const position = layout.positions[id];
        if (!position) continue;
        next.push({
          id,
          type: 'problem',
          parentId: groupNodeId(group.key),
          extent: 'parent',
          position,
          width: PROBLEM_SIZE.width,
          height: PROBLEM_SIZE.height,
          data: { uncovered: uncoveredIds.has(id) },
          selected: selection.has(id),
        });
      }
    }
    for (const id of input.projectIds) {
      const position = layout.positions[id];
      if (!position) continue;
      next.push({ id, type: 'project', position, width: PROJECT_SIZE.width, height: PROJECT_SIZE.height, data: {} });
    }
    setNodes(next);
    // Not on `selection`: toggleSelected and onNodesChange fold it in, and rebuilding here would undo drags.
  }, [layout, layoutKey, uncoveredIds]);

  useEffect(() => {
    // Once per layout, after the nodes of that layout are rendered.
    if (layout) requestAnimationFrame(() => void flow.fitView({ padding: 0.1, maxZoom: 1 }));
  }, [layout, flow]);

  useEffect(() => {
    if (!props.focusProblemId || !layout) return;
    const node = flow.getNode(props.focusProblemId);
    if (node) void flow.fitView({ nodes: [node], maxZoom: 1.2, duration: 300 });
  }, [props.focusProblemId, layout, flow]);

  const edges = useMemo<Edge[]>(() => {
    const shown = new Set(shownProblems.map((p) => p.id));
    return data.links
      .filter((link) => shown.has(link.problemId))
      .map((link) => ({ id: link.id, source: link.problemId, target: link.projectId, style: { stroke: '#12b886', strokeWidth: 1.5 } }));
  }, [data.links, shownProblems]);

  const onNodesChange = useCallback((changes: NodeChange[]) => {
    setNodes((previous) => applyNodeChanges(changes.filter((change) => change.type !== 'remove'), previous));
  }, []);

  const toggleSelected = useCallback((id: Id) => {
    setNodes((previous) => previous.map((node) => (node.id === id ? { ...node, selected: !node.selected } : node)));
  }, []);
  // The selection is what the flow shows as selected: one source of truth for the checkbox, Shift+click and box select.
  useEffect(() => {
    const next = new Set(nodes.filter((node) => node.selected && node.type === 'problem').map((node) => node.id));
    setSelection((current) => (current.size === next.size && [...next].every((id) => current.has(id)) ? current : next));
  }, [nodes]);

  const onConnect = useCallback(
    (connection: Connection) => {
      try {
        if (!props.index.problems.has(connection.source) || !props.index.projects.has(connection.target)) return;
        registry.linkToProject(connection.source, connection.target);
        notifications.show({ color: 'teal', message: t('registry.map.linked') });
      } catch (error) {
        notifyError(t, error, 'linkProblem');
      }
    },
    [registry, props.index, t],
  );

  const selectedProblems = [...selection].filter((id) => props.index.problems.has(id));
  const ui = useMemo<MapUi>(() => ({ index: props.index, toggleSelected }), [props.index, toggleSelected]);

  return (
    <MapContext.Provider value={ui}>
      <div className="problem-map" data-testid="problem-map" data-layout-ms={layoutMs ?? ''} data-layout-running={layoutRunning}>
        <ReactFlow
          nodes={nodes}
          edges={edges}
          nodeTypes={nodeTypes}
          onNodesChange={onNodesChange}
          onConnect={onConnect}
          isValidConnection={(connection) => props.index.problems.has(connection.source) && props.index.projects.has(connection.target)}
          multiSelectionKeyCode={['Shift', 'Meta', 'Control']}
          deleteKeyCode={null}
          minZoom={0.05}
          maxZoom={2}
          onlyRenderVisibleElements
          proOptions={{ hideAttribution: true }}
        >
          <Background variant={BackgroundVariant.Dots} gap={24} size={1.2} color="#ced4da" />
          <Panel position="top-left">
            <Group gap={6} className="map-toolbar" wrap="wrap" maw="calc(100vw - 40px)">
              <SegmentedControl
                size="xs"
                value={groupBy}
                onChange={(value) => setGroupBy(value as GroupBy)}
                data={[
                  { value: 'territory', label: t('registry.map.byTerritory') },
                  { value: 'category', label: t('registry.map.byCategory') },
                ]}
                data-testid="map-group-by"
              />
              <Select
                size="xs"
                w={170}
                placeholder={t('registry.table.allTerritories')}
                aria-label={t('registry.columns.territory')}
                data={data.territories.map((territory) => ({ value: territory.id, label: territory.name }))}
                value={territoryId}
                onChange={setTerritoryId}
                clearable
                searchable
              />
              <Select
                size="xs"
                w={150}
                placeholder={t('registry.table.allCategories')}
                aria-label={t('registry.columns.category')}
                data={data.categories.map((c) => ({ value: c.id, label: data.categoryLabel(c) }))}
                value={category}
                onChange={setCategory}
                clearable
              />
              <Switch size="xs" label={t('registry.map.onlySystemic')} checked={onlySystemic} onChange={(e) => setOnlySystemic(e.currentTarget.checked)} data-testid="map-only-systemic" />
              <Switch size="xs" label={t('registry.map.onlyUncovered')} checked={onlyUncovered} onChange={(e) => setOnlyUncovered(e.currentTarget.checked)} />
              <Button size="xs" leftSection={<PlusIcon />} disabled={selectedProblems.length === 0} onClick={() => setCreating(true)} data-testid="map-create-project">
                {t('registry.map.createProject', { count: selectedProblems.length })}
              </Button>
              <IconButton label={t('board.fitView')} onClick={() => void flow.fitView({ padding: 0.1, maxZoom: 1, duration: 200 })}>
                <FitIcon />
              </IconButton>
              {layoutRunning && <Loader size="xs" aria-label={t('registry.map.layoutRunning')} />}
            </Group>
          </Panel>
          <Panel position="bottom-left">
            <Text size="xs" c="dimmed" className="map-toolbar" data-testid="map-count">
              {t('registry.map.shown', { problems: matchingCount, projects: data.projects.length })}
              {matchingCount >= MAP_PROBLEM_LIMIT && ` · ${t('registry.map.tooMany', { limit: MAP_PROBLEM_LIMIT })}`}
              {' · '}
              {t('registry.map.hint')}
            </Text>
          </Panel>
          {data.problems.length === 0 && (
            <Panel position="top-center" style={{ marginTop: 80 }}>
              <Text c="dimmed">{t('registry.map.empty')}</Text>
            </Panel>
          )}
        </ReactFlow>
        <CreateProjectDialog
          data={data}
          opened={creating}
          problemIds={selectedProblems}
          onClose={() => setCreating(false)}
          onCreated={() => {
            setCreating(false);
            setSelection(new Set());
            setNodes((previous) => previous.map((node) => (node.selected ? { ...node, selected: false } : node)));
          }}
        />
      </div>
    </MapContext.Provider>
  );
}

