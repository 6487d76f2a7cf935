import type * as Y from 'yjs';
import type { Id } from '../ids';
import { RecordCollection } from './collection';
import {
  boardSchema,
  boardTemplateSchema,
  controlPointSchema,
  datasetSchema,
  personSchema,
  problemCategorySchema,
  problemProjectLinkSchema,
  problemSchema,
  projectSchema,
  taskSchema,
  territorySchema,
  type Board,
  type ProblemProjectLink,
} from './records';

/**
 * The workspace's index doc: its name, the board list and the structured records
 * (territories, people, problem categories, problems, projects and their links, tasks,
 * control points, imported datasets, boards saved as templates) and the registry
 * settings (`registrySettings` map).
 */
export class WorkspaceIndex {
  readonly boards;
  readonly datasets;
  readonly territories;
  readonly people;
  readonly categories;
  readonly problems;
  readonly projects;
  readonly problemProjectLinks;
  readonly tasks;
  readonly controlPoints;
  /** Boards saved as templates (the built-in ones live in shared/templates). */
  readonly templates;

  constructor(
    readonly doc: Y.Doc,
    private readonly origin: unknown = null,
  ) {
    const collection = <S extends Parameters<typeof makeCollection>[2]>(name: string, schema: S) =>
      makeCollection(doc, name, schema, origin);
    this.boards = collection('boards', boardSchema);
    this.datasets = collection('datasets', datasetSchema);
    this.territories = collection('territories', territorySchema);
    this.people = collection('people', personSchema);
    this.categories = collection('categories', problemCategorySchema);
    this.problems = collection('problems', problemSchema);
    this.projects = collection('projects', projectSchema);
    this.problemProjectLinks = collection('problemProjectLinks', problemProjectLinkSchema);
    this.tasks = collection('tasks', taskSchema);
    this.controlPoints = collection('controlPoints', controlPointSchema);
    this.templates = collection('templates', boardTemplateSchema);
  }

  get name(): string {
    const name = this.doc.getMap('meta').get('name');
    return typeof name === 'string' ? name : '';
  }

  rename(name: string): void {
    const trimmed = name.trim();
    if (!trimmed) return;
    this.doc.transact(() => this.doc.getMap('meta').set('name', trimmed.slice(0, 200)), this.origin);
  }

  /** Boards in list order. */
  boardList(): Board[] {
    return this.boards.list().sort((a, b) => a.order - b.order || a.createdAt.localeCompare(b.createdAt));
  }

  addBoard(title: string, kind: Board['kind'] = 'session'): Board {
    const last = this.boardList().at(-1);
    return this.boards.create({ title, kind, createdAt: new Date().toISOString(), order: (last?.order ?? 0) + 1 });
  }

  /** Links a problem to a project once; a second call returns the existing link. */
  linkProblemToProject(problemId: Id, projectId: Id, note?: string): ProblemProjectLink {
    if (!this.problems.has(problemId)) throw new Error(`No problem ${problemId}`);
    if (!this.projects.has(projectId)) throw new Error(`No project ${projectId}`);
    const existing = this.problemProjectLinks
      .list()
      .find((link) => link.problemId === problemId && link.projectId === projectId);
    if (existing) return existing;
    return this.problemProjectLinks.create({ problemId, projectId, note });
  }

  projectsOfProblem(problemId: Id): Id[] {
    return this.problemProjectLinks
      .list()
      .filter((link) => link.problemId === problemId)
      .map((link) => link.projectId);
  }

  problemsOfProject(projectId: Id): Id[] {
    return this.problemProjectLinks
      .list()
      .filter((link) => link.projectId === projectId)
      .map((link) => link.problemId);
  }

  /** Deletes a problem and its links to projects. */
  deleteProblem(problemId: Id): void {
    this.doc.transact(() => {
      for (const link of this.problemProjectLinks.list()) {
        if (link.problemId === problemId) this.problemProjectLinks.delete(link.id);
      }
      this.problems.delete(problemId);
    }, this.origin);
  }

  /** Deletes a project with its links, tasks and control points. */
  deleteProject(projectId: Id): void {
    this.doc.transact(() => {
      for (const link of this.problemProjectLinks.list()) {
        if (link.projectId === projectId) this.problemProjectLinks.delete(link.id);
      }
      for (const task of this.tasks.list()) if (task.projectId === projectId) this.tasks.delete(task.id);
      for (const point of this.controlPoints.list()) {
        if (point.projectId === projectId) this.controlPoints.delete(point.id);
      }
      this.projects.delete(projectId);
    }, this.origin);
  }
}

function makeCollection<S extends ConstructorParameters<typeof RecordCollection>[2]>(
  doc: Y.Doc,
  name: string,
  schema: S,
  origin: unknown,
) {
  return new RecordCollection(name, doc.getMap<Y.Map<unknown>>(name), schema, origin);
}
