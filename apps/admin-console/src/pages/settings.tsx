import { useState } from 'react';
import { useMutation, useQuery } from 'urql';
import { graphql } from '../graphql';
import { asyncHandler, ErrorMessage, formatTime, Loading, PageTitle } from '../ui';

const SETTINGS = graphql(`
  query Settings {
    tenant {
      id
      cloud
      remoteHelpSettings {
        remoteHelpEnabled
        allowUnenrolledDevices
        chatDisabled
        requireReason
        updatedAt
        updatedBy {
          id
          userPrincipalName
          profile {
            displayName
          }
        }
      }
    }
  }
`);
const UPDATE = graphql(`
  mutation UpdateSettings($input: UpdateRemoteHelpSettingsInput!) {
    updateRemoteHelpSettings(input: $input) {
      remoteHelpEnabled
      allowUnenrolledDevices
      chatDisabled
      requireReason
      updatedAt
      updatedBy {
        id
        userPrincipalName
        profile {
          displayName
        }
      }
    }
  }
`);

type Form = { remoteHelpEnabled: boolean; allowUnenrolledDevices: boolean; chatDisabled: boolean; requireReason: boolean };
const SWITCHES: { key: keyof Form; label: string; help: string }[] = [
  { key: 'remoteHelpEnabled', label: 'Enable Remote Help', help: 'Helpers with a role and a licence can offer help to users of this tenant.' },
  { key: 'allowUnenrolledDevices', label: 'Allow Remote Help to unenrolled devices', help: 'Devices not enrolled in device management may be helped too.' },
  { key: 'chatDisabled', label: 'Disable chat', help: 'Helpers and sharers cannot chat during a session.' },
  { key: 'requireReason', label: 'Require a reason', help: 'Helpers must give a reason (a ticket id) to start a session.' },
];

export default function SettingsPage() {
  const [{ data, error, fetching }, refetch] = useQuery({ query: SETTINGS });
  const [saving, update] = useMutation(UPDATE);
  const [form, setForm] = useState<Form | null>(null);
  const [saved, setSaved] = useState(false);
  const settings = data?.tenant.remoteHelpSettings;
  // The form starts from the settings as first read.
  if (settings && !form) setForm({ remoteHelpEnabled: settings.remoteHelpEnabled, allowUnenrolledDevices: settings.allowUnenrolledDevices, chatDisabled: settings.chatDisabled, requireReason: settings.requireReason });
  const unsupportedCloud = data && (data.tenant.cloud === 'GCC_HIGH' || data.tenant.cloud === 'DOD');
  return (
    <section>
      <PageTitle>Settings</PageTitle>
      {fetching && !data && <Loading what="the settings" />}
      <ErrorMessage error={error} />
      {unsupportedCloud && (
        <p className="notice" role="note">
          This tenant is in the {data.tenant.cloud === 'DOD' ? 'DoD' : 'GCC High'} cloud, where Remote Help is not available: it cannot be enabled.
        </p>
      )}
      {form && settings && (
        <form
          onSubmit={asyncHandler(async (e) => {
            e.preventDefault();
            setSaved(false);
            const r = await update({ input: form });
            if (!r.error) {
              setSaved(true);
              refetch({ requestPolicy: 'network-only' });
            }
          })}
        >
          {SWITCHES.map((s) => (
            <div className="switch" key={s.key}>
              <input
                id={s.key}
                type="checkbox"
                role="switch"
                checked={form[s.key]}
                disabled={s.key === 'remoteHelpEnabled' && !!unsupportedCloud && !form.remoteHelpEnabled}
                aria-describedby={`${s.key}-help`}
                onChange={(e) => {
                  setSaved(false);
                  setForm({ ...form, [s.key]: e.target.checked });
                }}
              />
              <label htmlFor={s.key}>{s.label}</label>
              <p id={`${s.key}-help`} className="muted">
                {s.help}
              </p>
            </div>
          ))}
          <ErrorMessage error={saving.error} />
          <button type="submit" className="primary" disabled={saving.fetching}>
            {saving.fetching ? 'Saving…' : 'Save'}
          </button>
          {saved && (
            <span role="status" className="ok">
              Saved.
            </span>
          )}
          <p className="muted">Last changed {settings.updatedAt ? `${formatTime(settings.updatedAt)} by ${settings.updatedBy?.profile.displayName ?? settings.updatedBy?.userPrincipalName ?? 'the system'}` : 'never'}.</p>
        </form>
      )}
    </section>
  );
}
