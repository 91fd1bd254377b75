import { lazy, type ComponentType, type LazyExoticComponent } from 'react';
import type { AdminPermission } from './me';

/** The console's pages: link name, path, the admin permission that shows it, and its lazily loaded module. */
export interface PageDef {
  path: string;
  name: string;
  permission: AdminPermission;
  Component: LazyExoticComponent<ComponentType>;
}

export const PAGES: PageDef[] = [
  { path: 'settings', name: 'Settings', permission: 'MANAGE_SETTINGS', Component: lazy(() => import('./pages/settings')) },
  { path: 'roles', name: 'Roles', permission: 'MANAGE_ROLES', Component: lazy(() => import('./pages/roles')) },
  { path: 'assignments', name: 'Assignments', permission: 'MANAGE_ROLES', Component: lazy(() => import('./pages/assignments')) },
  { path: 'users', name: 'Users', permission: 'MANAGE_DIRECTORY', Component: lazy(() => import('./pages/users')) },
  { path: 'devices', name: 'Devices', permission: 'MANAGE_DIRECTORY', Component: lazy(() => import('./pages/devices')) },
  { path: 'groups', name: 'Groups', permission: 'MANAGE_DIRECTORY', Component: lazy(() => import('./pages/groups')) },
  { path: 'explain', name: 'Explain access', permission: 'MANAGE_ROLES', Component: lazy(() => import('./pages/explain')) },
  { path: 'monitor', name: 'Monitor', permission: 'READ_REPORTS', Component: lazy(() => import('./pages/monitor')) },
  { path: 'live', name: 'Live sessions', permission: 'READ_REPORTS', Component: lazy(() => import('./pages/live')) },
  { path: 'sessions', name: 'Remote Help sessions', permission: 'READ_REPORTS', Component: lazy(() => import('./pages/sessions')) },
  { path: 'audit', name: 'Audit log', permission: 'READ_AUDIT_LOG', Component: lazy(() => import('./pages/audit')) },
];
