import { useState } from 'react';
import { useMutation, useQuery } from 'urql';
import { graphql, type ResultOf } from '../graphql';
import { Pager, PAGE_SIZE, SearchBox, useIdPaging } from '../paging';
import { asyncHandler, Empty, ErrorMessage, Loading, PageTitle, words, DataTable } from '../ui';

const DEVICES = graphql(`
  query Devices($search: String, $first: Int, $after: String) {
    devices(search: $search, first: $first, after: $after) {
      id
      displayName
      platform
      osVersion
      manufacturer
      enrolled
      entraRegistered
      compliance
      primaryUser {
        id
        userPrincipalName
      }
    }
  }
`);
const UPSERT = graphql(`
  mutation UpsertDevice($input: UpsertDeviceInput!) {
    upsertDevice(input: $input) {
      id
    }
  }
`);

const PLATFORMS = ['WINDOWS', 'WINDOWS_ARM64', 'WINDOWS_365', 'ANDROID_DEDICATED', 'MACOS', 'OTHER'] as const;
const COMPLIANCE = ['COMPLIANT', 'NONCOMPLIANT', 'UNKNOWN'] as const;
type DeviceRow = ResultOf<typeof DEVICES>['devices'][number];

export default function DevicesPage() {
  const [search, setSearch] = useState('');
  const paging = useIdPaging();
  const [{ data, error, fetching }, refetch] = useQuery({ query: DEVICES, variables: { search: search || null, first: PAGE_SIZE + 1, after: paging.after } });
  const [adding, setAdding] = useState(false);
  const [editing, setEditing] = useState<DeviceRow | null>(null);
  const rows = data?.devices.slice(0, PAGE_SIZE) ?? [];
  const reload = () => refetch({ requestPolicy: 'network-only' });
  return (
    <section>
      <PageTitle>Devices</PageTitle>
      <SearchBox label="Search devices" onSearch={(t) => (setSearch(t), paging.reset())} />
      {!adding && !editing && (
        <button type="button" className="primary" onClick={() => setAdding(true)}>
          Add device
        </button>
      )}
      {adding && <DeviceForm onDone={() => (setAdding(false), reload())} onCancel={() => setAdding(false)} />}
      {editing && <DeviceForm key={editing.id} device={editing} onDone={() => (setEditing(null), reload())} onCancel={() => setEditing(null)} />}
      {fetching && !data && <Loading what="devices" />}
      <ErrorMessage error={error} />
      {data && rows.length === 0 && <Empty>No device matches.</Empty>}
      {rows.length > 0 && (
        <DataTable caption="Devices" headers={['Device', 'Platform', 'Enrolment', 'Compliance', 'Primary user']}>
          {rows.map((d) => (
            <tr key={d.id}>
              <td>
                {d.displayName}{' '}
                <button type="button" disabled={adding} onClick={() => setEditing(d)}>
                  Edit <span className="sr-only">{d.displayName}</span>
                </button>
              </td>
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

/** Adds a device, or edits one (`upsertDevice` with its id; its manufacturer and primary user are kept). */
function DeviceForm({ device, onDone, onCancel }: { device?: DeviceRow; onDone: () => void; onCancel: () => void }) {
  const [name, setName] = useState(device?.displayName ?? '');
  const [platform, setPlatform] = useState<(typeof PLATFORMS)[number]>(device?.platform ?? 'WINDOWS');
  const [osVersion, setOsVersion] = useState(device?.osVersion ?? '');
  const [enrolled, setEnrolled] = useState(device?.enrolled ?? true);
  const [registered, setRegistered] = useState(device?.entraRegistered ?? true);
  const [compliance, setCompliance] = useState<(typeof COMPLIANCE)[number]>(device?.compliance ?? 'COMPLIANT');
  const [saving, upsert] = useMutation(UPSERT);
  const title = device ? `Edit ${device.displayName}` : 'Add device';
  return (
    <form
      className="card"
      aria-label={title}
      onSubmit={asyncHandler(async (e) => {
        e.preventDefault();
        const input = { displayName: name, platform, osVersion, enrolled, entraRegistered: registered, compliance };
        const r = await upsert({ input: device ? { ...input, id: device.id, manufacturer: device.manufacturer ?? null, primaryUserId: device.primaryUser?.id ?? null } : input });
        if (!r.error) onDone();
      })}
    >
      {device && <h2>{title}</h2>}
      <label htmlFor="device-name">Name</label>
      <input id="device-name" required value={name} onChange={(e) => setName(e.target.value)} aria-describedby="device-error" />
      <label htmlFor="device-platform">Platform</label>
      <select id="device-platform" value={platform} onChange={(e) => setPlatform(e.target.value as (typeof PLATFORMS)[number])}>
        {PLATFORMS.map((p) => (
          <option key={p} value={p}>
            {words(p)}
          </option>
        ))}
      </select>
      <label htmlFor="device-os">OS version</label>
      <input id="device-os" required value={osVersion} onChange={(e) => setOsVersion(e.target.value)} aria-describedby="device-error" />
      <label htmlFor="device-compliance">Compliance</label>
      <select id="device-compliance" value={compliance} onChange={(e) => setCompliance(e.target.value as (typeof COMPLIANCE)[number])}>
        {COMPLIANCE.map((c) => (
          <option key={c} value={c}>
            {words(c)}
          </option>
        ))}
      </select>
      <div className="check">
        <input id="device-enrolled" type="checkbox" checked={enrolled} onChange={(e) => setEnrolled(e.target.checked)} />
        <label htmlFor="device-enrolled">Enrolled in device management</label>
      </div>
      <div className="check">
        <input id="device-registered" type="checkbox" checked={registered} onChange={(e) => setRegistered(e.target.checked)} />
        <label htmlFor="device-registered">Registered with the directory</label>
      </div>
      <ErrorMessage id="device-error" error={saving.error} />
      <button type="submit" className="primary" disabled={saving.fetching}>
        Save device
      </button>{' '}
      <button type="button" onClick={onCancel} disabled={saving.fetching}>
        Cancel
      </button>
    </form>
  );
}
