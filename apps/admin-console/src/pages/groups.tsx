import { useState } from 'react';
import { useMutation, useQuery } from 'urql';
import { graphql } from '../graphql';
import { Pager, PAGE_SIZE, SearchBox, useIdPaging } from '../paging';
import { asyncHandler, Empty, ErrorMessage, Loading, PageTitle, words } from '../ui';

const GROUPS = graphql(`
  query Groups($search: String, $first: Int, $after: String) {
    groups(search: $search, first: $first, after: $after) {
      id
      displayName
      memberKind
      users {
        id
        userPrincipalName
      }
      devices {
        id
        displayName
      }
    }
  }
`);
const CREATE = graphql(`
  mutation CreateGroup($input: CreateGroupInput!) {
    createGroup(input: $input) {
      id
    }
  }
`);
const ADD = graphql(`
  mutation AddMembers($groupId: ID!, $userIds: [ID!], $deviceIds: [ID!]) {
    addGroupMembers(groupId: $groupId, userIds: $userIds, deviceIds: $deviceIds) {
      id
    }
  }
`);
const REMOVE = graphql(`
  mutation RemoveMembers($groupId: ID!, $userIds: [ID!], $deviceIds: [ID!]) {
    removeGroupMembers(groupId: $groupId, userIds: $userIds, deviceIds: $deviceIds) {
      id
    }
  }
`);

export default function GroupsPage() {
  const [search, setSearch] = useState('');
  const paging = useIdPaging();
  const [{ data, error, fetching }, refetch] = useQuery({ query: GROUPS, variables: { search: search || null, first: PAGE_SIZE + 1, after: paging.after } });
  const [name, setName] = useState('');
  const [kind, setKind] = useState<'USERS' | 'DEVICES' | 'MIXED'>('USERS');
  const [creating, create] = useMutation(CREATE);
  const [adding, add] = useMutation(ADD);
  const [removing, remove] = useMutation(REMOVE);
  const [memberId, setMemberId] = useState<Record<string, string>>({});
  const rows = data?.groups.slice(0, PAGE_SIZE) ?? [];
  const reload = () => refetch({ requestPolicy: 'network-only' });
  return (
    <section>
      <PageTitle>Groups</PageTitle>
      <SearchBox label="Search groups" onSearch={(t) => (setSearch(t), paging.reset())} />
      <form
        className="card inline"
        aria-label="Create group"
        onSubmit={asyncHandler(async (e) => (e.preventDefault(), !(await create({ input: { displayName: name, memberKind: kind } })).error && (setName(''), reload())))}
      >
        <label htmlFor="group-name">New group name</label>
        <input id="group-name" required value={name} onChange={(e) => setName(e.target.value)} />
        <label htmlFor="group-kind">Members</label>
        <select id="group-kind" value={kind} onChange={(e) => setKind(e.target.value as typeof kind)}>
          <option value="USERS">Users</option>
          <option value="DEVICES">Devices</option>
          <option value="MIXED">Users and devices</option>
        </select>
        <button type="submit" disabled={creating.fetching}>
          Create group
        </button>
        <ErrorMessage error={creating.error} />
      </form>
      {fetching && !data && <Loading what="groups" />}
      <ErrorMessage error={error ?? adding.error ?? removing.error} />
      {data && rows.length === 0 && <Empty>No group matches.</Empty>}
      {rows.map((g) => (
        <article key={g.id} className="card">
          <h2>
            {g.displayName} <span className="tag">{words(g.memberKind)}</span>
          </h2>
          <ul>
            {g.users.map((u) => (
              <li key={u.id}>
                {u.userPrincipalName}{' '}
                <button type="button" disabled={removing.fetching} onClick={asyncHandler(async () => !(await remove({ groupId: g.id, userIds: [u.id] })).error && reload())}>
                  Remove{' '}
                  <span className="sr-only">
                    {u.userPrincipalName} from {g.displayName}
                  </span>
                </button>
              </li>
            ))}
            {g.devices.map((d) => (
              <li key={d.id}>
                {d.displayName}{' '}
                <button type="button" disabled={removing.fetching} onClick={asyncHandler(async () => !(await remove({ groupId: g.id, deviceIds: [d.id] })).error && reload())}>
                  Remove{' '}
                  <span className="sr-only">
                    {d.displayName} from {g.displayName}
                  </span>
                </button>
              </li>
            ))}
            {g.users.length + g.devices.length === 0 && <li className="muted">No members.</li>}
          </ul>
          <form
            className="inline"
            onSubmit={asyncHandler(async (e) => {
              e.preventDefault();
              const id = (memberId[g.id] ?? '').trim();
              const r = await add(g.memberKind === 'DEVICES' ? { groupId: g.id, deviceIds: [id] } : { groupId: g.id, userIds: [id] });
              if (!r.error) {
                setMemberId({ ...memberId, [g.id]: '' });
                reload();
              }
            })}
          >
            <label htmlFor={`member-${g.id}`}>{g.memberKind === 'DEVICES' ? 'Device id' : 'User id'} to add</label>
            <input id={`member-${g.id}`} required value={memberId[g.id] ?? ''} onChange={(e) => setMemberId({ ...memberId, [g.id]: e.target.value })} />
            <button type="submit" disabled={adding.fetching}>
              Add member
            </button>
          </form>
        </article>
      ))}
      <Pager label="Groups" page={paging.page} hasNext={(data?.groups.length ?? 0) > PAGE_SIZE} onNext={() => paging.next(rows[rows.length - 1].id)} onPrevious={paging.previous} />
    </section>
  );
}
