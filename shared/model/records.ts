import { z } from 'zod';
import { idPattern } from '../ids';

// Record schemas of the workspace. Each record is stored as a Y.Map of these fields
// (nested values as plain JSON, last writer wins per field) and read back through
// the schema, so a malformed record from a peer is skipped, never shown half-broken.

const id = z.string().regex(idPattern);
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD');
const isoTimestamp = z.string().datetime({ offset: true });
const title = z.string().trim().min(1).max(500);
const longText = z.string().max(20_000);
const money = z.number().finite().nonnegative();

export const territoryKinds = ['region', 'district', 'okrug', 'settlement', 'village'] as const;
export const territorySchema = z.object({
  id,
  name: title,
  kind: z.enum(territoryKinds),
  parentId: id.optional(),
  /** Other spellings met in imported files ("Северный р-н", "пос. Северный"), matched after normalisation. */
  aliases: z.array(z.string().max(300)).max(50).default([]),
});
export type Territory = z.infer<typeof territorySchema>;

export const personSchema = z.object({
  id,
  name: title,
  position: z.string().max(300).optional(),
  organization: z.string().max(300).optional(),
  email: z.string().max(200).optional(),
  phone: z.string().max(50).optional(),
});
export type Person = z.infer<typeof personSchema>;

/** Category ids: the default set uses readable slugs ('roads'), user-added ones get a generated id. */
export const categoryIdPattern = /^[0-9A-Za-z-]{1,40}$/;
const categoryId = z.string().regex(categoryIdPattern);

/** The workspace's configurable list of problem categories; labels are data, not i18n keys. */
export const problemCategorySchema = z.object({
  id: categoryId,
  label: title,
  order: z.number().finite(),
  archived: z.boolean().default(false),
});
export type ProblemCategory = z.infer<typeof problemCategorySchema>;

export const problemKinds = ['systemic', 'situational', 'unclassified'] as const;
export type ProblemKind = (typeof problemKinds)[number];
export const problemStatuses = ['new', 'confirmed', 'in-project', 'resolved', 'rejected'] as const;
export type ProblemStatus = (typeof problemStatuses)[number];
export const signalSourceKinds = ['appeal', 'social', 'sociology', 'meeting', 'session'] as const;
export type SignalSourceKind = (typeof signalSourceKinds)[number];
export const systemicRuleKinds = ['signals-in-weeks', 'recurrence-months'] as const;
export type SystemicRuleKind = (typeof systemicRuleKinds)[number];

/** Where a record came from: an imported dataset, or stickies on a board. */
export const provenanceSchema = z.object({
  datasetId: id.optional(),
  boardId: id.optional(),
  nodeIds: z.array(id).max(1000).optional(),
  authors: z.array(z.string().max(200)).max(200).optional(),
  votes: z.number().int().nonnegative().optional(),
});

/** A translatable message: an i18n key with its parameters, never a baked-in sentence. */
export const messageSchema = z.object({
  key: z.string().min(1).max(200),
  params: z.record(z.string(), z.union([z.string(), z.number()])).default({}),
});
export type Message = z.infer<typeof messageSchema>;

/** Who set a problem's systemic/situational kind and why (a rule with its reason, or a person). */
export const kindDecisionSchema = z.object({
  by: z.enum(['rule', 'user']),
  rule: z.enum(systemicRuleKinds).optional(),
  reason: messageSchema.optional(),
  at: isoTimestamp,
});
export type KindDecision = z.infer<typeof kindDecisionSchema>;

export const signalSourceCountSchema = z.object({
  source: z.enum(signalSourceKinds),
  count: z.number().int().nonnegative(),
});
export type SignalSourceCount = z.infer<typeof signalSourceCountSchema>;

export const signalDaySchema = z.tuple([isoDate, z.number().int().positive()]);
export type SignalDay = z.infer<typeof signalDaySchema>;

/** Appeals of one dataset that a problem stands on. */
export const appealLinkSchema = z.object({
  datasetId: id,
  appealIds: z.array(id).max(100_000),
});
export type AppealLink = z.infer<typeof appealLinkSchema>;

