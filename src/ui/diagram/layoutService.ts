import ELK from 'elkjs/lib/elk-api.js';
import elkWorkerUrl from 'elkjs/lib/elk-worker.min.js?url';
import { useEffect, useState } from 'react';
import type { Network } from '../../core/network.ts';
import type { Diagram } from './graph.ts';
import { elkGeometry } from './elkGraph.ts';
import type { Geometry } from './geometry.ts';
import { ELK_MAX_TENSORS, quickGeometry } from './quickGeometry.ts';

/**
 * Lays diagrams out with ELK in a web worker: a layered layout of a few tensors takes tens
 * of milliseconds once warm and the first one far more, which would stall typing and
 * dragging on the main thread. Layouts are cached by the network's structure, so undo,
 * redo and re-opened cells are drawn at once.
 */
let elk: InstanceType<typeof ELK> | undefined;
const cache = new Map<string, Promise<Geometry>>();
const CACHE_SIZE = 64;

function layoutKey(net: Network, withNewLeg: boolean): string {
  return JSON.stringify([
    withNewLeg,
    net.output,
    net.tensors.map((t) => [
      t.id,
      t.kind,
      t.label,
      t.legs,
      t.kind === 'index_pattern' ? t.roles : 0,
    ]),
    net.sizes,
  ]);
}

export function layoutGeometry(
  net: Network,
  diagram: Diagram,
  withNewLeg: boolean,
): Promise<Geometry> {
  const key = layoutKey(net, withNewLeg);
  let pending = cache.get(key);
  if (!pending) {
    if (net.tensors.length > ELK_MAX_TENSORS) {
      pending = Promise.resolve(quickGeometry(net, diagram, withNewLeg));
    } else {
      elk ??= new ELK({ workerUrl: elkWorkerUrl });
      pending = elkGeometry(elk, net, diagram, withNewLeg);
    }
    // A failed layout is not kept, so the next change tries again.
    pending.catch(() => cache.delete(key));
    cache.set(key, pending);
    if (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value!);
  }
  return pending;
}

export type GeometryState =
  | { status: 'pending' }
  | { status: 'ready'; network: Network; geometry: Geometry }
  | { status: 'failed'; message: string };

/**
 * The geometry of the network's diagram; until the new layout arrives the previous one stays
 * on screen (with its own network), so a change never flashes an empty canvas.
 */
export function useGeometry(
  network: Network,
  diagram: Diagram,
  withNewLeg: boolean,
): { shown: GeometryState; pending: boolean } {
  const [shown, setShown] = useState<GeometryState>({ status: 'pending' });
  const [laidOut, setLaidOut] = useState<Network | undefined>(undefined);
  useEffect(() => {
    let live = true;
    layoutGeometry(network, diagram, withNewLeg).then(
      (geometry) => {
        if (!live) return;
        setShown({ status: 'ready', network, geometry });
        setLaidOut(network);
      },
      (err: unknown) => {
        if (!live) return;
        setShown({ status: 'failed', message: err instanceof Error ? err.message : String(err) });
        setLaidOut(network);
      },
    );
    return () => {
      live = false;
    };
  }, [network, diagram, withNewLeg]);
  return { shown, pending: laidOut !== network };
}
