import type { IndexPatternTensor, Network, Tensor } from '../../../../core/network.ts';
import { patternFitting, type PatternSpec } from '../../../../core/diagram/networkEdits.ts';
import { editNetwork } from '../../store/editorStore.ts';
import { select } from '../../store/uiStore.ts';
import { CommitInput } from '../common/CommitInput.tsx';
import { DiffActions } from './DiffActions.tsx';

function LegRow({ network, tensor, axis }: { network: Network; tensor: Tensor; axis: number }) {
  const leg = tensor.legs[axis];
  const size = String(network.sizes[leg]);
  const open = network.output.includes(leg);
  const fixed = tensor.kind === 'index_pattern';
  return (
    <tr>
      <td>
        <CommitInput
          key={leg}
          value={leg}
          size={7}
          label={`name of leg ${axis + 1} (an existing name joins that index)`}
          testId={`leg-name-${axis}`}
          onCommit={(name) => editNetwork({ op: 'renameLeg', id: tensor.id, axis, name })}
        />
      </td>
      <td>
        <CommitInput
          key={size}
          value={size}
          size={4}
          label={`size of index ${leg}`}
          testId={`leg-size-${axis}`}
          onCommit={(text) => editNetwork({ op: 'resizeIndex', index: leg, size: Number(text) })}
        />
      </td>
      <td>
        <input
          type="checkbox"
          checked={open}
          aria-label={`${leg} is an open leg`}
          title="open (output) leg"
          onChange={() => editNetwork({ op: 'toggleOpen', index: leg })}
        />
      </td>
      <td>
        <button
          type="button"
          className="icon"
          data-testid={`select-index-${leg}`}
          aria-label={`select index ${leg}`}
          title={`Select index ${leg}: rename it everywhere, cut its ends, drop out`}
          onClick={() => select({ kind: 'index', index: leg })}
        >
          →
        </button>
        {!fixed && (
          <button
            type="button"
            className="icon"
            aria-label={`remove leg ${leg}`}
            title={`remove leg ${leg}`}
            onClick={() => editNetwork({ op: 'removeLeg', id: tensor.id, axis })}
          >
            ×
          </button>
        )}
      </td>
    </tr>
  );
}

const PATTERN_FIELDS: { key: keyof PatternSpec; label: string }[] = [
  { key: 'inputSize', label: 'I' },
  { key: 'kernelSize', label: 'K' },
  { key: 'stride', label: 'S' },
  { key: 'padding', label: 'P' },
  { key: 'dilation', label: 'D' },
];

function PatternEditor({ tensor }: { tensor: IndexPatternTensor }) {
  const p = tensor.pattern;
  const spec: PatternSpec = {
    inputSize: p.inputSize,
    kernelSize: p.kernelSize,
    stride: p.stride,
    padding: p.padLeft,
    dilation: p.dilation,
  };
  return (
    <div className="pattern-editor row small">
      {PATTERN_FIELDS.map(({ key, label }) => (
        <label key={key}>
          {label}
          <CommitInput
            key={String(spec[key])}
            value={String(spec[key])}
            size={3}
            label={`${label} of ${tensor.label}`}
            testId={`pattern-${key}`}
            onCommit={(text) =>
              editNetwork({
                op: 'setPattern',
                id: tensor.id,
                spec: { ...spec, [key]: Number(text) },
              })
            }
          />
        </label>
      ))}
      {p.padLeft !== p.padRight && (
        <span className="muted">
          padding {p.padLeft}/{p.padRight}
        </span>
      )}
    </div>
  );
}

/** A data tensor shaped [K, O, I] can become the index pattern it stands for. */
function ConvertToPattern({ network, tensor }: { network: Network; tensor: Tensor }) {
  if (tensor.legs.length !== 3) return null;
  const [k, o, i] = tensor.legs.map((leg) => network.sizes[leg]);
  const fit = patternFitting(k, o, i);
  if (!fit) return null;
  return (
    <div className="row small">
      <button
        type="button"
        data-testid="convert-to-pattern"
        title={`Legs [${tensor.legs.join(', ')}] as k, o, i of Π with I=${fit.inputSize}, K=${fit.kernelSize}, S=${fit.stride}, P=${fit.padding}, D=${fit.dilation} (editable after)`}
        onClick={() => editNetwork({ op: 'convertToPattern', id: tensor.id, spec: fit })}
      >
        convert to Π
      </button>
      <span className="muted">
        S={fit.stride} P={fit.padding} D={fit.dilation}
      </span>
    </div>
  );
}

/** The selected tensor: its name, legs (rename, resize, open, remove), kind-specific fields, actions. */
export function TensorInspector({ network, tensor }: { network: Network; tensor: Tensor }) {
  const remove = () => {
    if (editNetwork({ op: 'removeTensor', id: tensor.id })) select(null);
  };
  return (
    <div className="inspector" data-testid="inspector">
      <div className="row">
        <CommitInput
          key={tensor.label}
          value={tensor.label}
          size={6}
          className="inspector-title"
          label="tensor name"
          onCommit={(label) => editNetwork({ op: 'relabelTensor', id: tensor.id, label })}
        />
        <span className="muted small">
          {tensor.kind.replace('_', ' ')}
          {tensor.kind === 'data' && (
            <>
              {' '}
              · input <code data-testid="tensor-input">{tensor.source}</code>
            </>
          )}
        </span>
      </div>
      <DiffActions network={network} tensor={tensor} />
      {tensor.kind === 'data' && <ConvertToPattern network={network} tensor={tensor} />}
      {tensor.kind === 'index_pattern' && <PatternEditor tensor={tensor} />}
      {tensor.kind === 'scalar' && (
        <label className="row small">
          value
          <CommitInput
            key={String(tensor.value)}
            value={String(tensor.value)}
            size={8}
            label="value of the scalar"
            onCommit={(text) =>
              editNetwork({ op: 'setScalar', id: tensor.id, value: Number(text) })
            }
          />
        </label>
      )}
      {tensor.legs.length > 0 && (
        <table className="legs-table">
          <thead>
            <tr>
              <th>leg</th>
              <th>size</th>
              <th title="open (output) leg">open</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {tensor.legs.map((leg, axis) => (
              <LegRow key={`${axis}-${leg}`} network={network} tensor={tensor} axis={axis} />
            ))}
          </tbody>
        </table>
      )}
      <div className="row">
        {(tensor.kind === 'data' || tensor.kind === 'delta') && (
          <button
            type="button"
            data-testid="add-leg"
            onClick={() => editNetwork({ op: 'addLeg', id: tensor.id })}
          >
            + leg
          </button>
        )}
        <button type="button" className="danger" data-testid="delete-tensor" onClick={remove}>
          Delete {tensor.label}
        </button>
      </div>
    </div>
  );
}