export const problemSchema = z.object({
  id,
  title,
  description: longText.default(''),
  /** A district or a settlement from the workspace's territory list. */
  territoryId: id.optional(),
  /** An id from the workspace's category list (`categories` collection). */
  category: categoryId,
  kind: z.enum(problemKinds),
  kindDecision: kindDecisionSchema.optional(),
  status: z.enum(problemStatuses),
  ownerId: id.optional(),
  sources: z.array(signalSourceCountSchema).max(20).default([]),
  signalCount: z.number().int().nonnegative().default(0),
  firstSignalAt: isoDate.optional(),
  lastSignalAt: isoDate.optional(),
  /** Signals per day, [date, count] sorted by date: what the systemic rule reads. */
  signalDays: z.array(signalDaySchema).max(4000).default([]),
  appeals: z.array(appealLinkSchema).max(100).default([]),
  provenance: provenanceSchema.optional(),
  createdAt: isoTimestamp,
});
export type Problem = z.infer<typeof problemSchema>;
export type ProblemInput = z.input<typeof problemSchema>;

export const projectStatuses = ['draft', 'approved', 'in-progress', 'completed', 'suspended', 'cancelled'] as const;
export const budgetSources = ['federal', 'regional', 'municipal', 'extraBudgetary', 'initiative'] as const;

export const indicatorSchema = z.object({
  name: title,
  unit: z.string().max(50),
  base: z.number().finite(),
  target: z.number().finite(),
});
export type Indicator = z.infer<typeof indicatorSchema>;

export const projectSchema = z.object({
  id,
  title,
  goal: longText.default(''),
  territoryId: id.optional(),
  curatorId: id.optional(),
  headId: id.optional(),
  teamIds: z.array(id).max(500).default([]),
  stakeholders: z.array(z.string().max(300)).max(100).default([]),
  indicators: z.array(indicatorSchema).max(100).default([]),
  results: z.array(z.string().max(1000)).max(100).default([]),
  budget: z.partialRecord(z.enum(budgetSources), money).default({}),
  startDate: isoDate.optional(),
  endDate: isoDate.optional(),
  status: z.enum(projectStatuses),
  provenance: provenanceSchema.optional(),
  createdAt: isoTimestamp,
});
export type ProjectCard = z.infer<typeof projectSchema>;

export const problemProjectLinkSchema = z.object({
  id,
  problemId: id,
  projectId: id,
  note: z.string().max(2000).optional(),
});
export type ProblemProjectLink = z.infer<typeof problemProjectLinkSchema>;

export const taskStatuses = ['todo', 'in-progress', 'done', 'cancelled'] as const;
export const taskSchema = z.object({
  id,
  projectId: id,
  title,
  ownerId: id.optional(),
  startDate: isoDate.optional(),
  dueDate: isoDate.optional(),
  status: z.enum(taskStatuses),
  doneAt: isoDate.optional(),
});
export type Task = z.infer<typeof taskSchema>;

export const controlPointStatuses = ['planned', 'reached', 'missed'] as const;
export const controlPointSchema = z.object({
  id,
  projectId: id,
  title,
  ownerId: id.optional(),
  dueDate: isoDate,
  status: z.enum(controlPointStatuses),
  reachedAt: isoDate.optional(),
});
export type ControlPoint = z.infer<typeof controlPointSchema>;

export const boardKinds = ['session', 'map'] as const;
export const boardSchema = z.object({
  id,
  title,
  kind: z.enum(boardKinds),
  createdAt: isoTimestamp,
  /** Sort key for the board list. */
  order: z.number().finite(),
});
export type Board = z.infer<typeof boardSchema>;

export const datasetKinds = ['appeals'] as const;
export const datasetSchema = z.object({
  id,
  title,
  kind: z.enum(datasetKinds),
  importedAt: isoTimestamp,
  rowCount: z.number().int().nonnegative(),
  /**
   * Ids of the dataset's part docs (`dataset-<partId>`), in row order. A big import is
   * split so no doc's full state exceeds the sync server's message limit.
   */
  partIds: z.array(id).max(1000).default([]),
  sourceFileName: z.string().max(300).optional(),
});
export type Dataset = z.infer<typeof datasetSchema>;

// ---- board doc ----

export const stickyColors = ['yellow', 'orange', 'pink', 'violet', 'blue', 'teal', 'green', 'gray'] as const;
export type StickyColor = (typeof stickyColors)[number];

