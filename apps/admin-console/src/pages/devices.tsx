import { useState } from 'react';
import { useMutation, useQuery } from 'urql';
import { graphql } from '../graphql';
import { Pager, PAGE_SIZE, SearchBox, useIdPaging } from '../paging';
import { Empty, ErrorMessage, Loading, PageTitle, words, DataTable } from '../ui';

const DEVICES = graphql(`
  query Devices($search: String, $first: Int, $after: String) {
    devices(search: $search, first: $first, after: $after) {
      id displayName platform osVersion enrolled entraRegistered compliance primaryUser { id userPrincipalName }
    }
  }
`);
const UPSERT = graphql(`
  mutation UpsertDevice($input: UpsertDeviceInput!) { upsertDevice(input: $input) { id } }
`);

const PLATFORMS = ['WINDOWS', 'WINDOWS_ARM64', 'WINDOWS_365', 'ANDROID_DEDICATED', 'MACOS', 'OTHER'] as const;

export default function DevicesPage() {
  const [search, setSearch] = useState('');
  const paging = useIdPaging();
  const [{ data, error, fetching }, refetch] = useQuery({ query: DEVICES, variables: { search: search || null, first: PAGE_SIZE + 1, after: paging.after } });
  const [adding, setAdding] = useState(false);
  const rows = data?.devices.slice(0, PAGE_SIZE) ?? [];
  return (
    <section>
      <PageTitle>Devices</PageTitle>
      <SearchBox label="Search devices" onSearch={(t) => (setSearch(t), paging.reset())} />
      {!adding && (
        <button type="button" className="primary" onClick={() => setAdding(true)}>
          Add device
        </button>
      )}
      {adding && <DeviceForm onDone={() => (setAdding(false), refetch({ requestPolicy: 'network-only' }))} onCancel={() => setAdding(false)} />}
      {fetching && !data && <Loading what="devices" />}
      <ErrorMessage error={error} />
      {data && rows.length === 0 && <Empty>No device matches.</Empty>}
      {rows.length > 0 && (
        <DataTable caption="Devices" headers={['Device', 'Platform', 'Enrolment', 'Compliance', 'Primary user']}>
              {rows.map((d) => (
                <tr key={d.id}>
                  <td>{d.displayName}</td>
                  <td>
                    {words(d.platform)} {d.osVersion}
                  </td>
                  <td>
                    {d.enrolled ? 'Enrolled' : 'Not enrolled'}, {d.entraRegistered ? 'registered' : 'not registered'}
                  </td>
                  <td>{words(d.compliance)}</td>
                  <td>{d.primaryUser?.userPrincipalName ?? 'None (dedicated)'}</td>
                </tr>
              ))}
            </DataTable>
      )}
      <Pager label="Devices" page={paging.page} hasNext={(data?.devices.length ?? 0) > PAGE_SIZE} onNext={() => paging.next(rows[rows.length - 1].id)} onPrevious={paging.previous} />
    </section>
  );
}

function DeviceForm({ onDone, onCancel }: { onDone: () => void; onCancel: () => void }) {
  const [name, setName] = useState('');
  const [platform, setPlatform] = useState<(typeof PLATFORMS)[number]>('WINDOWS');
  const [osVersion, setOsVersion] = useState('');
  const [enrolled, setEnrolled] = useState(true);
  const [saving, upsert] = useMutation(UPSERT);
  return (
    <form
      className="card"
      aria-label="Add device"
      onSubmit={async (e) => {
        e.preventDefault();
        const r = await upsert({ input: { displayName: name, platform, osVersion, enrolled, entraRegistered: enrolled, compliance: 'COMPLIANT' } });
        if (!r.error) onDone();
      }}
    >
      <label htmlFor="device-name">Name</label>
      <input id="device-name" required value={name} onChange={(e) => setName(e.target.value)} />
      <label htmlFor="device-platform">Platform</label>
      <select id="device-platform" value={platform} onChange={(e) => setPlatform(e.target.value as (typeof PLATFORMS)[number])}>
        {PLATFORMS.map((p) => (
          <option key={p} value={p}>
            {words(p)}
          </option>
        ))}
      </select>
      <label htmlFor="device-os">OS version</label>
      <input id="device-os" required value={osVersion} onChange={(e) => setOsVersion(e.target.value)} />
      <div className="check">
        <input id="device-enrolled" type="checkbox" checked={enrolled} onChange={(e) => setEnrolled(e.target.checked)} />
        <label htmlFor="device-enrolled">Enrolled and registered</label>
      </div>
      <ErrorMessage error={saving.error} />
      <button type="submit" className="primary" disabled={saving.fetching}>
        Save device
      </button>{' '}
      <button type="button" onClick={onCancel}>
        Cancel
      </button>
    </form>
  );
}
