import { errorMessage } from '../../core/errors.ts';
import type { LayerConfig } from '../../core/layer.ts';
import type { Network } from '../../core/network.ts';
import type { OpName } from '../../core/ops/index.ts';
import { recogniseNetwork, type Recognised } from '../../core/recognise.ts';
import type { Derived } from '../editor/model/replayDoc.ts';
import type { Sketch } from '../../core/diagram/sketch.ts';
import { runInputShapes } from './runJob.ts';
import { getPreset } from '../../core/diagram/presets.ts';

/**
 * What the run panel evaluates: the editor's current network, the network before the
 * shown simplification (timed beside it), and the operation and layer when the network
 * still computes one, which is what lets the run compare with tfjs's built-in.
 */
export interface RunTarget {
  network: Network;
  unsimplified?: Network;
  op?: OpName;
  layer?: LayerConfig;
  /** When the network was recognised as `op`: the operation's inputs → the network's. */
  builtinInputs?: Record<string, string>;
  /** Short description for results and the history table. */
  label: string;
  /** Input shapes, or why they cannot be told. */
  shapes: Record<string, number[]> | { error: string };
}

export function runTarget(doc: Sketch, derived: Derived): RunTarget {
  const source = doc.diagram.source;
  // Simplification keeps the value; differentiation and dropout change what is computed.
  const sameOp = source.kind === 'preset' && doc.diagram.steps.every((a) => a.kind === 'simplify');
  const shown = derived.simplify;
  const unsimplified = shown && shown.at > 0 ? shown.base : undefined;
  const target: RunTarget = {
    network: derived.network,
    unsimplified,
    op: sameOp ? source.op : undefined,
    layer: sameOp ? source.layer : undefined,
    label: describe(doc),
    shapes: {},
  };
  if (!sameOp) {
    // A derivation or a drawing may still be one operation of a layer (Convolution → W →
    // VJP is the weight VJP): then it is compared with that operation's built-in.
    const found = recognise(derived.network, source.kind === 'preset' ? source.layer : undefined);
    if (found) {
      target.op = found.op;
      target.layer = found.layer;
      target.builtinInputs = found.inputs;
      target.label = `${target.label} = ${found.op}`;
    }
  }
  try {
    target.shapes = runInputShapes(target);
  } catch (err) {
    target.shapes = { error: errorMessage(err) };
  }
  return target;
}

/** Recognition is skipped for networks too large to search quickly while typing. */
const RECOGNISE_MAX_TENSORS = 16;

function recognise(net: Network, hint?: LayerConfig): Recognised | undefined {
  if (net.tensors.length > RECOGNISE_MAX_TENSORS) return undefined;
  try {
    return recogniseNetwork(net, hint);
  } catch {
    return undefined;
  }
}

function describe(doc: Sketch): string {
  const source = doc.diagram.source;
  let base: string;
  if (source.kind === 'preset')
    base = (source.presetId && getPreset(source.presetId)?.title) || source.op;
  else if (source.kind === 'einsum') base = source.equation;
  else base = 'drawn network';
  const actions = doc.diagram.steps
    .map((a) => (a.kind === 'simplify' ? 'simplified' : a.kind))
    .join(', ');
  return actions ? `${base} (${actions})` : base;
}
