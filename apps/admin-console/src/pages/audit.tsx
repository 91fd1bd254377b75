import { useState } from 'react';
import { useQuery } from 'urql';
import { graphql } from '../graphql';
import { Pager } from '../paging';
import { useCursorPaging, usePeriod } from '../period';
import { Empty, ErrorMessage, formatTime, Loading, PageTitle, DataTable } from '../ui';

const AUDIT = graphql(`
  query AuditLog($from: DateTime, $to: DateTime, $category: String, $first: Int, $after: String) {
    auditEvents(from: $from, to: $to, category: $category, first: $first, after: $after) {
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          id
          occurredAt
          category
          activity
          actor {
            id
            userPrincipalName
          }
          actorId
          actorKind
          targetId
          result
          details
        }
      }
    }
  }
`);

const CATEGORIES = ['RemoteHelp', 'Settings', 'Role', 'Directory', 'Tenant'];

export default function AuditPage() {
  const period = usePeriod(30);
  const paging = useCursorPaging();
  const [category, setCategory] = useState('');
  const [applied, setApplied] = useState({ from: period.iso.from, to: period.iso.to, category: null as string | null });
  const [{ data, error, fetching }] = useQuery({ query: AUDIT, variables: { ...applied, first: 25, after: paging.after }, requestPolicy: 'cache-and-network' });
  const conn = data?.auditEvents;
  return (
    <section>
      <PageTitle>Audit log</PageTitle>
      <form
        className="filters"
        aria-label="Filter the audit log"
        onSubmit={(e) => {
          e.preventDefault();
          paging.reset();
          setApplied({ from: period.iso.from, to: period.iso.to, category: category || null });
        }}
      >
        {period.fields}
        <span className="field">
          <label htmlFor="audit-category">Category</label>
          <select id="audit-category" value={category} onChange={(e) => setCategory(e.target.value)}>
            <option value="">All</option>
            {CATEGORIES.map((c) => (
              <option key={c} value={c}>
                {c}
              </option>
            ))}
          </select>
        </span>
        <button type="submit">Apply filters</button>
      </form>
      {fetching && !data && <Loading what="the audit log" />}
      <ErrorMessage error={error} />
      {conn && conn.edges.length === 0 && <Empty>No event matches the filters.</Empty>}
      {conn && conn.edges.length > 0 && (
        <DataTable caption="Audit events" headers={['Time', 'Actor', 'Activity', 'Target', 'Result', 'Details']}>
          {conn.edges.map(({ node: e }) => (
            <tr key={e.id}>
              <td>{formatTime(e.occurredAt)}</td>
              <td>{e.actor?.userPrincipalName ?? (e.actorId ? `${e.actorKind} ${e.actorId}` : e.actorKind)}</td>
              <td>
                {e.activity} <span className="muted">({e.category})</span>
              </td>
              <td className="id">{e.targetId ?? '—'}</td>
              <td>{e.result}</td>
              <td>{e.details ?? ''}</td>
            </tr>
          ))}
        </DataTable>
      )}
      <Pager label="Audit log" page={paging.page} hasNext={!!conn?.pageInfo.hasNextPage} onNext={() => conn?.pageInfo.endCursor && paging.next(conn.pageInfo.endCursor)} onPrevious={paging.previous} />
    </section>
  );
}
