import { useState } from 'react';
import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { useQuery } from 'urql';
import { graphql } from '../graphql';
import { useActiveSessionCount, useLiveConnected } from '../live-count';
import { ErrorMessage, formatDuration, Loading, PageTitle, words } from '../ui';

const MONITOR = graphql(`
  query Monitor($from: DateTime, $to: DateTime) {
    remoteHelpMonitor(from: $from, to: $to) {
      activeSessions
      totalSessions
      averageDurationSeconds
      sessionsByType {
        sessionType
        count
      }
      daily {
        date
        sessions
        totalDurationSeconds
      }
    }
  }
`);

const PERIODS = [
  { days: 7, label: 'Last 7 days' },
  { days: 30, label: 'Last 30 days' },
];

/** The last `days` days, up to a minute from now, as the query's variables. */
function lastDays(days: number) {
  const to = new Date(Date.now() + 60_000);
  return { from: new Date(to.getTime() - days * 86_400_000).toISOString(), to: to.toISOString() };
}

export default function MonitorPage() {
  const [days, setDays] = useState(7);
  // The period is fixed when chosen, so the query does not change on every render.
  const [vars, setVars] = useState(() => lastDays(7));
  const live = useActiveSessionCount();
  const connected = useLiveConnected();
  const [{ data, error, fetching }] = useQuery({ query: MONITOR, variables: vars });
  const m = data?.remoteHelpMonitor;
  const active = live.count ?? m?.activeSessions ?? null;
  return (
    <section>
      <PageTitle>Monitor</PageTitle>
      <div className="tiles">
        <div className="tile">
          <span className="tile-label" id="active-label">
            Active sessions
          </span>
          <span className="tile-value" aria-labelledby="active-label" data-testid="active-count" aria-live="polite">
            {active ?? '…'}
          </span>
          <span className="muted" role="status" data-testid="live-status">
            {connected && !live.error ? 'live' : live.count === null ? 'Connecting live updates…' : 'Live updates interrupted; reconnecting…'}
          </span>
        </div>
        <div className="tile">
          <span className="tile-label">Sessions in the period</span>
          <span className="tile-value">{m?.totalSessions ?? '…'}</span>
        </div>
        <div className="tile">
          <span className="tile-label">Average duration</span>
          <span className="tile-value">{m ? formatDuration(m.averageDurationSeconds === null ? null : Math.round(m.averageDurationSeconds)) : '…'}</span>
        </div>
      </div>
      <label htmlFor="period">Period</label>
      <select
        id="period"
        value={days}
        onChange={(e) => {
          const d = Number(e.target.value);
          setDays(d);
          setVars(lastDays(d));
        }}
      >
        {PERIODS.map((p) => (
          <option key={p.days} value={p.days}>
            {p.label}
          </option>
        ))}
      </select>
      {fetching && !data && <Loading what="the figures" />}
      <ErrorMessage error={error} />
      {m && (
        <>
          <h2>Sessions by type</h2>
          <ul>
            {m.sessionsByType.map((s) => (
              <li key={s.sessionType}>
                {words(s.sessionType)}: {s.count}
              </li>
            ))}
            {m.sessionsByType.length === 0 && <li className="muted">No sessions in the period.</li>}
          </ul>
          <h2 id="daily-title">Sessions per day</h2>
          <figure aria-labelledby="daily-title" className="chart">
            <ResponsiveContainer width="100%" height={260}>
              <BarChart data={m.daily} margin={{ top: 8, right: 8, bottom: 8, left: 0 }}>
                <CartesianGrid strokeDasharray="3 3" />
                <XAxis dataKey="date" />
                <YAxis allowDecimals={false} />
                <Tooltip />
                <Bar dataKey="sessions" name="Sessions" fill="#2b5797" isAnimationActive={false} />
              </BarChart>
            </ResponsiveContainer>
          </figure>
        </>
      )}
    </section>
  );
}
