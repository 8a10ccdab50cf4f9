// Executor thread entry when Quiver runs from its TypeScript sources (tests, `tsx` scripts):
// Node 20 cannot start a worker from a .ts file, so register tsx's loader first.
import { register } from 'tsx/esm/api';

register();
await import('./worker.ts');
