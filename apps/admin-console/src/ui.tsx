import { useState, type ReactNode } from 'react';
import type { CombinedError } from 'urql';

/**
 * An event handler that runs a mutation and then reacts to its result. React does not wait for
 * the promise, and none is lost: urql's mutations resolve with their error (which the page shows)
 * rather than reject.
 */
export function asyncHandler<A extends unknown[]>(work: (...args: A) => Promise<unknown>): (...args: A) => void {
  return (...args) => void work(...args);
}

/** What a refusal of the API means to an administrator whose page was allowed when it opened. */
const FORBIDDEN_ADVICE = 'Your administrative permissions may have changed: ask an administrator of your tenant. Your input is kept.';

/** A readable message for an API refusal or failure (never a stack). */
export function messageOf(error: CombinedError | Error | null | undefined): string | null {
  if (!error) return null;
  const e = error as CombinedError;
  if (e.graphQLErrors?.length) {
    return e.graphQLErrors
      .map((g) => {
        const code = g.extensions?.code;
        if (code === 'FORBIDDEN') return `Not allowed: ${g.message.replace(/\.$/, '')}. ${FORBIDDEN_ADVICE}`;
        if (code === 'BAD_USER_INPUT') return `Check the input: ${g.message}`;
        if (code === 'NOT_FOUND') return `Not found: ${g.message}`;
        if (code === 'CONFLICT') return `Conflict: ${g.message}`;
        if (code === 'RATE_LIMITED') return `Too many requests: ${g.message}`;
        if (code === 'UNAUTHENTICATED') return 'Your sign-in is no longer valid.';
        if (code === 'INTERNAL_SERVER_ERROR') return 'The server failed to answer this request. Try again in a moment.';
        return g.message;
      })
      .join(' ');
  }
  if (e.networkError) return 'The Remote Help service does not answer. Check your connection; your input is kept.';
  return error.message;
}

export function ErrorMessage({ error, id }: { error: CombinedError | Error | null | undefined; id?: string }) {
  const m = messageOf(error);
  return m ? (
    <p className="error" role="alert" id={id}>
      {m}
    </p>
  ) : null;
}

export function Loading({ what }: { what: string }) {
  return (
    <p className="muted" role="status">
      Loading {what}…
    </p>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return <p className="muted">{children}</p>;
}

/** A button that asks before a destructive action (a dialog the keyboard can use). */
export function ConfirmButton({ label, question, onConfirm, disabled }: { label: string; question: string; onConfirm: () => void; disabled?: boolean }) {
  const [asking, setAsking] = useState(false);
  if (!asking)
    return (
      <button type="button" className="danger" disabled={disabled} onClick={() => setAsking(true)}>
        {label}
      </button>
    );
  return (
    <span role="alertdialog" aria-label={question} className="confirm">
      <span>{question}</span>
      <button
        type="button"
        className="danger"
        autoFocus
        onClick={() => {
          setAsking(false);
          onConfirm();
        }}
      >
        Yes, {label.toLowerCase()}
      </button>
      <button type="button" onClick={() => setAsking(false)}>
        Cancel
      </button>
    </span>
  );
}

export function formatTime(iso: string | null | undefined): string {
  return iso ? new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'medium' }) : '—';
}

export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined) return '—';
  const m = Math.floor(seconds / 60);
  return m ? `${m} min ${seconds % 60} s` : `${seconds} s`;
}

/** Words for enum values: TAKE_FULL_CONTROL -> Take full control. */
export function words(value: string): string {
  const s = value.toLowerCase().replace(/_/g, ' ');
  return s.charAt(0).toUpperCase() + s.slice(1);
}

export function PageTitle({ children }: { children: ReactNode }) {
  return <h1 tabIndex={-1}>{children}</h1>;
}

/** A table with column headers, in a region that scrolls sideways on small screens (keyboard-focusable). */
export function DataTable({ caption, headers, children }: { caption: string; headers: string[]; children: ReactNode }) {
  return (
    <div className="table-wrap" tabIndex={0} role="region" aria-label={caption}>
      <table>
        <caption className="sr-only">{caption}</caption>
        <thead>
          <tr>
            {headers.map((h) => (
              <th scope="col" key={h}>
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}
