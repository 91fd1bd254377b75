#!/usr/bin/env node
// `npm run lint`: ESLint (type-aware rules) and Prettier's check, side by side (Prettier's check
// fits in the time ESLint spends building the TypeScript program), each with its cache under
// .data/ so that a second run only reads what changed. Fails when either finds anything.
import { spawn } from 'node:child_process';

const run = (cmd, args) =>
  new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: 'inherit' });
    child.on('close', (code) => resolve(code ?? 1));
    child.on('error', () => resolve(1));
  });

const codes = await Promise.all([
  run('npx', ['eslint', '--max-warnings', '0', '--cache', '--cache-strategy', 'content', '--cache-location', '.data/cache/eslint', '.']),
  run('npx', ['prettier', '--check', '--log-level', 'warn', '--cache', '--cache-location', '.data/cache/prettier', '.']),
]);
process.exit(codes.every((c) => c === 0) ? 0 : 1);
