import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Client, fetchExchange, Provider } from 'urql';
import { RoleForm } from './roles';

/** A urql client whose HTTP calls land in `sent` and get `answer` (no server: the form is under test). */
function apiReturning(answer: unknown) {
  const sent: { query: string; variables: Record<string, unknown> }[] = [];
  const client = new Client({
    url: 'http://api.test/graphql',
    exchanges: [fetchExchange],
    fetch: async (_url, init) => {
      sent.push(JSON.parse(String(init?.body)));
      return new Response(JSON.stringify(answer), { headers: { 'content-type': 'application/json' } });
    },
  });
  return { client, sent };
}

const EMPTY = { id: null, displayName: '', description: '', permissions: [], adminPermissions: [] };
const box = (name: RegExp) => screen.getByRole('checkbox', { name }) as HTMLInputElement;

afterEach(cleanup);

describe('the role form', () => {
  it('shows what a Remote Help permission implies, checked and locked, and releases it again', () => {
    const { client } = apiReturning({ data: null });
    render(
      <Provider value={client}>
        <RoleForm draft={EMPTY} onDone={() => undefined} onCancel={() => undefined} />
      </Provider>,
    );
    fireEvent.click(box(/^Elevation/));
    expect([box(/^Elevation/).checked, box(/^Elevation/).disabled]).toEqual([true, false]);
    for (const implied of [/^Take full control/, /^View screen/]) {
      expect([box(implied).checked, box(implied).disabled]).toEqual([true, true]);
      expect(box(implied).labels?.[0].textContent).toMatch(/implied$/);
    }
    expect(box(/^Unattended control/).checked).toBe(false);
    expect(box(/^Offer remote assistance/).checked).toBe(false);
    // Unattended control implies Elevation: chosen itself, it stays a choice; released, it is implied
    fireEvent.click(box(/^Unattended control/));
    expect([box(/^Elevation/).checked, box(/^Elevation/).disabled]).toEqual([true, false]);
    fireEvent.click(box(/^Elevation/));
    expect([box(/^Elevation/).checked, box(/^Elevation/).disabled]).toEqual([true, true]);
    expect(box(/^Elevation/).labels?.[0].textContent).toMatch(/implied$/);
    fireEvent.click(box(/^Unattended control/));
    for (const p of [/^Unattended control/, /^Elevation/, /^Take full control/, /^View screen/]) expect([box(p).checked, box(p).disabled]).toEqual([false, false]);
  });

  it('sends only the chosen permissions (the API applies the implications), then is done', async () => {
    const role = {
      id: 'r1',
      displayName: 'Tier 2',
      description: null,
      builtIn: false,
      permissions: ['ELEVATION'],
      effectivePermissions: ['VIEW_SCREEN', 'TAKE_FULL_CONTROL', 'ELEVATION'],
      adminPermissions: ['READ_REPORTS'],
    };
    const { client, sent } = apiReturning({ data: { createRole: { __typename: 'Role', ...role } } });
    const done = vi.fn();
    render(
      <Provider value={client}>
        <RoleForm draft={EMPTY} onDone={done} onCancel={() => undefined} />
      </Provider>,
    );
    fireEvent.change(screen.getByLabelText('Name'), { target: { value: 'Tier 2' } });
    fireEvent.click(box(/^Elevation/));
    fireEvent.click(box(/^Read reports/));
    fireEvent.click(screen.getByRole('button', { name: 'Create role' }));
    await waitFor(() => expect(done).toHaveBeenCalledTimes(1));
    expect(sent).toHaveLength(1);
    expect(sent[0].query).toMatch(/mutation CreateRole/);
    expect(sent[0].variables).toEqual({ input: { displayName: 'Tier 2', description: null, permissions: ['ELEVATION'], adminPermissions: ['READ_REPORTS'] } });
  });

  it("shows the server's refusal next to the name, keeps the input and stays open", async () => {
    const { client } = apiReturning({ data: null, errors: [{ message: 'a role named "Tier 2" exists', extensions: { code: 'CONFLICT' } }] });
    const done = vi.fn();
    render(
      <Provider value={client}>
        <RoleForm draft={EMPTY} onDone={done} onCancel={() => undefined} />
      </Provider>,
    );
    fireEvent.change(screen.getByLabelText('Name'), { target: { value: 'Tier 2' } });
    fireEvent.click(screen.getByRole('button', { name: 'Create role' }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toBe('Conflict: a role named "Tier 2" exists');
    expect(screen.getByLabelText('Name').getAttribute('aria-describedby')).toBe(alert.id);
    expect((screen.getByLabelText('Name') as HTMLInputElement).value).toBe('Tier 2');
    expect(done).not.toHaveBeenCalled();
  });
});
