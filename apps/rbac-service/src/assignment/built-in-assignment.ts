/**
 * The assignment every tenant gets at creation (with the built-in roles): its first
 * administrators' group holds "Remote Help Administrator" over all users and all devices.
 * It can be neither edited nor deleted.
 */
export const BUILT_IN_ASSIGNMENT = {
  key: 'remote-help-administrators',
  roleKey: 'remote-help-administrator',
  displayName: 'Remote Help Administrators',
  description: "Built in: the tenant's first administrators hold the Remote Help Administrator role over the whole tenant.",
} as const;
