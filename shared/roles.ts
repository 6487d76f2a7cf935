// Roles in a workspace. The server enforces them (tokens name one); the UI respects them.
//   facilitator — runs the session: agenda, timer, voting rounds, locks, reveal;
//   editor      — edits boards and the registry;
//   viewer      — sees everything live, changes nothing (presence only).

export const roles = ['facilitator', 'editor', 'viewer'] as const;
export type Role = (typeof roles)[number];

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (roles as readonly string[]).includes(value);
}

export function canEdit(role: Role): boolean {
  return role !== 'viewer';
}

export function canFacilitate(role: Role): boolean {
  return role === 'facilitator';
}
