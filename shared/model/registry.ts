import type * as Y from 'yjs';
import { z } from 'zod';
import type { CandidateProblem } from '../cluster/candidate';
import type { Id } from '../ids';
import {
  signalSourceKinds,
  type AppealLink,
  type Dataset,
  type KindDecision,
  type Problem,
  type ProblemCategory,
  type ProblemInput,
  type ProblemKind,
  type ProjectCard,
  type SignalSourceCount,
} from './records';
import { defaultSystemicRule, evaluateSystemicRule, mergeSignalDays, type SystemicRule } from './systemic-rule';
import type { WorkspaceIndex } from './workspace-index';

/** The default category set (ids are stable slugs; labels are data the user may rename). */
export const defaultProblemCategories: readonly Pick<ProblemCategory, 'id' | 'label'>[] = [
  { id: 'roads', label: 'Дороги' },
  { id: 'housing', label: 'ЖКХ' },
  { id: 'improvement', label: 'Благоустройство' },
  { id: 'transport', label: 'Транспорт' },
  { id: 'health', label: 'Здравоохранение' },
  { id: 'education', label: 'Образование' },
  { id: 'social', label: 'Социальная защита' },
  { id: 'ecology', label: 'Экология' },
  { id: 'safety', label: 'Безопасность' },
  { id: 'other', label: 'Прочее' },
];
export const OTHER_CATEGORY = 'other';

/** Adds the default categories that are missing. Idempotent: fixed ids, so two peers write the same records. */
export function seedDefaultCategories(index: WorkspaceIndex): void {
  index.doc.transact(() => {
    defaultProblemCategories.forEach((category, order) => {
      if (!index.categories.has(category.id)) index.categories.create({ ...category, order, archived: false });
    });
  });
}

export const registrySettingsSchema = z.object({
  systemicRule: z
    .object({
      signalsInWeeks: z.object({
        enabled: z.boolean(),
        minSignals: z.number().int().min(1).max(100_000),
        weeks: z.number().int().min(1).max(520),
      }),
      recurrence: z.object({
        enabled: z.boolean(),
        minMonths: z.number().int().min(1).max(120),
        months: z.number().int().min(1).max(120),
      }),
    })
    .default(defaultSystemicRule),
  /** Cosine similarity (0–1) above which an appeal joins a group. */
  similarityThreshold: z.number().min(0.05).max(0.95).default(0.25),
  /** Group per territory and category (true) or per territory only. */
  groupByCategory: z.boolean().default(true),
});
export type RegistrySettings = z.infer<typeof registrySettingsSchema>;
export const defaultRegistrySettings: RegistrySettings = registrySettingsSchema.parse({});

export type NewProjectInput = Pick<ProjectCard, 'title'> & Partial<Omit<ProjectCard, 'id' | 'title' | 'createdAt'>>;

/**
 * Registry operations over the index doc: categories, settings, problems made from
 * candidates, bulk edits, kind decisions and problem → project links. Each operation is
 * one transaction (one undo step, one sync update), big batches are chunked.
 */
export class ProblemRegistry {
  constructor(readonly index: WorkspaceIndex) {}

  private get doc(): Y.Doc {
    return this.index.doc;
  }

  private get settingsMap(): Y.Map<unknown> {
    return this.doc.getMap('registrySettings');
  }

  /** Active categories in list order (archived ones only when asked: old problems may still use them). */
  categoryList(options: { includeArchived?: boolean } = {}): ProblemCategory[] {
    return this.index.categories
      .list()
      .filter((category) => options.includeArchived || !category.archived)
      .sort((a, b) => a.order - b.order || a.id.localeCompare(b.id));
  }

  addCategory(label: string): ProblemCategory {
    const last = this.categoryList({ includeArchived: true }).at(-1);
    return this.index.categories.create({ label, order: (last?.order ?? 0) + 1, archived: false });
  }

  renameCategory(id: Id, label: string): ProblemCategory {
    return this.index.categories.update(id, { label });
  }

  /** Archived categories stay readable on the problems that use them but are not offered for new ones. */
  archiveCategory(id: Id, archived = true): ProblemCategory {
    return this.index.categories.update(id, { archived });
  }

  settings(): RegistrySettings {
    const parsed = registrySettingsSchema.safeParse(this.settingsMap.toJSON());
    return parsed.success ? parsed.data : defaultRegistrySettings;
  }

  updateSettings(patch: Partial<RegistrySettings>): RegistrySettings {
    const next = registrySettingsSchema.parse({ ...this.settings(), ...patch });
    this.doc.transact(() => {
      for (const key of Object.keys(patch) as (keyof RegistrySettings)[]) this.settingsMap.set(key, next[key]);
    });
    return next;
  }

