import { useState } from 'react';
import { useMutation, useQuery } from 'urql';
import { graphql, type ResultOf } from '../graphql';
import { Pager, PAGE_SIZE, SearchBox, useIdPaging } from '../paging';
import { asyncHandler, Empty, ErrorMessage, formatTime, Loading, PageTitle, words, DataTable } from '../ui';

const USERS = graphql(`
  query Users($search: String, $first: Int, $after: String) {
    users(search: $search, first: $first, after: $after) {
      id
      userPrincipalName
      profile {
        displayName
        givenName
        surname
        jobTitle
        companyName
        profilePictureUrl
      }
      hasActiveRemoteHelpLicense
      licenses {
        kind
        activeFrom
        expiresAt
      }
      groups {
        id
        displayName
      }
      effectiveRemoteHelpPermissions
    }
  }
`);
const UPSERT = graphql(`
  mutation UpsertUser($input: UpsertUserInput!) {
    upsertUser(input: $input) {
      id
    }
  }
`);
const LICENSE = graphql(`
  mutation AssignLicense($input: AssignLicenseInput!) {
    assignLicense(input: $input) {
      id
    }
  }
`);

export default function UsersPage() {
  const [search, setSearch] = useState('');
  const paging = useIdPaging();
  const [{ data, error, fetching }, refetch] = useQuery({ query: USERS, variables: { search: search || null, first: PAGE_SIZE + 1, after: paging.after } });
  const [adding, setAdding] = useState(false);
  const [editing, setEditing] = useState<UserRow | null>(null);
  const [licensing, assign] = useMutation(LICENSE);
  const rows = data?.users.slice(0, PAGE_SIZE) ?? [];
  const reload = () => refetch({ requestPolicy: 'network-only' });
  return (
    <section>
      <PageTitle>Users</PageTitle>
      <SearchBox label="Search users" onSearch={(t) => (setSearch(t), paging.reset())} />
      {!adding && !editing && (
        <button type="button" className="primary" onClick={() => setAdding(true)}>
          Add user
        </button>
      )}
      {adding && <UserForm onDone={() => (setAdding(false), reload())} onCancel={() => setAdding(false)} />}
      {editing && <UserForm key={editing.id} user={editing} onDone={() => (setEditing(null), reload())} onCancel={() => setEditing(null)} />}
      {fetching && !data && <Loading what="users" />}
      <ErrorMessage error={error ?? licensing.error} />
      {data && rows.length === 0 && <Empty>No user matches.</Empty>}
      {rows.length > 0 && (
        <DataTable caption="Users" headers={['User', 'Licences', 'Groups', 'Effective Remote Help permissions']}>
          {rows.map((u) => (
            <tr key={u.id}>
              <td>
                <strong>{u.profile.displayName}</strong>
                <div className="muted">{u.userPrincipalName}</div>
                {u.profile.jobTitle && <div className="muted">{u.profile.jobTitle}</div>}
                <button type="button" disabled={adding} onClick={() => setEditing(u)}>
                  Edit <span className="sr-only">{u.profile.displayName}</span>
                </button>
              </td>
              <td>
                {u.licenses.map((l) => (
                  <div key={l.kind}>
                    {words(l.kind)}: active {new Date(l.activeFrom) > new Date() ? 'from' : 'since'} {formatTime(l.activeFrom)}
                  </div>
                ))}
                {!u.hasActiveRemoteHelpLicense && (
                  <button type="button" disabled={licensing.fetching} onClick={asyncHandler(async () => !(await assign({ input: { userId: u.id, kind: 'REMOTE_HELP_ADDON' } })).error && reload())}>
                    Assign Remote Help licence <span className="sr-only">to {u.profile.displayName}</span>
                  </button>
                )}
              </td>
              <td>{u.groups.map((g) => g.displayName).join(', ') || '—'}</td>
              <td>{u.effectiveRemoteHelpPermissions.map(words).join(', ') || '—'}</td>
            </tr>
          ))}
        </DataTable>
      )}
      <Pager label="Users" page={paging.page} hasNext={(data?.users.length ?? 0) > PAGE_SIZE} onNext={() => paging.next(rows[rows.length - 1].id)} onPrevious={paging.previous} />
    </section>
  );
}

type UserRow = ResultOf<typeof USERS>['users'][number];

/** Adds a user, or edits one (`upsertUser` with its id): the fields it does not show are sent back as they are. */
function UserForm({ user, onDone, onCancel }: { user?: UserRow; onDone: () => void; onCancel: () => void }) {
  const [upn, setUpn] = useState(user?.userPrincipalName ?? '');
  const [name, setName] = useState(user?.profile.displayName ?? '');
  const [jobTitle, setJobTitle] = useState(user?.profile.jobTitle ?? '');
  const [saving, upsert] = useMutation(UPSERT);
  const p = user?.profile;
  const title = user ? `Edit ${user.profile.displayName}` : 'Add user';
  return (
    <form
      className="card"
      aria-label={title}
      onSubmit={asyncHandler(async (e) => {
        e.preventDefault();
        const input = user
          ? {
              id: user.id,
              userPrincipalName: upn,
              displayName: name,
              jobTitle: jobTitle || null,
              givenName: p?.givenName ?? null,
              surname: p?.surname ?? null,
              companyName: p?.companyName ?? null,
              profilePictureUrl: p?.profilePictureUrl ?? null,
            }
          : { userPrincipalName: upn, displayName: name, jobTitle: jobTitle || null };
        if (!(await upsert({ input })).error) onDone();
      })}
    >
      {user && <h2>{title}</h2>}
      <label htmlFor="user-upn">User principal name</label>
      <input id="user-upn" required value={upn} onChange={(e) => setUpn(e.target.value)} aria-describedby="user-error" />
      <label htmlFor="user-name">Display name</label>
      <input id="user-name" required value={name} onChange={(e) => setName(e.target.value)} aria-describedby="user-error" />
      <label htmlFor="user-job">Job title</label>
      <input id="user-job" value={jobTitle} onChange={(e) => setJobTitle(e.target.value)} />
      <ErrorMessage id="user-error" error={saving.error} />
      <button type="submit" className="primary" disabled={saving.fetching}>
        Save user
      </button>{' '}
      <button type="button" onClick={onCancel} disabled={saving.fetching}>
        Cancel
      </button>
    </form>
  );
}
