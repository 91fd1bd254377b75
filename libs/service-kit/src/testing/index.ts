export * from './print-subgraph-sdl';
