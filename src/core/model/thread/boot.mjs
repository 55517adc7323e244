// Entry of the model thread when the code runs as TypeScript source (npm start, vitest): a worker
// does not inherit the parent's `--import tsx`, so it registers tsx itself before loading worker.ts.
import { register } from 'tsx/esm/api';

register();
await import(new URL('./worker.ts', import.meta.url).href);
