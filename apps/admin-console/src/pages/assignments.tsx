import { useState } from 'react';
import { useMutation, useQuery } from 'urql';
import { graphql, type ResultOf } from '../graphql';
import { asyncHandler, ConfirmButton, Empty, ErrorMessage, Loading, PageTitle, DataTable } from '../ui';

const ASSIGNMENTS = graphql(`
  query Assignments {
    roleAssignments {
      id
      displayName
      description
      builtIn
      role {
        id
        displayName
      }
      adminGroups {
        id
        displayName
      }
      scopeGroups {
        id
        displayName
      }
      scopeAllUsers
      scopeAllDevices
    }
    roles {
      id
      displayName
    }
    groups(first: 200) {
      id
      displayName
      memberKind
    }
  }
`);
const CREATE = graphql(`
  mutation CreateAssignment($input: CreateRoleAssignmentInput!) {
    createRoleAssignment(input: $input) {
      id
    }
  }
`);
const UPDATE = graphql(`
  mutation UpdateAssignment($id: ID!, $input: UpdateRoleAssignmentInput!) {
    updateRoleAssignment(id: $id, input: $input) {
      id
    }
  }
`);
const DELETE = graphql(`
  mutation DeleteAssignment($id: ID!) {
    deleteRoleAssignment(id: $id)
  }
`);

type Data = ResultOf<typeof ASSIGNMENTS>;
interface Draft {
  id: string | null;
  roleId: string;
  displayName: string;
  adminGroupIds: string[];
  scopeGroupIds: string[];
  scopeAllUsers: boolean;
  scopeAllDevices: boolean;
}