  /** Records an imported dataset (its rows are written to the part docs by the importer). */
  addDataset(input: Omit<Dataset, 'id' | 'kind' | 'importedAt'> & { id?: Id; importedAt?: string }): Dataset {
    return this.index.datasets.create({ kind: 'appeals', importedAt: new Date().toISOString(), ...input });
  }

  /**
   * Makes problems from accepted candidates: territory, category, sources and signal
   * counts/dates, linked appeals, and the kind the systemic rule proposes (with its reason).
   */
  acceptCandidates(
    candidates: readonly CandidateProblem[],
    options: { rule?: SystemicRule; now?: string; chunk?: number } = {},
  ): Problem[] {
    const rule = options.rule ?? this.settings().systemicRule;
    const now = options.now ?? new Date().toISOString();
    const chunk = options.chunk ?? 1000;
    const created: Problem[] = [];
    for (let start = 0; start < candidates.length; start += chunk) {
      this.doc.transact(() => {
        for (const candidate of candidates.slice(start, start + chunk)) {
          created.push(this.index.problems.create(problemFromCandidate(candidate, rule, now, this.categoryIds())));
        }
      });
    }
    return created;
  }

  /** The same fields set on many problems (status, owner, category, territory, kind …). */
  bulkUpdate(ids: readonly Id[], patch: Partial<Omit<ProblemInput, 'id'>>, chunk = 1000): number {
    let updated = 0;
    for (let start = 0; start < ids.length; start += chunk) {
      this.doc.transact(() => {
        for (const id of ids.slice(start, start + chunk)) {
          if (!this.index.problems.has(id)) continue;
          this.index.problems.update(id, patch);
          updated++;
        }
      });
    }
    return updated;
  }

  /** A person marks a problem systemic or situational by hand; the decision records that it was not the rule. */
  setKind(problemId: Id, kind: ProblemKind, now = new Date().toISOString()): Problem {
    const kindDecision: KindDecision = { by: 'user', at: now };
    return this.index.problems.update(problemId, { kind, kindDecision });
  }

  /**
   * Re-runs the systemic rule over problems whose kind the rule decided (or nobody did);
   * a person's decision is kept. Returns the ids whose kind changed.
   */
  reapplySystemicRule(rule: SystemicRule = this.settings().systemicRule, now = new Date().toISOString()): Id[] {
    const changed: Id[] = [];
    this.doc.transact(() => {
      for (const problem of this.index.problems.list()) {
        if (problem.kindDecision?.by === 'user') continue;
        if (problem.signalDays.length === 0) continue;
        const verdict = evaluateSystemicRule(problem.signalDays, rule);
        const sameReason = JSON.stringify(problem.kindDecision?.reason) === JSON.stringify(verdict.reason);
        if (problem.kind === verdict.kind && sameReason) continue;
        this.index.problems.update(problem.id, {
          kind: verdict.kind,
          kindDecision: { by: 'rule', rule: verdict.rule, reason: verdict.reason, at: now },
        });
        if (problem.kind !== verdict.kind) changed.push(problem.id);
      }
    });
    return changed;
  }

  /**
   * Merges problems into the first one: signals, sources, appeals and project links are
   * combined, the others are deleted. One transaction.
   */
  mergeProblems(ids: readonly Id[], options: { title?: string; rule?: SystemicRule; now?: string } = {}): Problem {
    const problems = ids.map((id) => this.index.problems.get(id)).filter((p): p is Problem => p !== undefined);
    const [target, ...rest] = problems;
    if (!target) throw new Error('No problems to merge');
    const signalDays = mergeSignalDays(...problems.map((p) => p.signalDays));
    const patch: Partial<ProblemInput> = {
      title: options.title ?? target.title,
      description: problems.map((p) => p.description).filter(Boolean).join('\n\n').slice(0, 20_000),
      sources: addSources(problems.flatMap((p) => p.sources)),
      signalCount: problems.reduce((sum, p) => sum + p.signalCount, 0),
      firstSignalAt: minDate(problems.map((p) => p.firstSignalAt)),
      lastSignalAt: maxDate(problems.map((p) => p.lastSignalAt)),
      signalDays,
      appeals: mergeAppealLinks(problems.flatMap((p) => p.appeals)),
    };
    if (target.kindDecision?.by !== 'user' && signalDays.length > 0) {
      const verdict = evaluateSystemicRule(signalDays, options.rule ?? this.settings().systemicRule);
      patch.kind = verdict.kind;
      patch.kindDecision = { by: 'rule', rule: verdict.rule, reason: verdict.reason, at: options.now ?? new Date().toISOString() };
    }
    let merged = target;
    this.doc.transact(() => {
      merged = this.index.problems.update(target.id, patch);
      for (const other of rest) {
        for (const projectId of this.index.projectsOfProblem(other.id)) this.index.linkProblemToProject(target.id, projectId);
        this.index.deleteProblem(other.id);
      }
    });
    return merged;
  }

