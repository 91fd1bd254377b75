// The e2e tests call the CLI synchronously (spawnSync) between requests, which can block this
// process for longer than a server's keep-alive timeout (5 s). A pooled connection that the
// server closed meanwhile is then still in the pool when the event loop runs again, and the next
// request on it fails with "other side closed". Test requests therefore open a connection each
// (pipelining 0: no keep-alive), through the global dispatcher that Node's fetch uses.
import { Agent, setGlobalDispatcher } from 'undici';

setGlobalDispatcher(new Agent({ pipelining: 0 }));
