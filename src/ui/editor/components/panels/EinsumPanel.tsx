import { useMemo } from 'react';
import { errorMessage } from '../../../../core/errors.ts';
import { formatDeclarations, formatEinsum } from '../../../../core/einsum/index.ts';
import { useEditor } from '../../store/editorStore.ts';
import { CopyButton } from '../common/CopyButton.tsx';

function tryFormat(
  style: 'named' | 'letters',
  net: Parameters<typeof formatEinsum>[0],
): { text: string; ok: boolean } {
  try {
    return { text: formatEinsum(net, style), ok: true };
  } catch (err) {
    return { text: errorMessage(err), ok: false };
  }
}

/** The current network as an einsum, in the named and the letters style. */
export function EinsumPanel() {
  const network = useEditor((s) => s.derived.network);
  const named = useMemo(() => tryFormat('named', network), [network]);
  const letters = useMemo(() => tryFormat('letters', network), [network]);
  // What each operand is (Π with its hyper-parameters, δ, constants): the copied einsum
  // carries it, so loading the copy gives this network back.
  const declarations = useMemo(() => formatDeclarations(network), [network]);
  const withDeclarations = (text: string) => (declarations ? `${text} ; ${declarations}` : text);
  return (
    <section className="panel einsum-panel" aria-label="Einsum">
      <div className="einsum-row">
        <span className="einsum-style">named</span>
        <code className="einsum-text" data-testid="einsum">
          {named.text}
        </code>
        <CopyButton
          text={named.ok ? withDeclarations(named.text) : named.text}
          what="the named einsum with its operands"
          testId="copy-einsum"
        />
      </div>
      <div className="einsum-row">
        <span className="einsum-style">letters</span>
        <code className={`einsum-text${letters.ok ? '' : ' muted'}`} data-testid="einsum-letters">
          {letters.text}
        </code>
        {letters.ok && (
          <CopyButton
            text={withDeclarations(letters.text)}
            what="the letters einsum with its operands"
            testId="copy-einsum-letters"
          />
        )}
      </div>
      {declarations && (
        <div className="einsum-row">
          <span className="einsum-style">operands</span>
          <code className="einsum-text" data-testid="einsum-declarations">
            ; {declarations}
          </code>
        </div>
      )}
      <div className="muted small" data-testid="result-shape">
        result shape [{network.resultShape.join(', ')}] · {network.tensors.length} tensors
      </div>
    </section>
  );
}
