import { checkDerivation } from '../model/stepChecks.ts';

/**
 * The derivation's numerical checks off the main thread: on a KFAC-reduce network they
 * take seconds of float64 work, which on the page would freeze the canvas. The page's test
 * hooks travel with each request, so a deliberately broken rule is broken here too.
 */
self.onmessage = (event: MessageEvent) => {
  const { id, doc, derived, hooks } = event.data as {
    id: number;
    doc: Parameters<typeof checkDerivation>[0];
    derived: Parameters<typeof checkDerivation>[1];
    hooks: unknown;
  };
  (globalThis as { __einsketchTest?: unknown }).__einsketchTest = hooks;
  let checks: ReturnType<typeof checkDerivation> | undefined;
  try {
    checks = checkDerivation(doc, derived);
  } catch {
    checks = undefined;
  }
  self.postMessage({ id, checks });
};
