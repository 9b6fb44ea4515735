import { useEffect, useState } from 'react';
import { initBackend, type BackendState } from './backendState.ts';

/** The tfjs backend state, or undefined while it is starting. */
export function useBackend(): BackendState | undefined {
  const [state, setState] = useState<BackendState>();
  useEffect(() => {
    let live = true;
    void initBackend().then((s) => live && setState(s));
    return () => {
      live = false;
    };
  }, []);
  return state;
}
