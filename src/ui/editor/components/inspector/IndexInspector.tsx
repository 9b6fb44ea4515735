import { useState } from 'react';
import type { Network } from '../../../../core/network.ts';
import { dropout, editNetwork } from '../../store/editorStore.ts';
import { select } from '../../store/uiStore.ts';
import { CommitInput } from '../common/CommitInput.tsx';

function Dropout({ index }: { index: string }) {
  const [percent, setPercent] = useState('50');
  const apply = () => dropout(index, Number(percent) / 100);
  return (
    <div className="row small" role="group" aria-label="Tensor dropout">
      <label>
        keep
        <input
          type="number"
          min={1}
          max={100}
          value={percent}
          size={4}
          aria-label="percent of positions to keep"
          data-testid="dropout-percent"
          onChange={(e) => setPercent(e.target.value)}
        />
        %
      </label>
      <button
        type="button"
        data-testid="action-dropout"
        onClick={apply}
        title={`Tensor dropout: keep a random subset of ${index} and rescale (unbiased)`}
      >
        Dropout on {index}
      </button>
    </div>
  );
}

/** The selected index: rename or resize it everywhere, open or sum it, cut its ends, drop out. */
export function IndexInspector({ network, index }: { network: Network; index: string }) {
  const size = String(network.sizes[index]);
  const open = network.output.includes(index);
  const ends = network.tensors.flatMap((t) =>
    t.legs.flatMap((leg, axis) => (leg === index ? [{ tensor: t, axis }] : [])),
  );
  return (
    <div className="inspector" data-testid="inspector">
      <div className="row">
        <CommitInput
          key={index}
          value={index}
          size={8}
          className="inspector-title"
          label="index name (an existing name merges the two)"
          testId="index-name"
          onCommit={(name) => {
            if (editNetwork({ op: 'renameIndex', index, name }))
              select({ kind: 'index', index: name.trim() });
          }}
        />
        <label className="small">
          size
          <CommitInput
            key={size}
            value={size}
            size={4}
            label={`size of ${index}`}
            testId="index-size"
            onCommit={(t) => editNetwork({ op: 'resizeIndex', index: index, size: Number(t) })}
          />
        </label>
        <label className="small">
          <input
            type="checkbox"
            checked={open}
            onChange={() => editNetwork({ op: 'toggleOpen', index: index })}
          />{' '}
          open
        </label>
      </div>
      <ul className="index-ends small">
        {ends.map(({ tensor, axis }) => (
          <li key={`${tensor.id}-${axis}`}>
            on <strong>{tensor.label}</strong> (leg {axis + 1})
            <button
              type="button"
              className="link"
              onClick={() =>
                editNetwork({
                  op: 'disconnect',
                  end: { kind: 'tensor', tensorId: tensor.id, axis },
                })
              }
              title="Give this leg a new index of its own"
            >
              cut
            </button>
          </li>
        ))}
        {open && (
          <li>
            on the <strong>output</strong>
            <button
              type="button"
              className="link"
              onClick={() =>
                editNetwork({
                  op: 'disconnect',
                  end: { kind: 'output', position: network.output.indexOf(index) },
                })
              }
              title="Sum over this index instead"
            >
              cut
            </button>
          </li>
        )}
      </ul>
      {!open && <Dropout index={index} />}
    </div>
  );
}
