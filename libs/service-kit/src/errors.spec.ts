import { GraphQLError } from 'graphql';
import { badInput, createErrorFormatter, forbidden } from './errors';

describe('createErrorFormatter', () => {
  const logged: unknown[] = [];
  const format = createErrorFormatter((err) => logged.push(err));

  it('keeps the message, code and reasons of client errors and drops everything else', () => {
    const err = forbidden('denied', { reasons: ['MISSING_PERMISSION'] });
    const out = format({ message: err.message, path: ['x'], extensions: { ...err.extensions, stacktrace: ['at x.js:1'] } }, err);
    expect(out).toEqual({ message: 'denied', path: ['x'], extensions: { code: 'FORBIDDEN', reasons: ['MISSING_PERMISSION'] } });
  });

  it('passes GraphQL validation errors through', () => {
    const out = format({ message: 'Cannot query field', extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }, new GraphQLError('Cannot query field'));
    expect(out.extensions).toEqual({ code: 'GRAPHQL_VALIDATION_FAILED' });
  });

  it('turns anything else into a bare internal error and logs it', () => {
    const boom = new Error('connection to 10.0.0.5 refused');
    const out = format({ message: boom.message, extensions: { code: 'INTERNAL_SERVER_ERROR', stacktrace: ['Error: ...'] } }, boom);
    expect(out).toEqual({ message: 'Internal server error', path: undefined, extensions: { code: 'INTERNAL_SERVER_ERROR' } });
    expect(logged).toContain(boom);
  });

  it('builds errors with the contract codes', () => {
    expect(badInput('no').extensions.code).toBe('BAD_USER_INPUT');
  });
});
