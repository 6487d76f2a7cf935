import type { Id } from '../ids';
import type { SignalDay, SignalSourceKind } from '../model/records';

/** One appeal inside a candidate problem: enough to make the problem without re-reading the dataset. */
export interface CandidateMember {
  datasetId: Id;
  appealId: Id;
  receivedAt?: string;
  channel: SignalSourceKind;
}

/** A group of similar appeals proposed as one problem; the user accepts, merges, splits or renames it. */
export interface CandidateProblem {
  /** Deterministic from the members (same input → same id); not a record id. */
  id: string;
  title: string;
  /** The most characteristic words of the group, most weighty first. */
  terms: string[];
  /** The workspace territory, or absent for appeals whose territory is unresolved. */
  territoryId?: Id;
  /** The territory as written in the files (for the unresolved group: the raw name). */
  territoryName: string;
  /** Workspace category id when grouping by category, else the group's most frequent one. */
  category?: string;
  /** The appeal closest to the group's centre: the one to read first. */
  centralAppealId: Id;
  /** Sorted by date, then appeal id. */
  members: CandidateMember[];
  signalDays: SignalDay[];
}