export default function AssignmentsPage() {
  const [{ data, error, fetching }, refetch] = useQuery({ query: ASSIGNMENTS });
  const [draft, setDraft] = useState<Draft | null>(null);
  const [deleting, remove] = useMutation(DELETE);
  const reload = () => refetch({ requestPolicy: 'network-only' });
  const scopeOf = (a: Data['roleAssignments'][number]) => [...(a.scopeAllUsers ? ['All users'] : []), ...(a.scopeAllDevices ? ['All devices'] : []), ...a.scopeGroups.map((g) => g.displayName)].join(', ') || '—';
  return (
    <section>
      <PageTitle>Assignments</PageTitle>
      <p className="muted">An assignment gives the members of its admin groups a role over its scope.</p>
      {fetching && !data && <Loading what="the assignments" />}
      <ErrorMessage error={error} />
      <ErrorMessage error={deleting.error} />
      {data && !draft && (
        <button
          type="button"
          className="primary"
          onClick={() => setDraft({ id: null, roleId: data.roles[0]?.id ?? '', displayName: '', adminGroupIds: [], scopeGroupIds: [], scopeAllUsers: false, scopeAllDevices: false })}
        >
          Create assignment
        </button>
      )}
      {data && draft && <AssignmentForm data={data} draft={draft} onDone={() => (setDraft(null), reload())} onCancel={() => setDraft(null)} />}
      {data && data.roleAssignments.length === 0 && <Empty>No assignments yet.</Empty>}
      {data && (
        <DataTable caption="Role assignments" headers={['Assignment', 'Role', 'Admin groups', 'Scope', 'Actions']}>
          {data.roleAssignments.map((a) => (
            <tr key={a.id}>
              <td>
                <strong>{a.displayName}</strong> {a.builtIn && <span className="tag">Built-in</span>}
              </td>
              <td>{a.role.displayName}</td>
              <td>{a.adminGroups.map((g) => g.displayName).join(', ')}</td>
              <td>{scopeOf(a)}</td>
              <td>
                {!a.builtIn && (
                  <span className="actions">
                    <button
                      type="button"
                      onClick={() =>
                        setDraft({
                          id: a.id,
                          roleId: a.role.id,
                          displayName: a.displayName,
                          adminGroupIds: a.adminGroups.map((g) => g.id),
                          scopeGroupIds: a.scopeGroups.map((g) => g.id),
                          scopeAllUsers: a.scopeAllUsers,
                          scopeAllDevices: a.scopeAllDevices,
                        })
                      }
                    >
                      Edit <span className="sr-only">{a.displayName}</span>
                    </button>
                    <ConfirmButton
                      label="Delete"
                      question={`Delete the assignment "${a.displayName}"?`}
                      disabled={deleting.fetching}
                      onConfirm={asyncHandler(async () => !(await remove({ id: a.id })).error && reload())}
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

function AssignmentForm({ data, draft, onDone, onCancel }: { data: Data; draft: Draft; onDone: () => void; onCancel: () => void }) {
  const [d, setD] = useState(draft);
  const [creating, create] = useMutation(CREATE);
  const [updating, update] = useMutation(UPDATE);
  const busy = creating.fetching || updating.fetching;
  const toggle = (list: string[], id: string, on: boolean) => (on ? [...list, id] : list.filter((x) => x !== id));
  return (
    <form
      className="card"
      aria-label={d.id ? 'Edit assignment' : 'Create assignment'}
      onSubmit={asyncHandler(async (e) => {
        e.preventDefault();
        const common = { displayName: d.displayName, adminGroupIds: d.adminGroupIds, scopeGroupIds: d.scopeGroupIds, scopeAllUsers: d.scopeAllUsers, scopeAllDevices: d.scopeAllDevices };
        const r = d.id ? await update({ id: d.id, input: common }) : await create({ input: { ...common, roleId: d.roleId } });
        if (!r.error) onDone();
      })}
    >
      <h2>{d.id ? 'Edit assignment' : 'Create assignment'}</h2>
      <label htmlFor="assignment-name">Name</label>
      <input id="assignment-name" required value={d.displayName} onChange={(e) => setD({ ...d, displayName: e.target.value })} />
      <label htmlFor="assignment-role">Role</label>
      <select id="assignment-role" value={d.roleId} disabled={!!d.id} onChange={(e) => setD({ ...d, roleId: e.target.value })}>
        {data.roles.map((r) => (
          <option key={r.id} value={r.id}>
            {r.displayName}
          </option>
        ))}
      </select>
      <fieldset>
        <legend>Admin groups (their members hold the role)</legend>
        {data.groups
          .filter((g) => g.memberKind !== 'DEVICES')
          .map((g) => (
            <div className="check" key={g.id}>
              <input id={`admin-group-${g.id}`} type="checkbox" checked={d.adminGroupIds.includes(g.id)} onChange={(e) => setD({ ...d, adminGroupIds: toggle(d.adminGroupIds, g.id, e.target.checked) })} />
              <label htmlFor={`admin-group-${g.id}`}>{g.displayName}</label>
            </div>
          ))}
      </fieldset>
      <fieldset>
        <legend>Scope (the users and devices they may help)</legend>
        <div className="check">
          <input id="scope-all-users" type="checkbox" checked={d.scopeAllUsers} onChange={(e) => setD({ ...d, scopeAllUsers: e.target.checked })} />
          <label htmlFor="scope-all-users">All users</label>
        </div>
        <div className="check">
          <input id="scope-all-devices" type="checkbox" checked={d.scopeAllDevices} onChange={(e) => setD({ ...d, scopeAllDevices: e.target.checked })} />
          <label htmlFor="scope-all-devices">All devices</label>
        </div>
        {data.groups.map((g) => (
          <div className="check" key={g.id}>
            <input id={`scope-group-${g.id}`} type="checkbox" checked={d.scopeGroupIds.includes(g.id)} onChange={(e) => setD({ ...d, scopeGroupIds: toggle(d.scopeGroupIds, g.id, e.target.checked) })} />
            <label htmlFor={`scope-group-${g.id}`}>Group: {g.displayName}</label>
          </div>
        ))}
      </fieldset>
      <ErrorMessage error={creating.error ?? updating.error} />
      <button type="submit" className="primary" disabled={busy}>
        {busy ? 'Saving…' : d.id ? 'Save assignment' : 'Create assignment'}
      </button>{' '}
      <button type="button" onClick={onCancel} disabled={busy}>
        Cancel
      </button>
    </form>
  );
}
