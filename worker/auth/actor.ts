export const ROLES = ["Admin", "Analyst", "ReadOnly"] as const;
export type Role = (typeof ROLES)[number];

/** Who is calling: an API token, or the bootstrap Admin token (the ADMIN_TOKEN secret). */
export interface Actor {
  id: string;
  name: string;
  role: Role;
}

/** What each role may do beyond reading: Analysts triage, resolve and re-send; Admins do everything. */
export type Permission = "read" | "triage" | "admin";

const grants: Record<Role, readonly Permission[]> = {
  Admin: ["read", "triage", "admin"],
  Analyst: ["read", "triage"],
  ReadOnly: ["read"],
};

export function can(actor: Actor, permission: Permission): boolean {
  return grants[actor.role].includes(permission);
}

/** The actor for work Pipewatch does by itself (crons, queue consumers, detectors). */
export const SYSTEM_ACTOR: Actor = { id: "system", name: "Pipewatch", role: "Admin" };