export const boardNodeTypes = ['sticky', 'text', 'frame', 'reference'] as const;
export const boardNodeSchema = z.object({
  id,
  type: z.enum(boardNodeTypes),
  x: z.number().finite(),
  y: z.number().finite(),
  width: z.number().finite().min(20).max(20_000),
  height: z.number().finite().min(20).max(20_000),
  text: z.string().max(10_000).default(''),
  color: z.enum(stickyColors).default('yellow'),
  authorName: z.string().max(200).optional(),
  authorColor: z.string().max(20).optional(),
  /** Profile id of the author (see Profile.id). */
  authorId: id.optional(),
  /** Written during a private stage: shown only to its author until the facilitator reveals. */
  privateUntilReveal: z.boolean().optional(),
  /** Facilitator lock: others can't move or edit the node. */
  locked: z.boolean().optional(),
  parentId: id.optional(),
  /** For reference cards: what registry record the card shows. */
  ref: z.object({ kind: z.enum(['problem', 'project']), id }).optional(),
  createdAt: isoTimestamp,
});
export type BoardNode = z.infer<typeof boardNodeSchema>;

export const boardEdgeSchema = z.object({
  id,
  source: id,
  target: id,
  label: z.string().max(500).optional(),
  arrow: z.boolean().default(true),
});
export type BoardEdge = z.infer<typeof boardEdgeSchema>;

// ---- board templates (kept in the index doc) ----

/** A template's node, placed relative to the template's origin (its top-left corner is 0,0). */
export const templateNodeSchema = z.object({
  type: z.enum(['sticky', 'text', 'frame']),
  x: z.number().finite().min(0).max(100_000),
  y: z.number().finite().min(0).max(100_000),
  width: z.number().finite().min(20).max(20_000),
  height: z.number().finite().min(20).max(20_000),
  text: z.string().max(10_000).default(''),
  color: z.enum(stickyColors).default('yellow'),
});
export type TemplateNode = z.infer<typeof templateNodeSchema>;

/** A connector of a template, between two of its nodes by their position in `nodes`. */
export const templateEdgeSchema = z.object({
  from: z.number().int().nonnegative(),
  to: z.number().int().nonnegative(),
  label: z.string().max(500).optional(),
});
export type TemplateEdge = z.infer<typeof templateEdgeSchema>;

/** One stage of a template's default agenda. */
export const templateStageSchema = z.object({
  title,
  minutes: z.number().int().min(1).max(600),
});
export type TemplateStage = z.infer<typeof templateStageSchema>;

export const boardTemplateSchema = z
  .object({
    id,
    title,
    description: z.string().max(2000).default(''),
    nodes: z.array(templateNodeSchema).max(5000),
    edges: z.array(templateEdgeSchema).max(5000).default([]),
    agenda: z.array(templateStageSchema).max(30).default([]),
    createdAt: isoTimestamp,
  })
  .refine((template) => template.edges.every((edge) => edge.from < template.nodes.length && edge.to < template.nodes.length), {
    message: 'edge points past the template nodes',
    path: ['edges'],
  });
export type BoardTemplate = z.infer<typeof boardTemplateSchema>;

// ---- dataset doc ----

/** One imported appeal. Rows are immutable once imported; fixes live beside them (see DatasetDoc). */
export const appealSchema = z.object({
  id,
  /** Row number in the source file (the header is row 1), for reports and the user's cross-checks. */
  row: z.number().int().positive(),
  receivedAt: isoDate.optional(),
  text: z.string().min(1).max(20_000),
  address: z.string().max(1000).default(''),
  /** The territory as written in the file. */
  territoryName: z.string().max(300).default(''),
  /** Resolved against the workspace's territory list; absent when unresolved (the row is kept and flagged). */
  territoryId: id.optional(),
  /** The category as written in the file, and the workspace category it maps to. */
  categoryName: z.string().max(300).default(''),
  category: categoryId.optional(),
  status: z.string().max(300).default(''),
  channel: z.enum(signalSourceKinds).default('appeal'),
  /** The source/channel as written in the file ("Госуслуги", "ВКонтакте"). */
  sourceName: z.string().max(300).default(''),
});
export type Appeal = z.infer<typeof appealSchema>;
export type AppealInput = z.input<typeof appealSchema>;
