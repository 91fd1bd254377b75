// kafkajs for the project's scripts and benchmark workers, with the fix of its idle 1 ms timer
// loop applied (libs/events/src/kafkajs-idle-loop.ts; built before any of them runs): a client
// left connected during a benchmark would otherwise take CPU from the system it measures.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
require('../../libs/events/dist/kafkajs-idle-loop.js');

export default require('kafkajs');
