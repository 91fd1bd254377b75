import { useEffect } from 'react';
import { useMutation, useQuery } from 'urql';
import { graphql } from '../graphql';
import { useActiveSessionCount } from '../live-count';
import { useCan } from '../me';
import { asyncHandler, ConfirmButton, Empty, ErrorMessage, formatTime, Loading, PageTitle, words, DataTable } from '../ui';

const ACTIVE = graphql(`
  query ActiveSessions {
    activeSessions {
      id
      state
      mode
      startedAt
      requestedAt
      helper {
        id
        userPrincipalName
        profile {
          displayName
        }
      }
      sharer {
        id
        userPrincipalName
        profile {
          displayName
        }
      }
      device {
        id
        displayName
      }
    }
  }
`);
const TERMINATE = graphql(`
  mutation Terminate($id: ID!) {
    terminateSession(sessionId: $id) {
      id
      state
    }
  }
`);

export default function LivePage() {
  const [{ data, error, fetching }, refetch] = useQuery({ query: ACTIVE, requestPolicy: 'network-only' });
  const live = useActiveSessionCount();
  const mayEnd = useCan('TERMINATE_SESSIONS');
  const [ending, terminate] = useMutation(TERMINATE);
  // Every push of the count may mean a session started or ended: read the list again.
  useEffect(() => {
    if (live.at) refetch({ requestPolicy: 'network-only' });
  }, [live.at, refetch]);
  return (
    <section>
      <PageTitle>Live sessions</PageTitle>
      {fetching && !data && <Loading what="the active sessions" />}
      <ErrorMessage error={error ?? ending.error} />
      {data && data.activeSessions.length === 0 && <Empty>No session is active right now.</Empty>}
      {data && data.activeSessions.length > 0 && (
        <DataTable caption="Active sessions" headers={['Helper', 'Sharer', 'Device', 'Mode', 'Since', ...(mayEnd ? ['Actions'] : [])]}>
          {data.activeSessions.map((s) => (
            <tr key={s.id}>
              <td>{s.helper.profile.displayName}</td>
              <td>{s.sharer?.profile.displayName ?? '--'}</td>
              <td>{s.device.displayName}</td>
              <td>{words(s.mode)}</td>
              <td>{formatTime(s.startedAt ?? s.requestedAt)}</td>
              {mayEnd && (
                <td>
                  <ConfirmButton
                    label="End session"
                    question={`End the session of ${s.helper.profile.displayName} on ${s.device.displayName}?`}
                    disabled={ending.fetching}
                    onConfirm={asyncHandler(async () => !(await terminate({ id: s.id })).error && refetch({ requestPolicy: 'network-only' }))}
                  />
                </td>
              )}
            </tr>
          ))}
        </DataTable>
      )}
    </section>
  );
}
