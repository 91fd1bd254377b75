import { useState } from 'react';
import { useMutation, useQuery } from 'urql';
import { exportUrl, useConfig } from '../config';
import { graphql, type VariablesOf } from '../graphql';
import { Pager } from '../paging';
import { useCursorPaging, usePeriod } from '../period';
import { asyncHandler, Empty, ErrorMessage, formatDuration, formatTime, Loading, PageTitle, words, DataTable } from '../ui';

const CHOICES = graphql(`
  query SessionFilterChoices {
    users(first: 100) {
      id
      userPrincipalName
      profile {
        displayName
      }
    }
    devices(first: 100) {
      id
      displayName
    }
  }
`);
const SESSIONS = graphql(`
  query RemoteHelpSessions($filter: SessionRecordFilter, $first: Int, $after: String) {
    remoteHelpSessions(filter: $filter, first: $first, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          sessionId
          provider {
            id
            profile {
              displayName
            }
          }
          recipientDisplay
          device {
            id
            displayName
          }
          deviceId
          sessionType
          startedAt
          endedAt
          durationSeconds
          elevationUsed
          chatUsed
          reason
          outcome
        }
      }
    }
  }
`);
const TICKET = graphql(`
  mutation ExportTicket($export: ExportName) {
    createExportTicket(export: $export) {
      ticket
      expiresAt
    }
  }
`);

type Filter = NonNullable<VariablesOf<typeof SESSIONS>['filter']>;
type Mode = NonNullable<Filter['sessionType']>;

export default function SessionsPage() {
  const config = useConfig();
  const period = usePeriod(30);
  const paging = useCursorPaging();
  const [{ data: choices }] = useQuery({ query: CHOICES });
  const [who, setWho] = useState({ providerId: '', recipientId: '', deviceId: '', sessionType: '' });
  const [applied, setApplied] = useState<Filter>({ from: period.iso.from, to: period.iso.to });
  const [{ data, error, fetching }] = useQuery({ query: SESSIONS, variables: { filter: applied, first: 25, after: paging.after }, requestPolicy: 'cache-and-network' });
  const [ticketing, createTicket] = useMutation(TICKET);
  const conn = data?.remoteHelpSessions;
  const yesNo = (b: boolean) => (b ? 'Yes' : 'No');
  const select = (id: keyof typeof who, label: string, options: { value: string; label: string }[]) => (
    <span className="field">
      <label htmlFor={`filter-${id}`}>{label}</label>
      <select id={`filter-${id}`} value={who[id]} onChange={(e) => setWho({ ...who, [id]: e.target.value })}>
        <option value="">Any</option>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </span>
  );
  const users = choices?.users.map((u) => ({ value: u.id, label: u.profile.displayName })) ?? [];
  return (
    <section>
      <PageTitle>Remote Help sessions</PageTitle>
      <form
        className="filters"
        aria-label="Filter the sessions"
        onSubmit={(e) => {
          e.preventDefault();
          paging.reset();
          setApplied({
            from: period.iso.from,
            to: period.iso.to,
            providerId: who.providerId || undefined,
            recipientId: who.recipientId || undefined,
            deviceId: who.deviceId || undefined,
            sessionType: (who.sessionType || undefined) as Mode | undefined,
          });
        }}
      >
        {period.fields}
        {select('providerId', 'Provider', users)}
        {select('recipientId', 'Recipient', users)}
        {select('deviceId', 'Device', choices?.devices.map((d) => ({ value: d.id, label: d.displayName })) ?? [])}
        {select(
          'sessionType',
          'Type',
          ['VIEW_ONLY', 'FULL_CONTROL', 'UNATTENDED'].map((m) => ({ value: m, label: words(m) })),
        )}
        <button type="submit">Apply filters</button>
      </form>
      <button
        type="button"
        disabled={ticketing.fetching}
        onClick={asyncHandler(async () => {
          const r = await createTicket({ export: 'REMOTE_HELP_SESSIONS' });
          if (!r.data) return;
          const params: Record<string, string> = { ticket: r.data.createExportTicket.ticket };
          for (const [k, v] of Object.entries(applied)) if (v) params[k] = String(v);
          // A download through the gateway: the browser streams the file; no row is loaded here.
          const a = document.createElement('a');
          a.href = exportUrl(config, 'remote-help-sessions.csv', params);
          a.download = '';
          document.body.appendChild(a);
          a.click();
          a.remove();
        })}
      >
        Export CSV
      </button>
      <ErrorMessage error={ticketing.error} />
      {fetching && !data && <Loading what="the sessions" />}
      <ErrorMessage error={error} />
      {conn && <p className="muted">{conn.totalCount} session(s) match.</p>}
      {conn && conn.edges.length === 0 && <Empty>No session matches the filters.</Empty>}
      {conn && conn.edges.length > 0 && (
        <DataTable caption="Remote Help sessions" headers={['Provider', 'Recipient', 'Device', 'Type', 'Start', 'End', 'Duration', 'Elevation', 'Chat', 'Reason']}>
          {conn.edges.map(({ node: s }) => (
            <tr key={s.sessionId} data-session-id={s.sessionId}>
              <td>{s.provider.profile.displayName}</td>
              <td>{s.recipientDisplay}</td>
              <td>{s.device?.displayName ?? s.deviceId}</td>
              <td>{words(s.sessionType)}</td>
              <td>{formatTime(s.startedAt)}</td>
              <td>{formatTime(s.endedAt)}</td>
              <td>{formatDuration(s.durationSeconds)}</td>
              <td>{yesNo(s.elevationUsed)}</td>
              <td>{yesNo(s.chatUsed)}</td>
              <td>{s.reason ?? ''}</td>
            </tr>
          ))}
        </DataTable>
      )}
      <Pager label="Sessions" page={paging.page} hasNext={!!conn?.pageInfo.hasNextPage} onNext={() => conn?.pageInfo.endCursor && paging.next(conn.pageInfo.endCursor)} onPrevious={paging.previous} />
    </section>
  );
}