  /** Links a problem to a project and moves a new/confirmed problem to "in a project". */
  linkToProject(problemId: Id, projectId: Id): void {
    this.doc.transact(() => {
      this.index.linkProblemToProject(problemId, projectId);
      const problem = this.index.problems.get(problemId);
      if (problem && (problem.status === 'new' || problem.status === 'confirmed')) {
        this.index.problems.update(problemId, { status: 'in-project' });
      }
    });
  }

  /** Removes the link; a problem left without projects goes back from "in a project" to "confirmed". */
  unlinkFromProject(problemId: Id, projectId: Id): void {
    this.doc.transact(() => {
      for (const link of this.index.problemProjectLinks.list()) {
        if (link.problemId === problemId && link.projectId === projectId) this.index.problemProjectLinks.delete(link.id);
      }
      const problem = this.index.problems.get(problemId);
      if (problem?.status === 'in-project' && this.index.projectsOfProblem(problemId).length === 0) {
        this.index.problems.update(problemId, { status: 'confirmed' });
      }
    });
  }

  /**
   * A project card answering the given problems: territory defaults to the problems'
   * common territory; the problems are linked and move to "in a project".
   */
  createProjectFromProblems(input: NewProjectInput, problemIds: readonly Id[], now = new Date().toISOString()): ProjectCard {
    const problems = problemIds.map((id) => this.index.problems.get(id)).filter((p): p is Problem => p !== undefined);
    const territories = new Set(problems.map((p) => p.territoryId));
    const commonTerritory = territories.size === 1 ? [...territories][0] : undefined;
    let project!: ProjectCard;
    this.doc.transact(() => {
      project = this.index.projects.create({
        status: 'draft',
        territoryId: commonTerritory,
        ...input,
        createdAt: now,
      });
      for (const problem of problems) this.linkToProject(problem.id, project.id);
    });
    return project;
  }

  private categoryIds(): Set<string> {
    return new Set(this.index.categories.ids());
  }
}

/** The problem record a candidate becomes (pure; `ProblemRegistry.acceptCandidates` writes it). */
export function problemFromCandidate(
  candidate: CandidateProblem,
  rule: SystemicRule = defaultSystemicRule,
  now = new Date().toISOString(),
  knownCategories?: ReadonlySet<string>,
): Omit<ProblemInput, 'id'> {
  const verdict = evaluateSystemicRule(candidate.signalDays, rule);
  const dates = candidate.members.map((m) => m.receivedAt).filter((d): d is string => !!d).sort();
  const category = candidate.category && (!knownCategories || knownCategories.has(candidate.category)) ? candidate.category : OTHER_CATEGORY;
  const byDataset = new Map<Id, Id[]>();
  for (const member of candidate.members) {
    const list = byDataset.get(member.datasetId) ?? [];
    list.push(member.appealId);
    byDataset.set(member.datasetId, list);
  }
  return {
    title: candidate.title.slice(0, 500) || candidate.terms.join(' ') || '—',
    description: '',
    territoryId: candidate.territoryId,
    category,
    kind: verdict.kind,
    kindDecision: { by: 'rule', rule: verdict.rule, reason: verdict.reason, at: now },
    status: 'new',
    sources: addSources(candidate.members.map((m) => ({ source: m.channel, count: 1 }))),
    signalCount: candidate.members.length,
    firstSignalAt: dates[0],
    lastSignalAt: dates.at(-1),
    signalDays: candidate.signalDays,
    appeals: [...byDataset.entries()].map(([datasetId, appealIds]) => ({ datasetId, appealIds })),
    provenance: { datasetId: candidate.members[0]?.datasetId },
    createdAt: now,
  };
}

function addSources(counts: readonly SignalSourceCount[]): SignalSourceCount[] {
  const totals = new Map<SignalSourceCount['source'], number>();
  for (const { source, count } of counts) totals.set(source, (totals.get(source) ?? 0) + count);
  return signalSourceKinds.filter((source) => totals.has(source)).map((source) => ({ source, count: totals.get(source)! }));
}

function mergeAppealLinks(links: readonly AppealLink[]): AppealLink[] {
  const byDataset = new Map<Id, Set<Id>>();
  for (const link of links) {
    const set = byDataset.get(link.datasetId) ?? new Set<Id>();
    for (const id of link.appealIds) set.add(id);
    byDataset.set(link.datasetId, set);
  }
  return [...byDataset.entries()].map(([datasetId, ids]) => ({ datasetId, appealIds: [...ids] }));
}

function minDate(dates: readonly (string | undefined)[]): string | undefined {
  return dates.filter((d): d is string => !!d).sort()[0];
}

function maxDate(dates: readonly (string | undefined)[]): string | undefined {
  return dates.filter((d): d is string => !!d).sort().at(-1);
}
