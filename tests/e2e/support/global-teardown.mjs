// Stops what the global setup started and removes its databases, topics and data folder
// (the data folder, with the processes' logs, is kept when RH_KEEP_E2E_DATA is set).
export default async function globalTeardown() {
  const run = globalThis.__RH_E2E__;
  if (!run) return;
  await new Promise((r) => run.control?.close(r) ?? r());
  await run.cleanup();
  if (process.env.RH_KEEP_E2E_DATA) process.stderr.write(`e2e data and logs kept in ${run.dataDir}\n`);
}
