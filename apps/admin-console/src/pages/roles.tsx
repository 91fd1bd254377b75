import { useState } from 'react';
import { useMutation, useQuery } from 'urql';
// The product's rule of implications, one definition for the API and the console (pure code).
import type { RemoteHelpPermission } from '@remote-help/domain';
import { ALL_ADMIN_PERMISSIONS, ALL_REMOTE_HELP_PERMISSIONS, effectivePermissions } from '@remote-help/domain';
import { graphql, type ResultOf } from '../graphql';
import { asyncHandler, ConfirmButton, Empty, ErrorMessage, Loading, PageTitle, words, DataTable } from '../ui';

const ROLES = graphql(`
  query Roles {
    roles {
      id
      displayName
      description
      builtIn
      permissions
      effectivePermissions
      adminPermissions
    }
  }
`);
const CREATE = graphql(`
  mutation CreateRole($input: CreateRoleInput!) {
    createRole(input: $input) {
      id
      displayName
      description
      builtIn
      permissions
      effectivePermissions
      adminPermissions
    }
  }
`);
const UPDATE = graphql(`
  mutation UpdateRole($id: ID!, $input: UpdateRoleInput!) {
    updateRole(id: $id, input: $input) {
      id
      displayName
      description
      builtIn
      permissions
      effectivePermissions
      adminPermissions
    }
  }
`);
const DELETE = graphql(`
  mutation DeleteRole($id: ID!) {
    deleteRole(id: $id)
  }
`);

type Role = ResultOf<typeof ROLES>['roles'][number];
type Perm = Role['permissions'][number];
type AdminPerm = Role['adminPermissions'][number];
interface Draft {
  id: string | null;
  displayName: string;
  description: string;
  permissions: Perm[];
  adminPermissions: AdminPerm[];
}

const EMPTY: Draft = { id: null, displayName: '', description: '', permissions: [], adminPermissions: [] };

export default function RolesPage() {
  const [{ data, error, fetching }, refetch] = useQuery({ query: ROLES });
  const [draft, setDraft] = useState<Draft | null>(null);
  const [deleting, remove] = useMutation(DELETE);
  const reload = () => refetch({ requestPolicy: 'network-only' });
  return (
    <section>
      <PageTitle>Roles</PageTitle>
      <p className="muted">Built-in roles are read-only. A custom role grants Remote Help permissions over the scope of its assignments, and admin permissions over the tenant.</p>
      {fetching && !data && <Loading what="the roles" />}
      <ErrorMessage error={error} />
      <ErrorMessage error={deleting.error} />
      {!draft && (
        <button type="button" className="primary" onClick={() => setDraft(EMPTY)}>
          Create custom role
        </button>
      )}
      {draft && <RoleForm draft={draft} onDone={() => (setDraft(null), reload())} onCancel={() => setDraft(null)} />}
      {data && data.roles.length === 0 && <Empty>No roles.</Empty>}
      {data && (
        <DataTable caption="Roles" headers={['Role', 'Remote Help permissions (effective)', 'Admin permissions', 'Actions']}>
          {data.roles.map((r) => (
            <tr key={r.id}>
              <td>
                <strong>{r.displayName}</strong> {r.builtIn && <span className="tag">Built-in</span>}
                {r.description && <div className="muted">{r.description}</div>}
              </td>
              <td>{r.effectivePermissions.map(words).join(', ') || '—'}</td>
              <td>{r.adminPermissions.map(words).join(', ') || '—'}</td>
              <td>
                {!r.builtIn && (
                  <span className="actions">
                    <button type="button" onClick={() => setDraft({ id: r.id, displayName: r.displayName, description: r.description ?? '', permissions: [...r.permissions], adminPermissions: [...r.adminPermissions] })}>
                      Edit <span className="sr-only">{r.displayName}</span>
                    </button>
                    <ConfirmButton
                      label="Delete"
                      question={`Delete the role "${r.displayName}"?`}
                      disabled={deleting.fetching}
                      onConfirm={asyncHandler(async () => {
                        const res = await remove({ id: r.id });
                        if (!res.error) reload();
                      })}
                    />
                  </span>
                )}
              </td>
            </tr>
          ))}
        </DataTable>
      )}
    </section>
  );
}

export function RoleForm({ draft, onDone, onCancel }: { draft: Draft; onDone: () => void; onCancel: () => void }) {
  const [d, setD] = useState<Draft>(draft);
  const [creating, create] = useMutation(CREATE);
  const [updating, update] = useMutation(UPDATE);
  const busy = creating.fetching || updating.fetching;
  const implied = new Set(effectivePermissions(d.permissions as RemoteHelpPermission[]).filter((p) => !d.permissions.includes(p as Perm)));
  const toggle = <T,>(list: T[], v: T, on: boolean) => (on ? [...list, v] : list.filter((x) => x !== v));
  return (
    <form
      className="card"
      aria-label={d.id ? 'Edit role' : 'Create custom role'}
      onSubmit={asyncHandler(async (e) => {
        e.preventDefault();
        const input = { displayName: d.displayName, description: d.description || null, permissions: d.permissions, adminPermissions: d.adminPermissions };
        const r = d.id ? await update({ id: d.id, input }) : await create({ input });
        if (!r.error) onDone();
      })}
    >
      <h2>{d.id ? 'Edit role' : 'Create custom role'}</h2>
      <label htmlFor="role-name">Name</label>
      <input id="role-name" required value={d.displayName} onChange={(e) => setD({ ...d, displayName: e.target.value })} aria-describedby="role-error" />
      <label htmlFor="role-description">Description</label>
      <input id="role-description" value={d.description} onChange={(e) => setD({ ...d, description: e.target.value })} />
      <fieldset>
        <legend>Remote Help permissions</legend>
        {ALL_REMOTE_HELP_PERMISSIONS.map((p) => {
          const perm = p as Perm;
          const isImplied = implied.has(p);
          return (
            <div key={p} className="check">
              <input
                id={`perm-${p}`}
                type="checkbox"
                checked={d.permissions.includes(perm) || isImplied}
                disabled={isImplied}
                onChange={(e) => setD({ ...d, permissions: toggle(d.permissions, perm, e.target.checked) })}
              />
              <label htmlFor={`perm-${p}`}>
                {words(p)} {isImplied && <span className="tag">implied</span>}
              </label>
            </div>
          );
        })}
      </fieldset>
      <fieldset>
        <legend>Admin permissions</legend>
        {ALL_ADMIN_PERMISSIONS.map((p) => {
          const perm = p as AdminPerm;
          return (
            <div key={p} className="check">
              <input id={`admin-${p}`} type="checkbox" checked={d.adminPermissions.includes(perm)} onChange={(e) => setD({ ...d, adminPermissions: toggle(d.adminPermissions, perm, e.target.checked) })} />
              <label htmlFor={`admin-${p}`}>{words(p)}</label>
            </div>
          );
        })}
      </fieldset>
      <ErrorMessage id="role-error" error={creating.error ?? updating.error} />
      <button type="submit" className="primary" disabled={busy}>
        {busy ? 'Saving…' : d.id ? 'Save role' : 'Create role'}
      </button>{' '}
      <button type="button" onClick={onCancel} disabled={busy}>
        Cancel
      </button>
    </form>
  );
}
