// Types `env` and `exports` from cloudflare:workers / cloudflare:test for the tests.
import type { Env as WorkerEnv } from '../../src/worker/app';

declare global {
  namespace Cloudflare {
    interface Env extends WorkerEnv {}
    interface GlobalProps {
      mainModule: typeof import('../../src/worker/index');
    }
  }
}
export {};
