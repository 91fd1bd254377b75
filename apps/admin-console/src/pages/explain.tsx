import { useState } from 'react';
import { useQuery } from 'urql';
import { graphql } from '../graphql';
import { ErrorMessage, Loading, PageTitle, words } from '../ui';

const CHOICES = graphql(`
  query ExplainChoices {
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
const CHECK = graphql(`
  query Explain($helperId: ID!, $deviceId: ID!, $mode: SessionMode!) {
    checkRemoteHelpAccess(helperId: $helperId, deviceId: $deviceId, mode: $mode) {
      allowed
      reasons
      grantedPermissions
    }
  }
`);

/** Each denial in plain words, with what to change. */
const REASONS: Record<string, string> = {
  REMOTE_HELP_DISABLED: 'Remote Help is switched off for the tenant. Turn on "Enable Remote Help" in Settings.',
  HELPER_NOT_LICENSED: 'The helper has no active Remote Help licence. Assign one on the Users page.',
  SHARER_NOT_LICENSED: "The device's user has no active Remote Help licence. Assign one on the Users page.",
  LICENSE_NOT_YET_ACTIVE: 'A licence was bought but is not active yet (it can take 30 minutes to 8 hours).',
  CROSS_TENANT: 'The helper and the device are in different tenants: Remote Help works within one tenant only.',
  UNSUPPORTED_CLOUD: 'Remote Help is not available in this cloud (GCC High, DoD).',
  UNSUPPORTED_PLATFORM: "The device's platform or OS version is not supported.",
  DEVICE_NOT_ENROLLED: 'The device is not enrolled. Enrol it, or allow unenrolled devices in Settings.',
  DEVICE_NOT_REGISTERED: 'The device is not registered with the directory.',
  MISSING_PERMISSION: "The helper's roles do not grant this mode. Give them a role with the permission on the Assignments page.",
  TARGET_OUT_OF_SCOPE: "The device or its user is outside the scope of the helper's assignments. Add them to a scope group, or widen the scope.",
  COMPLIANCE_NOT_ACKNOWLEDGED: 'The device is not compliant: the helper must acknowledge the warning to go on.',
  UNATTENDED_REQUIRES_NO_USER: 'Unattended control is only for dedicated devices with no user.',
};

export default function ExplainPage() {
  const [{ data: choices, error: choicesError, fetching }] = useQuery({ query: CHOICES });
  const [form, setForm] = useState({ helperId: '', deviceId: '', mode: 'FULL_CONTROL' as 'VIEW_ONLY' | 'FULL_CONTROL' | 'UNATTENDED' });
  const [asked, setAsked] = useState<typeof form | null>(null);
  const [{ data, error, fetching: checking }] = useQuery({ query: CHECK, variables: asked ?? { helperId: '', deviceId: '', mode: 'VIEW_ONLY' }, pause: !asked, requestPolicy: 'network-only' });
  return (
    <section>
      <PageTitle>Explain access</PageTitle>
      <p className="muted">Why may (or may not) a helper help on a device? The same decision Remote Help makes when a session is requested.</p>
      {fetching && !choices && <Loading what="users and devices" />}
      <ErrorMessage error={choicesError} />
      {choices && (
        <form className="card" onSubmit={(e) => (e.preventDefault(), setAsked({ ...form }))}>
          <label htmlFor="explain-helper">Helper</label>
          <select id="explain-helper" required value={form.helperId} onChange={(e) => setForm({ ...form, helperId: e.target.value })}>
            <option value="">Choose a helper</option>
            {choices.users.map((u) => (
              <option key={u.id} value={u.id}>
                {u.profile.displayName} ({u.userPrincipalName})
              </option>
            ))}
          </select>
          <label htmlFor="explain-device">Device</label>
          <select id="explain-device" required value={form.deviceId} onChange={(e) => setForm({ ...form, deviceId: e.target.value })}>
            <option value="">Choose a device</option>
            {choices.devices.map((d) => (
              <option key={d.id} value={d.id}>
                {d.displayName}
              </option>
            ))}
          </select>
          <label htmlFor="explain-mode">Mode</label>
          <select id="explain-mode" value={form.mode} onChange={(e) => setForm({ ...form, mode: e.target.value as typeof form.mode })}>
            <option value="VIEW_ONLY">View only</option>
            <option value="FULL_CONTROL">Full control</option>
            <option value="UNATTENDED">Unattended</option>
          </select>
          <button type="submit" className="primary" disabled={checking}>
            Explain
          </button>
        </form>
      )}
      <ErrorMessage error={error} />
      {asked && data && (
        <div className="card" role="status" aria-live="polite">
          {data.checkRemoteHelpAccess.allowed ? (
            <p className="ok">Allowed. Granted here: {data.checkRemoteHelpAccess.grantedPermissions.map(words).join(', ')}.</p>
          ) : (
            <>
              <p className="error">Not allowed:</p>
              <ul>
                {data.checkRemoteHelpAccess.reasons.map((r) => (
                  <li key={r}>{REASONS[r] ?? words(r)}</li>
                ))}
              </ul>
            </>
          )}
        </div>
      )}
    </section>
  );
}
