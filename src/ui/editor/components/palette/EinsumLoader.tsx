import { useState } from 'react';
import { formatDeclaredEinsum } from '../../../../core/einsum/index.ts';
import { loadEinsum, useEditor } from '../../store/editorStore.ts';

/** Loads a network from an einsum and shapes (or index sizes). */
export function EinsumLoader() {
  const error = useEditor((s) => s.einsumError);
  const [equation, setEquation] = useState('');
  const [shapes, setShapes] = useState('');
  const fromCurrent = () => {
    const net = useEditor.getState().derived.network;
    setEquation(formatDeclaredEinsum(net, 'named'));
    setShapes(
      Object.entries(net.sizes)
        .map(([name, size]) => `${name}=${size}`)
        .join(' '),
    );
  };
  return (
    <section className="panel einsum-loader">
      <h2>Load an einsum</h2>
      <textarea
        data-testid="einsum-input"
        aria-label="Einsum equation, e.g. a b, b c -> a c"
        title="Einsum equation in the named style (a b, b c -> a c) or letters (ab,bc->ac); after ';' one entry per operand: a name, name=Pi(I=32,K=3,S=2,P=1,D=1), name=δ or a number"
        rows={2}
        spellCheck={false}
        value={equation}
        onChange={(e) => setEquation(e.target.value)}
      />
      <input
        data-testid="shapes-input"
        aria-label="Shapes (8x3; 3x4) or index sizes (a=8 b=3 c=4)"
        title="Shapes per operand (8x3; 3x4), JSON ([[8,3],[3,4]]) or index sizes (a=8 b=3 c=4)"
        spellCheck={false}
        value={shapes}
        onChange={(e) => setShapes(e.target.value)}
      />
      <div className="row">
        <button
          type="button"
          data-testid="load-einsum"
          onClick={() => loadEinsum(equation, shapes)}
          disabled={!equation.trim()}
        >
          Load
        </button>
        <button
          type="button"
          onClick={fromCurrent}
          title="Fill in the current network's einsum and index sizes"
        >
          From diagram
        </button>
      </div>
      {error && (
        <div className="field-error" data-testid="error" role="alert">
          {error}
        </div>
      )}
    </section>
  );
}
