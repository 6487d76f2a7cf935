import { useCallback, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { Id } from '../../../shared/ids';
import type { Problem, ProblemCategory, WorkspaceIndex } from '../../../shared/model';
import { registryRu } from '../../i18n/areas/registry.ru';
import { useLiveRecords } from './live-records';
import { territoryLookup, type RegistryColumn, type RegistryContext } from './registry-query';

const defaultCategoryLabels: Record<string, string> = registryRu.categories;

/**
 * A category's label in the UI language: the default categories (seeded with Russian
 * labels) are translated while the user hasn't renamed them; user labels show as written.
 */
export function useCategoryLabel(): (category: ProblemCategory | undefined, id?: string) => string {
  const { t, i18n } = useTranslation();
  return useCallback(
    (category, id) => {
      const key = category?.id ?? id ?? '';
      const isDefault = key in defaultCategoryLabels && (!category || category.label === defaultCategoryLabels[key]);
      if (isDefault) return t(`registry.categories.${key}`);
      return category?.label ?? key;
    },
    // i18n.language: the labels change with the language.
    [t, i18n.language],
  );
}

/** Everything the registry views read from the index doc, kept live, with the lookups they share. */
export function useRegistry(index: WorkspaceIndex) {
  const { t } = useTranslation();
  const problems = useLiveRecords(index.problems);
  const territories = useLiveRecords(index.territories);
  const categories = useLiveRecords(index.categories);
  const people = useLiveRecords(index.people);
  const projects = useLiveRecords(index.projects);
  const links = useLiveRecords(index.problemProjectLinks);
  const categoryLabel = useCategoryLabel();

  const lookups = useMemo(() => {
    const territory = territoryLookup(territories);
    const projectsByProblem = new Map<Id, Id[]>();
    const problemsByProject = new Map<Id, Id[]>();
    for (const link of links) {
      projectsByProblem.set(link.problemId, [...(projectsByProblem.get(link.problemId) ?? []), link.projectId]);
      problemsByProject.set(link.projectId, [...(problemsByProject.get(link.projectId) ?? []), link.problemId]);
    }
    const categoryById = new Map(categories.map((category) => [category.id, category]));
    const personById = new Map(people.map((person) => [person.id, person]));
    const context: RegistryContext = {
      ...territory,
      projectCount: (problemId) => projectsByProblem.get(problemId)?.length ?? 0,
    };
    const sortedCategories = [...categories].filter((c) => !c.archived).sort((a, b) => a.order - b.order);
    return { context, projectsByProblem, problemsByProject, categoryById, personById, sortedCategories };
  }, [territories, links, categories, people]);

  const label = useCallback(
    (column: RegistryColumn, problem: Problem): string => {
      switch (column) {
        case 'category':
          return categoryLabel(lookups.categoryById.get(problem.category), problem.category);
        case 'kind':
          return t(`registry.kinds.${problem.kind}`);
        case 'status':
          return t(`registry.statuses.${problem.status}`);
        case 'owner':
          return problem.ownerId ? (lookups.personById.get(problem.ownerId)?.name ?? '') : '';
        case 'territory':
          return lookups.context.territoryName(problem.territoryId);
        default:
          return '';
      }
    },
    [t, categoryLabel, lookups],
  );

  return { index, problems, territories, categories: lookups.sortedCategories, people, projects, links, ...lookups, label, categoryLabel };
}

export type RegistryData = ReturnType<typeof useRegistry>;
