// The e2e tests call the CLI synchronously (spawnSync) between requests, which blocks this
// process for seconds at a time, so its keep-alive timers do not retire an idle pooled connection
// before the server's own keep-alive timeout closes it; a request sent on such a connection just
// as the server closes it fails with "fetch failed: SocketError: other side closed". Test
// requests therefore open a connection each (pipelining 0: `Connection: close`, no keep-alive).
//
// Jest runs each test file in a context of its own: the `fetch` it hands the tests is Node's,
// which reads Node's global dispatcher and never this context's. The tests' `fetch` is therefore
// undici's own (the package's), which reads the dispatcher set here.
import { Agent, fetch as undiciFetch, setGlobalDispatcher } from 'undici';

setGlobalDispatcher(new Agent({ pipelining: 0 }));
globalThis.fetch = undiciFetch as unknown as typeof fetch;
